// Per-op geometry: the sizes a layer's arithmetic runs over, computed from the node's shapes once,
// here, beside the shape rules that fixed them (op_table.cpp). The emulator, the float path, both
// backends and the estimates call these accessors instead of re-deriving sizes from shapes.
#pragma once

#include <cstdint>

#include "ir/graph.hpp"

namespace nnfpga::ir {

// Dense applies one weight matrix to every position of its channels-last input (layout.hpp):
// y[p][j] = b[j] + sum_i x[p][i] * w[i][j].
struct DenseGeometry {
  std::int64_t n_in = 0;       // input channels: the weight matrix's rows
  std::int64_t n_out = 0;      // output channels: its columns
  std::int64_t positions = 1;  // input vectors per sample, each multiplied by the whole matrix
  std::int64_t products() const { return n_in * n_out; }  // per position
};

// Throws nnfpga::Error (kInternal) naming the node when it is not a Dense whose shapes have been
// inferred, or when its weight does not match them.
DenseGeometry dense_geometry(const Node& node);

}  // namespace nnfpga::ir
