// Graph passes. Each one lives in its own file, named for what it does, and has its own test.
// pipeline.cpp orders them.
#pragma once

#include <span>
#include <string_view>

#include "ir/graph.hpp"

namespace nnfpga::passes {

// Canonicalization: run on the graph a frontend produced, before configuration.
void fold_constants(ir::Graph& graph);                 // constant_folding.cpp
void fuse_matmul_add_into_dense(ir::Graph& graph);     // matmul_add_to_dense.cpp
void fold_scale_shift(ir::Graph& graph);               // fold_scale_shift.cpp
void fold_batchnorm_into_dense(ir::Graph& graph);      // fold_batchnorm.cpp
void remove_identity(ir::Graph& graph);                // remove_identity.cpp
void fold_zero_padding_into_window(ir::Graph& graph);  // fold_zero_padding.cpp
void remove_dead_nodes(ir::Graph& graph);              // remove_dead_nodes.cpp

// After configuration: quantize every parameter into its resolved type (fills Node::qparams).
void quantize_parameters(ir::Graph& graph);  // quantize_parameters.cpp

// One pass of the pipeline, as `nnfpga show --passes` lists it and `show --after` names it.
struct Pass {
  std::string_view name;         // the function's name
  std::string_view description;  // one line
  void (*run)(ir::Graph&);
  bool canonicalization;  // run by canonicalize, before configuration (else after it)
};

// Every pass in pipeline order (pipeline.cpp holds the list): the canonicalization passes, which
// canonicalize runs in rounds until the graph stops changing, then those after configuration.
std::span<const Pass> pipeline();

// The pass named `name`; otherwise throws nnfpga::Error (kInput) listing every valid name.
const Pass& find_pass(std::string_view name);

// Runs the canonicalization passes in order, then checks that only canonical ops remain;
// otherwise throws nnfpga::Error (kUnsupported) listing every remaining node (name, op).
void canonicalize(ir::Graph& graph);  // pipeline.cpp

// The graph as canonicalization leaves it right after the first run of `last` (a
// canonicalization pass): the first round's passes up to `last`, shapes inferred, not checked
// for canonical ops. For inspecting the pipeline (`nnfpga show --after`).
void canonicalize_through(ir::Graph& graph, const Pass& last);

}  // namespace nnfpga::passes
