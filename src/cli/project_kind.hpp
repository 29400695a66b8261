// Which backend wrote a project directory, so that a command given the other backend's project
// says which command it wanted instead of naming a file that is missing.
#pragma once

#include <string>

namespace nnfpga::cli {

enum class ProjectKind { kHls, kVerilog };

// Throws nnfpga::Error (kInput) when `dir` is the other backend's project: csim and report read
// HLS projects, rtlsim and rtlsynth Verilog ones. The message names `instead`, the command of
// the other backend to run on it.
void require_project(const std::string& dir, ProjectKind kind, const std::string& command,
                     const std::string& instead);

}  // namespace nnfpga::cli
