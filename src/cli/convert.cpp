// nnfpga convert: write the firmware project of a configured model with the backend asked for,
// or with --board/--part a deployment folder around the Verilog backend's accelerator.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "backend/backend.hpp"
#include "cli/commands.hpp"
#include "deploy/deploy_writer.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct ConvertOptions {
  ModelOptions model;
  std::string output;
  std::string backend = "hls";
  bool backend_given = false;
  std::string top;
  std::string board;
  std::string part;
  int beat_bits = 64;
  double clock_mhz = 0;  // 0: the board's default, or the configuration's clock with --part
};

// The board of --board (its clock unless --clock-mhz), or of --part (the configuration's clock
// unless --clock-mhz).
deploy::Board chosen_board(const ConvertOptions& o, const ir::Graph& graph) {
  if (!o.board.empty()) {
    deploy::Board b = deploy::find_board(o.board);
    if (!o.part.empty() && o.part != b.part) {
      throw Error(ErrorKind::kInput, "--board " + o.board + " has part " + b.part + "; --part " +
                                         o.part + " contradicts it (give one of them)");
    }
    if (o.clock_mhz > 0) b.clock_mhz = o.clock_mhz;
    return b;
  }
  return deploy::board_for_part(
      o.part, o.clock_mhz > 0 ? o.clock_mhz : 1000.0 / graph.settings.clock_period_ns);
}

void run_convert(const ConvertOptions& o) {
  const bool deploying = !o.board.empty() || !o.part.empty();
  if (!deploying && o.clock_mhz > 0) {
    throw Error(ErrorKind::kInput,
                "--clock-mhz sets a board's clock: give it with --board or --part (a plain "
                "project takes ClockPeriod from the configuration)");
  }
  const backend::Backend* b = deploying ? nullptr : &backend::find_backend(o.backend);
  const ir::Graph graph = load_model(o.model);
  // The top is named after the model file unless --top says otherwise, as users name their
  // projects after their models.
  const std::string top =
      o.top.empty() ? std::filesystem::path(o.model.model).stem().string() : o.top;
  if (deploying) {
    const deploy::DeployFolder d =
        deploy::write_deploy(graph, o.output,
                             {.board = chosen_board(o, graph),
                              .beat_bits = o.beat_bits,
                              .backend = o.backend_given ? o.backend : "verilog",
                              .top = top});
    std::cout << d.estimate.table << "\n" << d.summary;
    return;
  }
  const backend::WrittenProject p = b->write(graph, o.output, {.top = top});
  std::cout << p.estimate.table << "\n" << p.summary;
}

std::string backend_help() {
  std::string help = "what to write (default hls; verilog with --board):";
  for (const backend::Backend* b : backend::all_backends()) {
    help += "\n  " + std::string(b->name());
    for (std::string_view a : b->aliases()) help += ", " + std::string(a);
    help += ": " + std::string(b->description());
  }
  return help;
}

std::string board_help() {
  std::string help =
      "write a deployment folder for a board (Verilog accelerator, AXI DMA, Vivado Tcl, driver; "
      "docs/board.md):";
  for (const deploy::Board& b : deploy::all_boards()) {
    help += "\n  " + b.name + ": " + b.part + ", " + std::string(deploy::ps_label(b.ps)) + ", " +
            std::to_string(static_cast<int>(b.clock_mhz)) + " MHz";
  }
  return help;
}

}  // namespace

Command add_convert_command(CLI::App& app) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand(
      "convert",
      "Write the model's firmware project (HLS C++ or Verilog, test bench, build files), or a "
      "board deployment folder (--board, --part)");
  add_model_options(*cmd, options->model);
  cmd->add_option("-o,--output", options->output, "project directory (created if needed)")
      ->required();
  CLI::Option* backend = cmd->add_option("--backend", options->backend, backend_help());
  cmd->add_option("--top", options->top,
                  "name of the top function or module (default: the model file's name)");
  cmd->add_option("--board", options->board, board_help());
  cmd->add_option("--part", options->part,
                  "write a deployment folder for this Zynq part (no board preset), at the "
                  "configuration's clock unless --clock-mhz");
  cmd->add_option("--beat-bits", options->beat_bits,
                  "with --board/--part: the AXI4-Stream width, 32, 64 (default) or 128");
  cmd->add_option("--clock-mhz", options->clock_mhz,
                  "with --board/--part: the fabric clock (default: the board's)");
  return {cmd, [options, backend] {
            options->backend_given = backend->count() > 0;
            run_convert(*options);
          }};
}

}  // namespace nnfpga::cli
