// nnfpga/rtl.json: the facts of a written Verilog project that rtlsim, rtlsynth and users read.
#pragma once

#include <string>

#include "backend/verilog/project.hpp"

namespace nnfpga::backend::verilog {

// The JSON text (deterministic: fixed key order, relative paths).
std::string facts_json(const Project& project);

}  // namespace nnfpga::backend::verilog
