// Writing a Vitis/Vivado HLS project from a typed graph (`nnfpga convert`). The layout:
//   firmware/<top>.cpp, <top>.h      the top function, with the interface pragmas of the IOType
//   firmware/<top>_bridge.cpp        C entry points for a shared library (csim_library.hpp)
//   firmware/defines.h               tensor types and sizes
//   firmware/parameters.h            per-layer compile-time configuration
//   firmware/weights/<name>.h        weights, biases and tables as exact initializers
//   firmware/nnfpga/*.h              the layer library (hlslib/nnfpga)
//   tb/<top>_test.cpp                a text-in, text-out test bench
//   tb_data/                         its inputs, and the emulator's outputs for them
//   ap_types/                        nnfpga's own ap_fixed.h, ap_int.h, hls_stream.h for g++
//   build_prj.tcl, README.md         the vendor build, and how to run it
//   estimate.json                    latency, interval and resources per layer (src/estimate/)
//   nnfpga/model.json, project.json  the typed graph it was generated from, and the top's name
#pragma once

#include <string>
#include <vector>

#include "estimate/estimate.hpp"
#include "ir/graph.hpp"
#include "plan/plan.hpp"

namespace nnfpga::backend::hls {

struct ProjectOptions {
  std::string top;  // top function name; empty: from the graph's name, else "myproject"
  // The implementation plan to build (a tuner's edit of plan::make_plan(graph)); nullptr: the
  // graph's own plan.
  const plan::Plan* plan = nullptr;
};

struct Project {
  std::string dir;
  std::string top;                   // the top function's (sanitized) name
  std::vector<std::string> files;    // relative paths written, in order
  estimate::ModelEstimate estimate;  // also written to estimate.json
};

// Writes the project into `dir` (created if needed; files of the same names are replaced).
// Throws nnfpga::Error: kUnsupported naming every node whose op the backend lacks, or an edge the
// plan wants built in a way the writer does not build, kInput when the directory cannot be
// written.
Project write_project(const ir::Graph& graph, const std::string& dir,
                      const ProjectOptions& options = {});

// Where write_project puts the graph, and the project's own facts (the top function's name),
// relative to the project directory.
inline constexpr const char* kModelJson = "nnfpga/model.json";
inline constexpr const char* kProjectJson = "nnfpga/project.json";
inline constexpr const char* kEstimateJson = "estimate.json";

}  // namespace nnfpga::backend::hls
