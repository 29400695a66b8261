// The files of src/boardsim/embedded/ compiled into the binary (cmake/embed_files.cmake): the board
// model's C++ (board_model.cpp), the pynq stand-in (pynq/__init__.py) and the Python runner
// (run_boardsim.py), written next to a deployment folder's simulation when boardsim runs.
#pragma once

#include <vector>

#include "backend/hls/embedded_files.hpp"

namespace nnfpga::boardsim {

using backend::hls::EmbeddedFile;

const std::vector<EmbeddedFile>& embedded_boardsim();

}  // namespace nnfpga::boardsim
