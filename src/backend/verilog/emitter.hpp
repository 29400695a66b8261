// What one layer contributes to the RTL: the nets of its output codes, built into the layer's
// module (a Netlist) from the codes of its inputs. One emit_<family>.cpp per op family, found
// through find_emitter (nullptr: not supported, reported for every such node at once).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "backend/verilog/arith.hpp"
#include "backend/verilog/cast_rtl.hpp"
#include "ir/graph.hpp"

namespace nnfpga::backend::verilog {

// One input tensor of a layer: its element type and one signal per element (the code, at the
// type's fraction).
struct TensorSignals {
  fixed::FixedType type;
  std::vector<Signal> elements;
};

struct LayerContext {
  const ir::Graph& graph;
  const ir::Node& node;
  Netlist& nl;
  std::vector<TensorSignals> inputs;  // one per node input, in order
};

// The output codes in the node's result type (nets of code_width(result) bits), row-major.
using Emitter = std::vector<NetId> (*)(LayerContext& ctx);

// The emitter of an op kind, or nullptr when the Verilog backend does not implement it.
Emitter find_emitter(ir::OpKind kind);

std::vector<NetId> emit_dense(LayerContext& ctx);
std::vector<NetId> emit_relu_family(LayerContext& ctx);  // ReLU, LeakyReLU, Clip
std::vector<NetId> emit_reshape(LayerContext& ctx);      // Flatten, Reshape, Quantize (one type)
std::vector<NetId> emit_batchnorm(LayerContext& ctx);
std::vector<NetId> emit_table_function(LayerContext& ctx);  // Sigmoid, TanH, ... by ROM
std::vector<NetId> emit_merge(LayerContext& ctx);
std::vector<NetId> emit_softmax(LayerContext& ctx);
std::vector<NetId> emit_threshold(LayerContext& ctx);
std::vector<NetId> emit_parametric(LayerContext& ctx);  // PReLU, HardSigmoid
// One output position of MaxPool / GlobalMaxPool from its window (streaming designs only).
std::vector<NetId> emit_window_max(LayerContext& ctx);
// One output position of AveragePool / GlobalAveragePool from its window, padding as 0 (streaming
// designs only): the count divided by is divisors[0], or with several, divisors[k] for the k that
// `divisor_index` holds (the window's count of real elements varies at padded borders).
std::vector<NetId> emit_window_average(LayerContext& ctx, const std::vector<std::int64_t>& divisors,
                                       const std::optional<Signal>& divisor_index);

// A ROM declared in a module: its function's name, its entries, its address bits.
struct Rom {
  std::string name;
  std::shared_ptr<const std::vector<fixed::i128>> codes;
  int size_log2 = 0;
};

// A ROM of `codes` (2^size_log2 of them) as a function of the module.
Rom add_rom(Netlist& nl, const std::string& hint, std::vector<fixed::i128> codes, int size_log2);
// rom[clamp(index, 0, size - 1)].
Signal rom_read(Netlist& nl, const Rom& rom, const Signal& index);

// Shared by the emitters: a signal's range for a code of type `t`.
Signal code_signal(NetId net, const fixed::FixedType& t);
// The node's result type.
const fixed::FixedType& result_type(const LayerContext& ctx);

}  // namespace nnfpga::backend::verilog
