// nnfpga config: a starting configuration for a model, to edit.
#include <fstream>
#include <iostream>
#include <memory>

#include "api/model_io.hpp"
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct ConfigOptions {
  ModelOptions model;
  std::string granularity = "model";
  std::string output;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw Error(ErrorKind::kInput, "cannot write the file", {.file = path});
}

void run_config(const ConfigOptions& o) {
  const ir::Graph graph = read_model(o.model.model, weights_file(o.model));
  const config::Tree tree =
      config::starting_config(graph, config::parse_granularity(o.granularity));
  if (o.output.empty()) {
    std::cout << config::to_yaml(tree);
  } else if (ends_with(o.output, ".json")) {
    write_text(o.output, tree.dump(2) + "\n");
  } else if (ends_with(o.output, ".yml") || ends_with(o.output, ".yaml")) {
    write_text(o.output, config::to_yaml(tree));
  } else {
    throw Error(ErrorKind::kInput, "unknown configuration format: expected .yml, .yaml or .json",
                {.file = o.output});
  }
}

}  // namespace

Command add_config_command(CLI::App& app) {
  auto options = std::make_shared<ConfigOptions>();
  CLI::App* cmd = app.add_subcommand(
      "config", "Write a starting configuration for the model (the defaults, written out)");
  add_model_options(*cmd, options->model, /*with_config=*/false);
  cmd->add_option("-g,--granularity", options->granularity,
                  "model: one Model section; type: one entry per layer type; name: one entry per "
                  "layer")
      ->capture_default_str()
      ->check(CLI::IsMember({"model", "type", "name"}));
  cmd->add_option(
      "-o,--output", options->output,
      "where to write it: .yml/.yaml for YAML, .json for JSON (default: YAML on stdout)");
  return {cmd, [options] { run_config(*options); }};
}

}  // namespace nnfpga::cli
