// The core before it is text: every layer's netlist, built by its emitter and scheduled where its
// inputs arrive, and the core module wiring them. The one path the project writer (which then
// asks each netlist for its text) and the Verilog estimate (which counts the netlists,
// estimate_rtl.hpp) share, so that what is estimated is what is written.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "backend/verilog/netlist.hpp"
#include "backend/verilog/top_text.hpp"
#include "ir/graph.hpp"

namespace nnfpga::backend::verilog {

// A tensor of the core: where it is in core.tensors, its element type and count, and where its
// values arrive.
struct CoreTensorFacts {
  int index = 0;
  fixed::FixedType type;
  std::int64_t count = 0;
  Arrival at;
};

// One layer's module: the node it computes, its name, its netlist as built, and its register
// stages from its inputs to its outputs.
struct LayerModule {
  const ir::Node* node = nullptr;
  std::string name;
  Netlist netlist;
  int latency = 0;
};

struct BuiltCore {
  CoreModule core;
  std::vector<LayerModule> layers;                 // in graph order; the Input node has none
  std::map<std::string, CoreTensorFacts> tensors;  // by node name
};

// Builds every layer of `graph` into modules named <top>_<layer>, and the core <top>_core, their
// names taken from `ids` (where the caller has taken its own). Throws nnfpga::Error (kUnsupported)
// at a node whose op the backend lacks or whose arithmetic the RTL cannot reproduce exactly.
BuiltCore build_core(const ir::Graph& graph, const std::string& top, IdentifierTable& ids);

}  // namespace nnfpga::backend::verilog
