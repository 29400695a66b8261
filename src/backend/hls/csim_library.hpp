// A written project's C simulation as a shared library, like hls4ml's HLSModel.compile(): the top
// function plus firmware/<top>_bridge.cpp, whose C entry points run samples through the same code
// as the test bench, so that a caller (dlopen, ctypes, the Python binding) gets the emulator's
// outputs bit for bit.
#pragma once

#include <string>

namespace nnfpga::backend::hls {

struct CsimLibraryOptions {
  bool amd_headers = false;  // build against AMD's ap_types rather than the project's ap_types/
  std::string amd_ap_types;  // AMD's headers; empty: $NNFPGA_AP_TYPES_DIR, else hls4ml's
  std::string cxx;           // the compiler; empty: $CXX, else g++
};

// Compiles firmware/<top>.cpp and firmware/<top>_bridge.cpp of a project written by
// write_project with `-std=c++14 -O2 -shared -fPIC` (exporting only the bridge's functions) into
// <project_dir>/build/lib<top>-nnfpga.so, or lib<top>-amd.so with AMD's headers, and returns its
// absolute path. The file is replaced by a rename, so a process that has the previous one loaded
// keeps it; dlclose it before loading the new one, since dlopen of a loaded path returns the
// loaded library. Throws nnfpga::Error: kInput when the directory is not an nnfpga project or
// has no bridge (written by an older nnfpga), or the compiler fails (with its messages); kConfig
// when AMD's headers are asked for and not found.
std::string build_csim_library(const std::string& project_dir,
                               const CsimLibraryOptions& options = {});

// The C functions the library exports (firmware/<top>_bridge.cpp): values per sample of all
// inputs and of all outputs, the top's name, and the run over `samples` samples, inputs and
// outputs sample-major (0: done, 1: invalid arguments, 2: the C simulation threw).
inline constexpr const char* kBridgeInputSize = "nnfpga_bridge_input_size";
inline constexpr const char* kBridgeOutputSize = "nnfpga_bridge_output_size";
inline constexpr const char* kBridgeTop = "nnfpga_bridge_top";
inline constexpr const char* kBridgePredict = "nnfpga_bridge_predict";
using BridgeSizeFn = long (*)();
using BridgeTopFn = const char* (*)();
using BridgePredictFn = int (*)(const double* inputs, double* outputs, long samples);

}  // namespace nnfpga::backend::hls
