// The generated project's files as text, from the contents project_writer.cpp assembles: tensor
// names and types, each layer's emitted code, and the implementation plan they follow (how each
// port travels, the interval the top is pipelined at).
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backend/hls/emitter.hpp"
#include "plan/plan.hpp"

namespace nnfpga::backend::hls {

// One layer of the top function: its node, its result, and the code its emitter wrote.
struct ProjectLayer {
  const ir::Node* node = nullptr;
  TensorRef output;
  LayerCode code;
};

// A port of the top function. Under io_stream (plan: a stream of one beat per sample) the
// top reads the port into an array and the layers compute on arrays, as under io_parallel.
struct InputPort {
  TensorRef port;                        // the top function's argument
  std::string internal;                  // the array layers read (the port itself for an array)
  const plan::EdgePlan* edge = nullptr;  // how the port travels (array or stream)
};

struct OutputPort {
  TensorRef port;      // the top function's argument
  std::string source;  // the variable holding the tensor inside the top function
  const plan::EdgePlan* edge = nullptr;
};

// io_stream's dataflow top (dataflow_top.cpp): the FIFOs between processes and the processes.
struct StreamFifo {
  std::string var;         // the hls::stream declared in the top function
  std::string beat;        // nnf::packed<T, channels>
  std::int64_t depth = 0;  // beats (#pragma HLS STREAM depth=)
};

struct StreamProcess {
  std::string definition;         // the process function, written before the top
  std::string function;           // its name
  std::vector<std::string> args;  // the streams it reads, then the ones it writes
};

struct Dataflow {
  std::vector<StreamFifo> fifos;
  std::vector<StreamProcess> processes;  // graph order, each clone after its producer
};

// Everything the project's files are written from: names, types, ports, each layer's code, and
// the plan they follow.
struct ProjectContents {
  const ir::Graph* graph = nullptr;
  const plan::Plan* plan = nullptr;  // the top is pipelined at plan->interval
  std::string top;
  std::vector<std::pair<std::string, fixed::FixedType>> types;  // typedef name, type
  std::vector<InputPort> inputs;
  std::vector<OutputPort> outputs;
  std::vector<ProjectLayer> layers;  // graph order, inputs excluded
  // Set for io_stream models with a tensor of several positions: the top is a dataflow region of
  // one process per layer (and per clone), its ports streams of one beat per position.
  std::optional<Dataflow> dataflow;
};

// Whether a port travels as a stream of packed words (nnf::packed<T, beat width>).
inline bool is_stream(const plan::EdgePlan* edge) {
  return edge->transfer == plan::Transfer::kStream;
}

// The local variables of the generated functions (top, test bench, bridge). write_project takes
// them from the IdentifierTable before any model name, so that no model name can shadow one.
inline constexpr std::array kGeneratedLocals = {
    "argc", "argv", "in_path", "out_path", "in",     "out",     "line", "samples",  "fields", "v",
    "d",    "sep",  "k",       "s",        "inputs", "outputs", "word", "position", "channel"};

// Values per sample: every input's (the test bench's line, the bridge's input row), every
// output's.
std::int64_t input_width(const ProjectContents& p);   // top_call_text.cpp
std::int64_t output_width(const ProjectContents& p);  // top_call_text.cpp

// One sample through the top function, the statements shared by the test bench and the bridge so
// that both run it alike. call_top_cpp declares every input and fills it from `values[offset +
// k]` (doubles, every input's values in input order; a stream port: one word per beat, one beat
// per sample), declares the outputs, and calls the top. read_outputs_cpp then loops over every
// output's values (a stream port: reading its one word) with the statements `consume(value,
// offset)` returns, `value` being value k of the output (an ap type) and `offset` the output's
// first index among all outputs. Every line is prefixed with `indent`.
std::string call_top_cpp(const ProjectContents& p, const std::string& values,
                         const std::string& indent);  // top_call_text.cpp
std::string read_outputs_cpp(
    const ProjectContents& p, const std::string& indent,
    const std::function<std::string(const std::string& value, std::int64_t offset)>&
        consume);  // top_call_text.cpp

std::string defines_h(const ProjectContents& p);         // firmware_text.cpp
std::string parameters_h(const ProjectContents& p);      // firmware_text.cpp
std::string constant_h(const ConstantArray& c);          // firmware_text.cpp
std::string top_h(const ProjectContents& p);             // firmware_text.cpp
std::string top_signature(const ProjectContents& p);     // firmware_text.cpp
std::string top_cpp(const ProjectContents& p);           // firmware_text.cpp
std::string testbench_cpp(const ProjectContents& p);     // testbench_text.cpp
std::string bridge_cpp(const ProjectContents& p);        // bridge_text.cpp
std::string build_tcl(const ProjectContents& p);         // build_text.cpp
std::string dataflow_top_cpp(const ProjectContents& p);  // dataflow_top.cpp
std::string project_readme(const ProjectContents& p);    // build_text.cpp

}  // namespace nnfpga::backend::hls
