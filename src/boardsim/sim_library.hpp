// The simulated board as a shared library: src/boardsim/embedded/board_model.cpp (embedded in the
// binary) and the deployment folder's RTL, built by Verilator with -fPIC and linked -shared, so
// that the pynq stand-in loads it with ctypes into the driver's own Python process.
#pragma once

#include <filesystem>

#include "boardsim/deploy_folder.hpp"

namespace nnfpga::boardsim {

// Writes the embedded boardsim files into `dir` and builds `dir`/obj/libnnfpga_board.so.
// Returns the library. Throws nnfpga::Error (kInput) with the end of the log when Verilator is
// missing or the build fails.
std::filesystem::path build_sim_library(const DeployFolder& folder,
                                        const std::filesystem::path& dir);

}  // namespace nnfpga::boardsim
