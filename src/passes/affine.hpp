// Element-wise affine maps y = x * scale + shift: the common form of Add / Sub / Mul / Div by a
// constant and of BatchNorm, so that fold_scale_shift and fold_batchnorm can compose them and fold
// them into a Dense the same way.
#pragma once

#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::passes {

struct Affine {
  ir::Tensor scale;  // both of the input's full shape
  ir::Tensor shift;
};

// Add / Sub / Mul / Div whose constant is already a parameter, or BatchNorm.
bool is_affine_node(const ir::Node& n);

// The node's map over an input of `shape`. Throws nnfpga::Error (kInput) naming the node for a
// division by a constant that contains 0.
Affine affine_of(const ir::Node& n, const ir::Shape& shape);

// `then` applied after `first`.
Affine compose(const Affine& first, const Affine& then);

// Turns `n` into a BatchNorm computing `a` (its name, input and source op are kept).
void make_batchnorm(ir::Node& n, Affine a);

// Folds a per-output-channel affine map applied after `dense` into its weight and bias:
// w[:, j] *= scale[j], b[j] = b[j] * scale[j] + shift[j].
void fold_into_dense(ir::Node& dense, const std::vector<double>& scale,
                     const std::vector<double>& shift);

// Folds the affine node `after` into `dense` when `dense` feeds only it, is not a graph output and
// the map varies along the last axis only; rewires `after`'s uses to `dense` and erases `after`.
// Returns false (graph untouched) otherwise. References into graph.nodes are invalid afterwards.
bool try_fold_into_dense(ir::Graph& graph, ir::Node& dense, const ir::Node& after);

}  // namespace nnfpga::passes
