// The nnfpga command: parses the command line and runs one subcommand.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"

int main(int argc, char** argv) {
  using namespace nnfpga::cli;
  CLI::App app{
      "nnfpga: compile trained neural networks to FPGA firmware, and emulate them bit for bit.\n"
      "Exit codes: 0 ok, 1 usage, 2 bad input, 3 unsupported model, 4 configuration error, "
      "70 internal error.",
      "nnfpga"};
  app.set_version_flag("--version", std::string("nnfpga ") + NNFPGA_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);
  const std::vector<Command> commands = {
      add_show_command(app),     add_config_command(app),   add_predict_command(app),
      add_trace_command(app),    add_evaluate_command(app), add_convert_command(app),
      add_csim_command(app),     add_report_command(app),   add_rtlsim_command(app),
      add_rtlsynth_command(app), add_build_command(app),    add_boardsim_command(app),
      add_tune_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(app, e);
  }
  for (const Command& command : commands) {
    if (command.app->parsed()) return run_guarded(command.run);
  }
  return kExitUsage;  // unreachable: require_subcommand(1) makes the parse fail first
}
