// The Verilog backend behind the backend interface (backend/backend.hpp): write_project,
// run_rtlsim and the estimate of the netlists it builds.
#pragma once

#include "backend/backend.hpp"

namespace nnfpga::backend::verilog {

const Backend& verilog_backend();

}  // namespace nnfpga::backend::verilog
