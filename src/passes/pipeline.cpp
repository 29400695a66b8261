// The pipeline: every pass in order, as data (`nnfpga show --passes` prints it), and canonicalize,
// which runs the canonicalization passes in that order, repeated until the graph stops changing
// (one pass can enable another: a Mul merged into a BatchNorm may then fold into a Dense), then
// raises one error listing every node no consumer handles.
#include <array>
#include <string>

#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {
namespace {

// Every pass removes nodes or turns them into simpler ones, so a few rounds always suffice; the
// bound only guards against a pass that would oscillate.
constexpr int kMaxRounds = 16;

constexpr std::array kPipeline{
    Pass{"fold_constants",
         "evaluate nodes whose inputs are all constants; move constant operands into parameters",
         fold_constants, true},
    Pass{"fuse_matmul_add_into_dense",
         "MatMul with a constant weight -> Dense; a per-channel Add after a Dense -> its bias",
         fuse_matmul_add_into_dense, true},
    Pass{"fold_scale_shift",
         "Add/Sub/Mul/Div by a constant -> into the Dense or BatchNorm before, or a BatchNorm",
         fold_scale_shift, true},
    Pass{"fold_batchnorm_into_dense",
         "a per-channel BatchNorm after a Dense -> the Dense's weight and bias",
         fold_batchnorm_into_dense, true},
    Pass{"remove_identity", "drop Identity and Dropout: consumers read the producer",
         remove_identity, true},
    Pass{"fold_zero_padding_into_window",
         "a ZeroPadding before a Conv or a zero-counting AveragePool -> that layer's own pads",
         fold_zero_padding_into_window, true},
    Pass{"remove_dead_nodes", "drop nodes that reach no graph output (never an Input)",
         remove_dead_nodes, true},
    Pass{"quantize_parameters", "quantize every parameter into its resolved type (Node::qparams)",
         quantize_parameters, false},
};

// Runs one round of the canonicalization passes, stopping after `last` when given.
void run_round(ir::Graph& graph, const Pass* last = nullptr) {
  for (const Pass& pass : kPipeline) {
    if (!pass.canonicalization) continue;
    pass.run(graph);
    if (last != nullptr && pass.name == last->name) return;
  }
}

void refuse_non_canonical(const ir::Graph& graph) {
  std::string list;
  for (const ir::Node& n : graph.nodes) {
    if (ir::op_info(n.op).canonical) continue;
    const std::string op = n.source_op.empty() ? std::string(ir::op_name(n.op)) : n.source_op;
    list += (list.empty() ? "" : ", ") + n.name + " (" + op + ")";
  }
  if (!list.empty()) {
    throw Error(ErrorKind::kUnsupported,
                "these nodes could not be lowered to supported layers: " + list);
  }
}

}  // namespace

std::span<const Pass> pipeline() {
  return kPipeline;
}

const Pass& find_pass(std::string_view name) {
  std::string names;
  for (const Pass& pass : kPipeline) {
    if (pass.name == name) return pass;
    names += (names.empty() ? "" : ", ") + std::string(pass.name);
  }
  throw Error(ErrorKind::kInput,
              "unknown pass '" + std::string(name) + "'; the passes, in order: " + names);
}

void canonicalize(ir::Graph& graph) {
  ir::validate(graph);
  ir::infer_shapes(graph);
  for (int round = 0; round < kMaxRounds; ++round) {
    const ir::Graph before = graph;
    run_round(graph);
    if (graph == before) break;
  }
  ir::infer_shapes(graph);
  ir::validate(graph);
  refuse_non_canonical(graph);
}

void canonicalize_through(ir::Graph& graph, const Pass& last) {
  if (!last.canonicalization) {
    throw Error(ErrorKind::kInput, "'" + std::string(last.name) +
                                       "' runs after configuration, not in canonicalization");
  }
  ir::validate(graph);
  ir::infer_shapes(graph);
  run_round(graph, &last);
  ir::infer_shapes(graph);
}

}  // namespace nnfpga::passes
