// One small model per op kind the Verilog writer supports: the input and the op (a merge's two
// operands passed through from the input by Dense layers without logic), nothing else. The
// estimate's coverage test and its error against Yosys walk every op kind through these, so a new
// emitter without a model here fails.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <random>

#include "../emulate/graph_builder.hpp"

namespace nnfpga::backend::verilog::testing {

// A Dense that passes inputs [first, first + 3) of 6 through: weights 0 and 1, no adders, every
// cast wiring.
inline ir::Node pick_three(const std::string& name, std::int64_t first,
                           const fixed::FixedType& x_t) {
  const auto w_t = fixed::make_fixed(2, 2);
  const auto acc = fixed::make_fixed(x_t.width + 2, x_t.integer + 2);  // wraps, holds every x
  std::vector<double> w(18, 0.0);
  for (std::int64_t j = 0; j < 3; ++j) w[static_cast<std::size_t>((first + j) * 3 + j)] = 1.0;
  ir::Node n;
  n.name = name;
  n.op = ir::OpKind::kDense;
  n.inputs = {"x"};
  n.input_shapes = {{6}};
  n.output_shape = {3};
  n.params["weight"] = ir::Tensor{{6, 3}, w};
  n.params["bias"] = ir::Tensor{{3}, std::vector<double>(3, 0.0)};
  n.qparams["weight"] = emulate::testing::quantize(w, w_t);
  n.qparams["bias"] = emulate::testing::quantize(std::vector<double>(3, 0.0), w_t);
  n.types = {{"weight", w_t}, {"bias", w_t}, {"accum", acc}, {"result", acc}};
  return n;
}

// A merge of two independent operands (synthesis would fold x op x): the input's halves, passed
// through by pick_three.
inline ir::Graph merge_model(ir::OpKind op, const fixed::FixedType& x_t,
                             const fixed::FixedType& r_t) {
  ir::Graph g = emulate::testing::GraphBuilder({6}, x_t).build();
  g.nodes.push_back(pick_three("a", 0, x_t));
  g.nodes.push_back(pick_three("b", 3, x_t));
  ir::Node m;
  m.name = "merge";
  m.op = op;
  m.inputs = {"a", "b"};
  m.input_shapes = {{3}, {3}};
  m.output_shape = {op == ir::OpKind::kConcatenate ? 6 : 3};
  m.types["result"] = r_t;
  g.nodes.push_back(m);
  g.outputs = {"merge"};
  g.name = std::string("op_") + std::string(ir::op_name(op));
  g.settings.clock_period_ns = 5.0;
  return g;
}

// The model of `op` on 6 inputs, or nullopt when no model is written for it.
inline std::optional<ir::Graph> op_model(ir::OpKind op) {
  using emulate::testing::GraphBuilder;
  using emulate::testing::normal;
  using emulate::testing::quantize;
  using fixed::make_fixed;
  using fixed::Overflow;
  using fixed::Quantization;
  using K = ir::OpKind;
  std::mt19937_64 rng(static_cast<unsigned>(op) + 1);
  const auto x_t = make_fixed(10, 4, true, Quantization::kRnd, Overflow::kSat);
  // Rounding and saturating, so that every op's cast is logic too.
  const auto r_t = make_fixed(8, 3, true, Quantization::kRnd, Overflow::kSat);
  const auto param = make_fixed(8, 1, true, Quantization::kRnd);
  GraphBuilder b({6}, x_t);
  switch (op) {
    case K::kDense:
      b.dense(4, normal(24, 0.8, rng), normal(4, 0.5, rng), make_fixed(8, 2), make_fixed(8, 3),
              make_fixed(20, 8), r_t);
      break;
    case K::kRelu:
      b.unary(op, r_t);
      break;
    case K::kLeakyRelu:
      b.leaky(0.3, param, r_t);
      break;
    case K::kClip:
      b.clip(-1.5, 2.25, r_t);
      break;
    case K::kSigmoid:
    case K::kTanh:
    case K::kElu:
    case K::kSoftsign:
    case K::kSoftplus:
    case K::kSoftmax:
      b.table(op, 64, make_fixed(10, 2, true, Quantization::kRnd, Overflow::kSat),
              make_fixed(10, 1, true, Quantization::kRnd, Overflow::kSat));
      if (op == K::kElu) b.last().attrs.set("alpha", 0.7);
      break;
    case K::kBatchNorm:
      b.batchnorm(normal(6, 1.0, rng), normal(6, 0.5, rng), param, param, r_t);
      break;
    case K::kFlatten:
    case K::kReshape:
      b.reshape(op, {6}, x_t);  // the rank kept, so that models_together can join it
      break;
    case K::kQuantize:
      b.unary(op, r_t);
      break;
    case K::kAdd:
    case K::kSubtract:
    case K::kMultiply:
    case K::kAverage:
    case K::kMaximum:
    case K::kMinimum:
    case K::kConcatenate:
      return merge_model(op, x_t, r_t);
    case K::kPRelu: {
      const std::vector<double> alpha = {0.25, -0.5, 0.3, 0.0, 1.7, 0.1};
      b.unary(op, r_t);
      b.last().params["alpha"] = ir::Tensor{{6}, alpha};
      b.last().types["param"] = param;
      b.last().qparams["alpha"] = quantize(alpha, param);
      break;
    }
    case K::kHardSigmoid:
      b.unary(op, make_fixed(8, 1, false, Quantization::kRndZero, Overflow::kSat));
      b.last().attrs.set("slope", 0.2);
      b.last().attrs.set("offset", 0.5);
      b.last().types["param"] = param;
      b.last().qparams["slope"] = quantize({0.2}, param);
      b.last().qparams["offset"] = quantize({0.5}, param);
      break;
    case K::kThreshold:
      b.unary(op, make_fixed(4, 3));
      b.last().attrs.set("thresholds", std::vector<double>{-100, -0.5, -0.5, 0.33, 20});
      b.last().attrs.set("strict", std::vector<std::int64_t>{0, 0, 1, 0, 0});
      b.last().attrs.set("values", std::vector<double>{-3, -2, -1, 0, 1, 2});
      break;
    case K::kInput:
    case K::kConstant:
    case K::kMatMul:
    case K::kAddConstant:
    case K::kSubConstant:
    case K::kMulConstant:
    case K::kDivConstant:
    case K::kIdentity:
    case K::kDropout:
    case K::kConv1D:
    case K::kConv2D:
    case K::kMaxPool1D:
    case K::kMaxPool2D:
    case K::kAveragePool1D:
    case K::kAveragePool2D:
    case K::kGlobalMaxPool1D:
    case K::kGlobalMaxPool2D:
    case K::kGlobalAveragePool1D:
    case K::kGlobalAveragePool2D:
    case K::kZeroPadding1D:
    case K::kZeroPadding2D:
    case K::kCropping1D:
    case K::kCropping2D:
    case K::kUpSampling1D:
    case K::kUpSampling2D:
    case K::kDepthwiseConv1D:
    case K::kDepthwiseConv2D:
    case K::kTranspose:
      return std::nullopt;
  }
  ir::Graph g = b.build();
  g.name = std::string("op_") + std::string(ir::op_name(op));
  g.settings.clock_period_ns = 5.0;
  return g;
}

// `models` (op_model's, one input each, of one shape and type) as one graph: each model's layers
// renamed apart, reading the shared input, and their outputs joined by a Concatenate into a type
// that holds every value (every cast into it is wiring), so that one synthesis sizes them all.
inline ir::Graph models_together(const std::vector<ir::Graph>& models, const std::string& name) {
  ir::Graph g = models.at(0);
  g.nodes.resize(1);  // the input
  ir::Node all;
  all.name = "all";
  all.op = ir::OpKind::kConcatenate;
  all.types["result"] = fixed::make_fixed(16, 8);
  all.output_shape = {0};
  for (std::size_t i = 0; i < models.size(); ++i) {
    auto renamed = [&](const std::string& n) {
      // (fmt rather than "m" + std::to_string(i): GCC 12's -Wrestrict misfires on that at -O3.)
      return n == g.inputs.front() ? n : fmt::format("m{}_{}", i, n);
    };
    for (std::size_t k = 1; k < models[i].nodes.size(); ++k) {
      ir::Node n = models[i].nodes[k];
      n.name = renamed(n.name);
      for (std::string& in : n.inputs) in = renamed(in);
      g.nodes.push_back(std::move(n));
    }
    const ir::Node& out = g.at(renamed(models[i].outputs.front()));
    all.inputs.push_back(out.name);
    all.input_shapes.push_back(out.output_shape);
    all.output_shape[0] += out.output_shape.back();
  }
  g.nodes.push_back(std::move(all));
  g.outputs = {"all"};
  g.name = name;
  return g;
}

}  // namespace nnfpga::backend::verilog::testing
