// The generated project's files as text, from the layout project_writer.cpp assembles: tensor
// names and types, and each layer's emitted code.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "backend/hls/emitter.hpp"

namespace nnfpga::backend::hls {

struct LayerLayout {
  const ir::Node* node = nullptr;
  TensorRef output;
  LayerCode code;
};

struct InputPort {
  TensorRef port;        // the top function's argument
  std::string internal;  // the array layers read (the port itself for io_parallel)
};

struct OutputPort {
  TensorRef port;      // the top function's argument
  std::string source;  // the variable holding the tensor inside the top function
};

struct ProjectLayout {
  const ir::Graph* graph = nullptr;
  std::string top;
  std::int64_t interval = 1;  // the model's initiation interval (the largest reuse factor)
  std::vector<std::pair<std::string, fixed::FixedType>> types;  // typedef name, type
  std::vector<InputPort> inputs;
  std::vector<OutputPort> outputs;
  std::vector<LayerLayout> layers;  // graph order, inputs excluded
};

std::string defines_h(const ProjectLayout& p);       // firmware_text.cpp
std::string parameters_h(const ProjectLayout& p);    // firmware_text.cpp
std::string constant_h(const ConstantArray& c);      // firmware_text.cpp
std::string top_h(const ProjectLayout& p);           // firmware_text.cpp
std::string top_cpp(const ProjectLayout& p);         // firmware_text.cpp
std::string testbench_cpp(const ProjectLayout& p);   // testbench_text.cpp
std::string build_tcl(const ProjectLayout& p);       // build_text.cpp
std::string project_readme(const ProjectLayout& p);  // build_text.cpp

}  // namespace nnfpga::backend::hls
