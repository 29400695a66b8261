// The IR: a typed dataflow graph. Every node produces one tensor, named like the node. Shapes
// exclude the batch axis. Once config resolution has run, every node carries the fixed-point types
// its op needs (the op table lists them) and every parameter its quantized mantissas.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fixed/fixed_type.hpp"
#include "ir/attributes.hpp"
#include "ir/op_kind.hpp"
#include "ir/tensor.hpp"

namespace nnfpga::ir {

enum class Strategy { kLatency, kResource };
enum class IOType { kParallel, kStream };
// How a convolution's windows are formed in firmware: hls4ml's line buffer (its `Encoded`
// alternative is not implemented).
enum class ConvImplementation { kLineBuffer };

std::string to_string(Strategy s);            // "Latency", "Resource"
std::string to_string(IOType t);              // "io_parallel", "io_stream"
std::string to_string(ConvImplementation c);  // "LineBuffer"

// Per-layer hardware settings resolved from the configuration.
struct LayerSettings {
  int reuse_factor = 1;
  Strategy strategy = Strategy::kLatency;
  int table_size = 1024;
  // Convolutions: output positions computed at once (divides them), and the window buffer.
  int parallelization_factor = 1;
  ConvImplementation conv_implementation = ConvImplementation::kLineBuffer;
  // io_stream dataflow: the depth in beats of the FIFOs that carry this layer's output, set by
  // the configuration (LayerName.<layer>.FifoDepth) over the computed one; 0: computed. Per
  // reader (a consumer's name) when the output fans out, else every FIFO of the output.
  std::int64_t fifo_depth = 0;
  std::map<std::string, std::int64_t> fifo_depth_by_consumer;
  bool operator==(const LayerSettings&) const = default;
};

// Whole-model hardware settings.
struct ModelSettings {
  IOType io_type = IOType::kParallel;
  double clock_period_ns = 5.0;
  std::string part = "xcvu13p-flga2577-2-e";
  bool operator==(const ModelSettings&) const = default;
};

// A parameter quantized into its type: value = mantissa * 2^-type.frac(). `overflows` counts the
// trained values that did not fit the type (saturated or wrapped by its overflow mode).
struct QuantizedTensor {
  fixed::FixedType type;
  std::vector<std::int64_t> mantissa;
  std::int64_t overflows = 0;
  bool operator==(const QuantizedTensor&) const = default;
};

struct Node {
  std::string name;
  OpKind op = OpKind::kIdentity;
  std::vector<std::string> inputs;  // names of the producing nodes
  Attributes attrs;
  std::map<std::string, Tensor> params;  // trained (float) parameters, by the op table's names
  std::vector<Shape> input_shapes;
  Shape output_shape;
  std::string source_op;  // the op in the source format ("Gemm"), for messages

  // Types the model itself declares, by key: the quantizers of a quantization-aware model
  // (QKeras, QONNX, HGQ2) give exact types, or "auto" (inferred so that nothing overflows).
  // Config resolution ranks them below LayerName and above LayerType (config/README.md).
  // `declared_by` says where they come from ("QKeras quantized_bits(8,2,alpha=1)"), for messages.
  std::map<std::string, std::string> declared_types;
  std::string declared_by;

  // Filled by config resolution (config/): types by key ("result", "weight", "bias", "accum",
  // "table", ...), hardware settings, and the quantized parameters.
  std::map<std::string, fixed::FixedType> types;
  LayerSettings settings;
  std::map<std::string, QuantizedTensor> qparams;

  // The type of `key`; throws nnfpga::Error (kInternal) naming the node when it is not set.
  const fixed::FixedType& type(const std::string& key) const;
  const Tensor& param(const std::string& key) const;
  const QuantizedTensor& qparam(const std::string& key) const;

  bool operator==(const Node&) const = default;
};

struct Graph {
  std::string name;
  std::vector<Node> nodes;           // topological order
  std::vector<std::string> inputs;   // names of the kInput nodes, in order
  std::vector<std::string> outputs;  // names of the nodes whose tensors are the graph's outputs
  ModelSettings settings;
  // The graph inputs and outputs that the source file lays out otherwise than the IR's
  // channels-last order (layout.hpp), by tensor name: how the file orders their axes. Absent:
  // the same order (every tensor of a channels-last file, and every vector).
  std::map<std::string, std::vector<int>> source_axes;
  // The layers the canonicalization passes removed, by name: the layer that took each one in (a
  // BatchNorm folded into its Dense, a ZeroPadding into its Conv's pads), or empty when it was
  // dropped (an Identity or Dropout whose consumers read its producer, a branch reaching no
  // output). A configuration written for the source model (hls4ml's names every layer) may name
  // them: that entry changes nothing, and config::shadowed_settings says so instead of failing.
  std::map<std::string, std::string> removed_layers;

  Node* find(const std::string& node_name);
  const Node* find(const std::string& node_name) const;
  const Node& at(const std::string& node_name) const;  // throws when missing
  std::vector<const Node*> consumers(const std::string& node_name) const;
  // True when the node's tensor is a graph output.
  bool is_output(const std::string& node_name) const;

  bool operator==(const Graph&) const = default;
};

// Checks structure: unique names, inputs defined before use, outputs exist, op arity.
// Throws nnfpga::Error naming the offending node.
void validate(const Graph& graph);

// Recomputes every node's input and output shapes from the graph inputs with the op table's
// shape rules. Throws nnfpga::Error naming the node whose shapes do not fit.
void infer_shapes(Graph& graph);

// Re-sorts nodes into topological order (stable for already-sorted graphs).
void sort_topologically(Graph& graph);

}  // namespace nnfpga::ir
