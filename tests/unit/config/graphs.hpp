// Small hand-built graphs for the configuration tests.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::config::testing {

inline ir::Node input_node(const std::string& name, ir::Shape shape) {
  ir::Node n{.name = name, .op = ir::OpKind::kInput};
  n.attrs.set("shape", std::vector<std::int64_t>(shape));
  return n;
}

inline ir::Node dense_node(const std::string& name, const std::string& input, std::int64_t n_in,
                           std::int64_t n_out, std::vector<double> w = {},
                           std::vector<double> b = {}) {
  if (w.empty()) {
    for (std::int64_t i = 0; i < n_in * n_out; ++i)
      w.push_back(0.01 * static_cast<double>(i % 17) - 0.07);
  }
  if (b.empty()) b.assign(static_cast<std::size_t>(n_out), 0.25);
  ir::Node n{.name = name, .op = ir::OpKind::kDense, .inputs = {input}};
  n.params["weight"] = ir::make_tensor({n_in, n_out}, std::move(w));
  n.params["bias"] = ir::make_tensor({n_out}, std::move(b));
  return n;
}

inline ir::Node unary_node(const std::string& name, ir::OpKind op, const std::string& input) {
  return ir::Node{.name = name, .op = op, .inputs = {input}};
}

inline ir::Graph finish(ir::Graph g) {
  g.inputs = {g.nodes.front().name};
  g.outputs = {g.nodes.back().name};
  ir::infer_shapes(g);
  return g;
}

// x[8] -> fc1 (Dense 8x4) -> relu1 -> fc2 (Dense 4x3) -> sm (Softmax)
inline ir::Graph mlp() {
  ir::Graph g{.name = "mlp"};
  g.nodes = {input_node("x", {8}), dense_node("fc1", "x", 8, 4),
             unary_node("relu1", ir::OpKind::kRelu, "fc1"), dense_node("fc2", "relu1", 4, 3),
             unary_node("sm", ir::OpKind::kSoftmax, "fc2")};
  return finish(std::move(g));
}

// Every canonical op once: x[2,4] -> dense -> bn -> leaky -> clip -> sig -> tanh -> relu
// -> flat -> reshape -> sm
inline ir::Graph every_op() {
  ir::Graph g{.name = "every_op"};
  ir::Node bn{.name = "bn", .op = ir::OpKind::kBatchNorm, .inputs = {"dense"}};
  bn.params["scale"] = ir::make_tensor({2, 3}, {0.5, 1, 1.5, 2, -1, 0.25});
  bn.params["bias"] = ir::make_tensor({2, 3}, {0, 0.1, 0.2, 0.3, 0.4, 0.5});
  ir::Node leaky = unary_node("leaky", ir::OpKind::kLeakyRelu, "bn");
  leaky.attrs.set("alpha", 0.01);
  ir::Node clip = unary_node("clip", ir::OpKind::kClip, "leaky");
  clip.attrs.set("min", 0.0);
  clip.attrs.set("max", 6.0);
  ir::Node reshape = unary_node("reshape", ir::OpKind::kReshape, "flat");
  reshape.attrs.set("shape", std::vector<std::int64_t>{3, 2});
  g.nodes = {input_node("x", {2, 4}),
             dense_node("dense", "x", 4, 3),
             bn,
             leaky,
             clip,
             unary_node("sig", ir::OpKind::kSigmoid, "clip"),
             unary_node("tanh", ir::OpKind::kTanh, "sig"),
             unary_node("relu", ir::OpKind::kRelu, "tanh"),
             unary_node("flat", ir::OpKind::kFlatten, "relu"),
             reshape,
             unary_node("sm", ir::OpKind::kSoftmax, "reshape")};
  return finish(std::move(g));
}

}  // namespace nnfpga::config::testing
