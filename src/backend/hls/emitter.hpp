// What one layer contributes to a generated HLS project, and the per-op-family emitters that
// produce it. The project writer (project_writer.cpp) owns names and files; an emitter only turns
// one typed node into C++ text, using the library calls of hlslib/nnfpga/.
#pragma once

#include <string>
#include <vector>

#include "backend/hls/identifiers.hpp"
#include "ir/graph.hpp"
#include "plan/plan.hpp"

namespace nnfpga::backend::hls {

// A tensor as the generated code sees it: a variable (an array) and its element type's name.
struct TensorRef {
  std::string var;
  std::string type;
  std::int64_t size = 0;
};

struct LayerInput {
  const ir::Graph& graph;
  const ir::Node& node;
  const plan::LayerPlan& plan;    // reuse factor, multiplier limit, strategy: what to build
  std::vector<TensorRef> inputs;  // one per node input, in order
  TensorRef output;
  IdentifierTable& ids;
  // io_stream's dataflow top (docs/hls.md): every layer is a process. A layer that moves values
  // across positions (conv, pools, padding, cropping, upsampling, Flatten/Reshape, Transpose,
  // Concatenate on a position axis) calls its `_stream` library function on the streams that
  // `inputs[k].var` and `output.var` then name. Every other layer's code runs
  // once per position inside a process the writer builds around it: `calls` is the count of
  // positions, its arrays hold one position, and a per-element constant is read from the
  // position's offset (`position` names the loop variable).
  bool stream = false;
  std::int64_t calls = 1;
  std::string position;
};

// A constant array (weights, biases, tables) written to firmware/weights/<name>.h.
struct ConstantArray {
  std::string name;  // identifier, also the file stem
  std::string type;  // element type as spelled in C++
  std::string initializer;
  std::int64_t size = 0;
};

struct LayerCode {
  std::string config;  // definitions for parameters.h (typically one config struct)
  std::vector<ConstantArray> constants;
  std::string call;  // the statement(s) in the top function
};

using Emitter = LayerCode (*)(const LayerInput& in);

// The emitter of an op kind, or nullptr when the HLS backend does not implement it.
Emitter find_emitter(ir::OpKind kind);

// One emitter per op family (emit_<family>.cpp).
LayerCode emit_dense(const LayerInput& in);
LayerCode emit_relu_family(const LayerInput& in);            // ReLU, LeakyReLU, Clip
LayerCode emit_parametric_activation(const LayerInput& in);  // PReLU, HardSigmoid
LayerCode emit_table_function(const LayerInput& in);  // Sigmoid, TanH, Softsign, Softplus, ELU
LayerCode emit_merge(const LayerInput& in);           // Add, Subtract, Multiply, Average, Max, Min
LayerCode emit_concatenate(const LayerInput& in);
LayerCode emit_softmax(const LayerInput& in);
LayerCode emit_batchnorm(const LayerInput& in);
LayerCode emit_threshold(const LayerInput& in);
LayerCode emit_quantize(const LayerInput& in);
LayerCode emit_reshape(const LayerInput& in);   // Flatten, Reshape
LayerCode emit_conv(const LayerInput& in);      // Conv1D/2D, DepthwiseConv1D/2D (emit_window.cpp)
LayerCode emit_pool(const LayerInput& in);      // Max/Average pools, global pools (emit_window.cpp)
LayerCode emit_relayout(const LayerInput& in);  // ZeroPadding, Cropping, UpSampling
LayerCode emit_transpose(const LayerInput& in);

// Helpers shared by the emitters.
std::string type_spelling(const fixed::FixedType& t);  // ap_fixed<...>, checked for the backend
std::string config_name(const LayerInput& in);         // a unique name for the layer's config
std::string constant_array(const LayerInput& in, const std::string& prefix,
                           const ir::QuantizedTensor& q, std::vector<ConstantArray>& out);
// Elements of a whole-tensor count `n` that one call handles (n / in.calls).
std::int64_t per_call(const LayerInput& in, std::int64_t n);
// A per-element constant array as one call reads it: `array`, or `array + position * (n /
// calls)` when the call computes one position of a tensor of `n` elements.
std::string per_call_array(const LayerInput& in, const std::string& array, std::int64_t n);

}  // namespace nnfpga::backend::hls
