// nnfpga show: the IR after canonicalization and configuration, and with --resolved the
// resolved configuration and the implementation plan.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "config/config.hpp"
#include "ir/json_io.hpp"
#include "ir/printer.hpp"
#include "plan/plan.hpp"

namespace nnfpga::cli {
namespace {

struct ShowOptions {
  ModelOptions model;
  bool resolved = false;
  std::string json;
};

void run_show(const ShowOptions& o) {
  const ir::Graph graph = load_model(o.model);
  std::cout << ir::print(graph);
  if (o.resolved) {
    std::cout << "\n# resolved configuration\n" << config::to_yaml(config::resolved_config(graph));
    std::cout << "\n# implementation plan\n" << plan::to_text(plan::make_plan(graph));
  }
  if (!o.json.empty()) ir::save_json(graph, o.json);
}

}  // namespace

Command add_show_command(CLI::App& app) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* cmd = app.add_subcommand(
      "show", "Print the model's IR after canonicalization and configuration (types, settings)");
  add_model_options(*cmd, options->model);
  cmd->add_flag("--resolved", options->resolved,
                "also print the resolved per-layer configuration, as YAML, and the "
                "implementation plan (interval, parallelism, how each tensor travels)");
  cmd->add_option("--json", options->json,
                  "save the configured IR as JSON (loadable again as MODEL)");
  return {cmd, [options] { run_show(*options); }};
}

}  // namespace nnfpga::cli
