// canonicalize: the canonicalization passes in order, repeated until the graph stops changing
// (one pass can enable another: a Mul merged into a BatchNorm may then fold into a Dense), then
// one error listing every node no consumer handles.
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {
namespace {

// Every pass removes nodes or turns them into simpler ones, so a few rounds always suffice; the
// bound only guards against a pass that would oscillate.
constexpr int kMaxRounds = 16;

void run_round(ir::Graph& graph) {
  fold_constants(graph);
  fuse_matmul_add_into_dense(graph);
  fold_scale_shift(graph);
  fold_batchnorm_into_dense(graph);
  remove_identity(graph);
  remove_dead_nodes(graph);
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

}  // namespace nnfpga::passes
