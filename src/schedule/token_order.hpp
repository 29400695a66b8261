// The token order of a graph node as a streaming process (contract item 2, "eager raster"), from
// the op's geometry (ir/geometry.hpp): for each output beat, how many beats of each input it
// waits for, and the order in which a step reads the inputs.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::schedule {

struct TokenOrder {
  std::int64_t out_beats = 1;
  // need[k][o]: beats of node input k read before output beat o (network.hpp's Process::need).
  std::vector<std::vector<std::int64_t>> need;
  // Node input indices in the order a step reads them: a broadcast operand of one position first.
  std::vector<int> read_order;
};

// Throws nnfpga::Error (kUnsupported) naming the node for a node that cannot stream in raster
// order: a merge broadcasting an operand along some but not all position axes; (kInternal) for
// an Input or Constant node.
TokenOrder token_order(const ir::Node& node);

// The token order of a clone of a tensor of `beats` beats: read one, write it.
TokenOrder clone_order(std::int64_t beats);

}  // namespace nnfpga::schedule
