// Which backend wrote a project directory, so that a command given another backend's project
// says which command it wanted instead of naming a file that is missing.
#pragma once

#include <string>
#include <string_view>

namespace nnfpga::cli {

// Throws nnfpga::Error (kInput) when `dir` holds a project of a backend other than `backend`
// (csim and report read HLS projects, rtlsim and rtlsynth Verilog ones). The message names
// `instead`, the command to run on it.
void require_project(const std::string& dir, std::string_view backend, const std::string& command,
                     const std::string& instead);

}  // namespace nnfpga::cli
