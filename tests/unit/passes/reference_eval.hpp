// A plain double-precision evaluator for one sample, for the pass tests only: it computes every op
// of the raw (frontend) and canonical forms, so a test can check that a pass keeps the float
// function of the graph. Outputs are returned in graph.outputs order, flattened row-major.
//
// Independent on purpose: this is a second implementation of the ops' float meaning, written apart
// from the product's (src/ir/float_eval.cpp, which constant folding and the emulator's float path
// call), so that a test checks the product's arithmetic against something it does not share. Do
// not replace it with calls to ir::evaluate_float.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ir/graph.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::passes::testing {

using Values = std::vector<double>;

inline ir::Shape broadcast_shape(const ir::Shape& a, const ir::Shape& b) {
  ir::Shape out(std::max(a.size(), b.size()), 1);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t from_end = out.size() - 1 - i;
    const std::int64_t da = from_end < a.size() ? a[a.size() - 1 - from_end] : 1;
    const std::int64_t db = from_end < b.size() ? b[b.size() - 1 - from_end] : 1;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

inline ir::Tensor binary(const ir::Node& n, const ir::Tensor& x, const ir::Tensor& c) {
  const ir::Shape shape = broadcast_shape(x.shape, c.shape);
  const ir::Tensor bx = ir::broadcast_to(x, shape);
  const ir::Tensor bc = ir::broadcast_to(c, shape);
  const bool swap =
      n.op == ir::OpKind::kSubConstant && n.attrs.get_int_or("constant_first", 0) == 1;
  ir::Tensor out{shape, Values(bx.data.size())};
  for (std::size_t i = 0; i < out.data.size(); ++i) {
    const double a = swap ? bc.data[i] : bx.data[i];
    const double b = swap ? bx.data[i] : bc.data[i];
    switch (n.op) {
      case ir::OpKind::kAddConstant:
        out.data[i] = a + b;
        break;
      case ir::OpKind::kSubConstant:
        out.data[i] = a - b;
        break;
      case ir::OpKind::kMulConstant:
        out.data[i] = a * b;
        break;
      default:
        out.data[i] = a / b;
        break;
    }
  }
  return out;
}

inline ir::Tensor matmul(const ir::Tensor& x, const ir::Tensor& w, const Values* bias) {
  const std::int64_t k = w.shape[0], n = w.shape[1], rows = x.size() / k;
  ir::Shape shape = x.shape;
  shape.back() = n;
  ir::Tensor out{shape, Values(static_cast<std::size_t>(rows * n))};
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < n; ++j) {
      double acc = bias ? (*bias)[j] : 0.0;
      for (std::int64_t i = 0; i < k; ++i) acc += x.data[r * k + i] * w.data[i * n + j];
      out.data[r * n + j] = acc;
    }
  }
  return out;
}

inline ir::Tensor unary(const ir::Node& n, ir::Tensor x) {
  using K = ir::OpKind;
  if (n.op == K::kSoftmax) {
    const std::size_t c = static_cast<std::size_t>(x.shape.back());
    for (std::size_t r = 0; r < x.data.size(); r += c) {
      double sum = 0.0;
      for (std::size_t j = 0; j < c; ++j) sum += std::exp(x.data[r + j]);
      for (std::size_t j = 0; j < c; ++j) x.data[r + j] = std::exp(x.data[r + j]) / sum;
    }
    return x;
  }
  for (double& v : x.data) {
    switch (n.op) {
      case K::kRelu:
        v = std::max(v, 0.0);
        break;
      case K::kLeakyRelu:
        v = v < 0 ? v * n.attrs.get_float("alpha") : v;
        break;
      case K::kClip:
        v = std::min(std::max(v, n.attrs.get_float("min")), n.attrs.get_float("max"));
        break;
      case K::kSigmoid:
        v = 1.0 / (1.0 + std::exp(-v));
        break;
      case K::kTanh:
        v = std::tanh(v);
        break;
      default:
        break;  // Identity, Dropout, Flatten, Reshape: data unchanged
    }
  }
  x.shape = ir::op_info(n.op).shape_rule(n, {x.shape});
  return x;
}

inline ir::Tensor eval_node(const ir::Node& n, const std::vector<const ir::Tensor*>& in) {
  using K = ir::OpKind;
  auto operand = [&](const char* param) -> const ir::Tensor& {
    return in.size() >= 2 ? *in[1] : n.param(param);
  };
  switch (n.op) {
    case K::kConstant:
      return n.param("value");
    case K::kDense:
      return matmul(*in[0], n.param("weight"),
                    n.params.count("bias") ? &n.param("bias").data : nullptr);
    case K::kMatMul:
      return matmul(*in[0], operand("weight"), nullptr);
    case K::kAddConstant:
    case K::kSubConstant:
    case K::kMulConstant:
    case K::kDivConstant:
      return binary(n, *in[0], operand("value"));
    case K::kBatchNorm: {
      ir::Tensor x = *in[0];
      for (std::size_t i = 0; i < x.data.size(); ++i) {
        x.data[i] = x.data[i] * n.param("scale").data[i] + n.param("bias").data[i];
      }
      return x;
    }
    default:
      return unary(n, *in[0]);
  }
}

// `inputs` holds one sample per graph input, in graph.inputs order.
inline std::vector<Values> reference_eval(const ir::Graph& g, const std::vector<Values>& inputs) {
  std::map<std::string, ir::Tensor> values;
  for (std::size_t i = 0; i < g.inputs.size(); ++i) {
    values[g.inputs[i]] = ir::make_tensor(g.at(g.inputs[i]).attrs.get_ints("shape"), inputs[i]);
  }
  for (const ir::Node& n : g.nodes) {
    if (n.op == ir::OpKind::kInput) continue;
    std::vector<const ir::Tensor*> in;
    for (const std::string& name : n.inputs) in.push_back(&values.at(name));
    values[n.name] = eval_node(n, in);
  }
  std::vector<Values> out;
  for (const std::string& name : g.outputs) out.push_back(values.at(name).data);
  return out;
}

}  // namespace nnfpga::passes::testing
