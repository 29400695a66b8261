// `nnfpga build DEPLOY`: Vivado in batch mode on the folder's vivado/build.tcl, its output read
// line by line for the phases the Tcl announces ("nnfpga-phase: <name>") and Vivado's errors.
// Library code never prints: lines go to a callback the CLI supplies.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace nnfpga::deploy {

// The Vivado executable: `given` when it names an executable file (a directory holding
// vivado or bin/vivado is accepted too), else `vivado` found on PATH; nothing when neither is.
// Throws nnfpga::Error (kInput) when `given` is set but is no Vivado.
std::optional<std::string> find_vivado(const std::string& given);

// The shell command that builds the folder, run from the folder so that Vivado's own files
// (vivado.log and its journal) stay inside it: `vivado -mode batch -nojournal -log
// vivado/build.log -source vivado/build.tcl -tclargs JOBS`. `vivado` is the executable, or
// "vivado" to show what would run.
std::string vivado_command(const std::string& vivado, int jobs);

// The phase a line announces ("nnfpga-phase: synthesis" gives "synthesis"), if it is one.
std::optional<std::string> phase_of(std::string_view line);

// True for a line Vivado marks as an error ("ERROR: [Synth 8-439] ...").
bool is_error_line(std::string_view line);

struct VivadoRun {
  int exit_status = 0;
  std::string last_phase;   // the last phase announced ("done" when the script finished)
  std::string first_error;  // the first ERROR line, if any
};

// Runs `command` in `deploy_dir` (a shell command line, vivado_command's), calling `on_line` with
// every output line as it comes. Throws nnfpga::Error (kInput) when the process cannot start.
VivadoRun run_vivado(const std::string& deploy_dir, const std::string& command,
                     const std::function<void(const std::string& line)>& on_line);

}  // namespace nnfpga::deploy
