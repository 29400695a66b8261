// Which backend wrote a project directory, so that a command given the other backend's project
// says which command it wanted instead of naming a file that is missing.
#pragma once

#include <string>

namespace nnfpga::cli {

// Throws nnfpga::Error (kInput) when `dir` is a Verilog project: csim and report read HLS
// projects; the message names the Verilog command (`rtlsim` or `rtlsynth`) to run instead.
void require_hls_project(const std::string& dir, const std::string& command,
                         const std::string& verilog_command);

// Throws nnfpga::Error (kInput) when `dir` is an HLS project: rtlsim and rtlsynth read Verilog
// projects; the message names the HLS command to run instead.
void require_verilog_project(const std::string& dir, const std::string& command,
                             const std::string& hls_command);

}  // namespace nnfpga::cli
