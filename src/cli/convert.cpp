// nnfpga convert: write the firmware project of a configured model.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "backend/hls/project.hpp"
#include "backend/verilog/project.hpp"
#include "cli/commands.hpp"
#include "estimate/estimate.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct ConvertOptions {
  ModelOptions model;
  std::string output;
  std::string backend = "hls";
  std::string top;
};

void run_convert_verilog(const ir::Graph& graph, const std::string& top, const std::string& dir) {
  const backend::verilog::Project p = backend::verilog::write_project(graph, dir, {.top = top});
  std::cout << "wrote Verilog project " << p.dir << " (top module " << p.top << ", " << p.rtl.size()
            << " Verilog files)\n"
            << "latency " << p.latency_cycles << " cycles at " << p.clock_period_ns
            << " ns, a new sample every cycle (II = 1)\n"
            << "check it bit for bit against the emulator: nnfpga rtlsim " << p.dir << "\n";
}

void run_convert(const ConvertOptions& o) {
  const ir::Graph graph = load_model(o.model);
  const bool hls = o.backend == "hls" || o.backend == "vitis" || o.backend == "vivado";
  if (!hls && o.backend != "verilog") {
    throw Error(ErrorKind::kUnsupported, "backend '" + o.backend +
                                             "' is not available: this build writes HLS "
                                             "projects (--backend hls, vitis or vivado) and "
                                             "Verilog (--backend verilog)");
  }
  // The top function is named after the model file unless --top says otherwise, as users
  // name their projects after their models.
  const std::string top =
      o.top.empty() ? std::filesystem::path(o.model.model).stem().string() : o.top;
  if (!hls) {
    run_convert_verilog(graph, top, o.output);
    return;
  }
  const backend::hls::Project p = backend::hls::write_project(graph, o.output, {.top = top});
  std::cout << estimate::format_table(p.estimate) << "\n";
  std::cout << "wrote HLS project " << p.dir << " (top function " << p.top << ", " << p.files.size()
            << " files)\n"
            << "check it bit for bit against the emulator: nnfpga csim " << p.dir << "\n";
}

}  // namespace

Command add_convert_command(CLI::App& app) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand(
      "convert", "Write the model's firmware project (Vitis/Vivado HLS C++, test bench, Tcl)");
  add_model_options(*cmd, options->model);
  cmd->add_option("-o,--output", options->output, "project directory (created if needed)")
      ->required();
  cmd->add_option("--backend", options->backend,
                  "hls (the same project serves vitis and vivado) or verilog; default hls");
  cmd->add_option("--top", options->top,
                  "name of the top function or module (default: the model file's name)");
  return {cmd, [options] { run_convert(*options); }};
}

}  // namespace nnfpga::cli
