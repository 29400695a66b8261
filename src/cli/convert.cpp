// nnfpga convert: write the firmware project of a configured model with the backend asked for.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "backend/backend.hpp"
#include "cli/commands.hpp"

namespace nnfpga::cli {
namespace {

struct ConvertOptions {
  ModelOptions model;
  std::string output;
  std::string backend = "hls";
  std::string top;
};

void run_convert(const ConvertOptions& o) {
  const backend::Backend& b = backend::find_backend(o.backend);
  const ir::Graph graph = load_model(o.model);
  // The top is named after the model file unless --top says otherwise, as users name their
  // projects after their models.
  const std::string top =
      o.top.empty() ? std::filesystem::path(o.model.model).stem().string() : o.top;
  const backend::WrittenProject p = b.write(graph, o.output, {.top = top});
  std::cout << p.estimate.table << "\n" << p.summary;
}

std::string backend_help() {
  std::string help = "what to write (default hls):";
  for (const backend::Backend* b : backend::all_backends()) {
    help += "\n  " + std::string(b->name());
    for (std::string_view a : b->aliases()) help += ", " + std::string(a);
    help += ": " + std::string(b->description());
  }
  return help;
}

}  // namespace

Command add_convert_command(CLI::App& app) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand(
      "convert",
      "Write the model's firmware project (HLS C++ or Verilog, test bench, build files)");
  add_model_options(*cmd, options->model);
  cmd->add_option("-o,--output", options->output, "project directory (created if needed)")
      ->required();
  cmd->add_option("--backend", options->backend, backend_help());
  cmd->add_option("--top", options->top,
                  "name of the top function or module (default: the model file's name)");
  return {cmd, [options] { run_convert(*options); }};
}

}  // namespace nnfpga::cli
