// Graph passes. Each one lives in its own file, named for what it does, and has its own test.
// pipeline.cpp orders them.
#pragma once

#include "ir/graph.hpp"

namespace nnfpga::passes {

// Canonicalization: run on the graph a frontend produced, before configuration.
void fold_constants(ir::Graph& graph);              // constant_folding.cpp
void fuse_matmul_add_into_dense(ir::Graph& graph);  // matmul_add_to_dense.cpp
void fold_scale_shift(ir::Graph& graph);            // fold_scale_shift.cpp
void fold_batchnorm_into_dense(ir::Graph& graph);   // fold_batchnorm.cpp
void remove_identity(ir::Graph& graph);             // remove_identity.cpp
void remove_dead_nodes(ir::Graph& graph);           // remove_dead_nodes.cpp

// After configuration: quantize every parameter into its resolved type (fills Node::qparams).
void quantize_parameters(ir::Graph& graph);  // quantize_parameters.cpp

// Runs the canonicalization passes in order, then checks that only canonical ops remain;
// otherwise throws nnfpga::Error (kUnsupported) listing every remaining node (name, op).
void canonicalize(ir::Graph& graph);  // pipeline.cpp

}  // namespace nnfpga::passes
