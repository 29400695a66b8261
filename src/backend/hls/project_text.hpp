// The generated project's files as text, from the layout project_writer.cpp assembles: tensor
// names and types, and each layer's emitted code.
#pragma once

#include <array>
#include <functional>
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

// The local variables of the generated functions (top, test bench, bridge). write_project takes
// them from the IdentifierTable before any model name, so that no model name can shadow one.
inline constexpr std::array kGeneratedLocals = {
    "argc", "argv", "in_path", "out_path", "in", "out",    "line",    "samples", "fields",
    "v",    "d",    "sep",     "k",        "s",  "inputs", "outputs", "word"};

// Values per sample: every input's (the test bench's line, the bridge's input row), every
// output's.
std::int64_t input_width(const ProjectLayout& p);   // top_call_text.cpp
std::int64_t output_width(const ProjectLayout& p);  // top_call_text.cpp

// One sample through the top function, the statements shared by the test bench and the bridge so
// that both run it alike. call_top_cpp declares every input and fills it from `values[offset +
// k]` (doubles, every input's values in input order; io_stream: one word per stream), declares
// the outputs, and calls the top. read_outputs_cpp then loops over every output's values
// (io_stream: reading one word per stream) with the statements `consume(value, offset)` returns,
// `value` being value k of the output (an ap type) and `offset` the output's first index among all
// outputs. Every line is prefixed with `indent`.
std::string call_top_cpp(const ProjectLayout& p, const std::string& values,
                         const std::string& indent);  // top_call_text.cpp
std::string read_outputs_cpp(
    const ProjectLayout& p, const std::string& indent,
    const std::function<std::string(const std::string& value, std::int64_t offset)>&
        consume);  // top_call_text.cpp

std::string defines_h(const ProjectLayout& p);       // firmware_text.cpp
std::string parameters_h(const ProjectLayout& p);    // firmware_text.cpp
std::string constant_h(const ConstantArray& c);      // firmware_text.cpp
std::string top_h(const ProjectLayout& p);           // firmware_text.cpp
std::string top_cpp(const ProjectLayout& p);         // firmware_text.cpp
std::string testbench_cpp(const ProjectLayout& p);   // testbench_text.cpp
std::string bridge_cpp(const ProjectLayout& p);      // bridge_text.cpp
std::string build_tcl(const ProjectLayout& p);       // build_text.cpp
std::string project_readme(const ProjectLayout& p);  // build_text.cpp

}  // namespace nnfpga::backend::hls
