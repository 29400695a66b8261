// Hand-built configured graphs for the emulator tests: each helper appends a node with its types
// and quantized parameters filled in, quantizing with fixed::cast_double as config/ would.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "emulate/emulator.hpp"
#include "fixed/exact.hpp"
#include "ir/graph.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::emulate::testing {

inline ir::QuantizedTensor quantize(const std::vector<double>& values, const fixed::FixedType& t) {
  ir::QuantizedTensor q{t, {}, 0};
  for (double v : values) {
    const fixed::CastResult c = fixed::cast_double(v, t);
    q.mantissa.push_back(c.mantissa);
    q.overflows += c.overflowed;
  }
  return q;
}

class GraphBuilder {
 public:
  explicit GraphBuilder(ir::Shape shape, fixed::FixedType t, std::string name = "x") {
    ir::Node n = node(name, ir::OpKind::kInput, "", shape);
    n.attrs.set("shape", shape);
    n.types["result"] = t;
    g_.inputs.push_back(name);
    add(std::move(n));
  }

  // weight is [n_in][n_out] row-major.
  GraphBuilder& dense(std::int64_t n_out, const std::vector<double>& w,
                      const std::vector<double>& b, fixed::FixedType w_t, fixed::FixedType b_t,
                      fixed::FixedType acc_t, fixed::FixedType res_t) {
    ir::Shape out = last().output_shape;
    const std::int64_t n_in = out.back();
    out.back() = n_out;
    ir::Node n =
        node("dense" + std::to_string(g_.nodes.size()), ir::OpKind::kDense, last().name, out);
    n.params["weight"] = ir::Tensor{{n_in, n_out}, w};
    n.params["bias"] = ir::Tensor{{n_out}, b};
    n.qparams["weight"] = quantize(w, w_t);
    n.qparams["bias"] = quantize(b, b_t);
    n.types = {{"weight", w_t}, {"bias", b_t}, {"accum", acc_t}, {"result", res_t}};
    return add(std::move(n));
  }

  // Conv1D or Conv2D with weight [K_w, C_in, F] / [K_h, K_w, C_in, F] row-major, bias [F] (none
  // when empty) and the window attributes; the output shape from the op's shape rule. The same
  // for DepthwiseConv1D/2D: weight [K_w, C, M] / [K_h, K_w, C, M], bias [C*M].
  GraphBuilder& conv(ir::OpKind op, const ir::Shape& weight_shape, const std::vector<double>& w,
                     const std::vector<double>& b, const std::vector<std::int64_t>& strides,
                     const std::vector<std::int64_t>& dilations,
                     const std::vector<std::int64_t>& pads, fixed::FixedType w_t,
                     fixed::FixedType b_t, fixed::FixedType acc_t, fixed::FixedType res_t) {
    ir::Node n = node("conv" + std::to_string(g_.nodes.size()), op, last().name, {});
    n.params["weight"] = ir::Tensor{weight_shape, w};
    n.qparams["weight"] = quantize(w, w_t);
    if (!b.empty()) {
      n.params["bias"] = ir::Tensor{{static_cast<std::int64_t>(b.size())}, b};
      n.qparams["bias"] = quantize(b, b_t);
    }
    n.attrs.set("strides", strides);
    n.attrs.set("dilations", dilations);
    n.attrs.set("pads", pads);
    n.output_shape = ir::op_info(op).shape_rule(n, n.input_shapes);
    n.types = {{"weight", w_t}, {"bias", b_t}, {"accum", acc_t}, {"result", res_t}};
    return add(std::move(n));
  }

  GraphBuilder& unary(ir::OpKind op, fixed::FixedType res_t) {
    ir::Node n = node(std::string("op") + std::to_string(g_.nodes.size()), op, last().name,
                      last().output_shape);
    n.types["result"] = res_t;
    return add(std::move(n));
  }

  // A pool of the previous layer's type; pool_size, strides and pads unless empty (global pools).
  GraphBuilder& pool(ir::OpKind op, const std::vector<std::int64_t>& size = {},
                     const std::vector<std::int64_t>& strides = {},
                     const std::vector<std::int64_t>& pads = {}) {
    unary(op, last().type("result"));
    ir::Node& n = g_.nodes.back();
    if (!size.empty()) {
      n.attrs.set("pool_size", size);
      n.attrs.set("strides", strides);
      n.attrs.set("pads", pads);
    }
    n.output_shape = ir::op_info(op).shape_rule(n, n.input_shapes);
    return *this;
  }

  GraphBuilder& leaky(double alpha, fixed::FixedType param_t, fixed::FixedType res_t) {
    unary(ir::OpKind::kLeakyRelu, res_t);
    ir::Node& n = g_.nodes.back();
    n.attrs.set("alpha", alpha);
    n.types["param"] = param_t;
    n.qparams["alpha"] = quantize({alpha}, param_t);
    return *this;
  }

  GraphBuilder& clip(double lo, double hi, fixed::FixedType res_t) {
    const fixed::FixedType x_t = last().type("result");
    unary(ir::OpKind::kClip, res_t);
    ir::Node& n = g_.nodes.back();
    n.attrs.set("min", lo);
    n.attrs.set("max", hi);
    n.qparams["min"] = quantize({lo}, x_t);
    n.qparams["max"] = quantize({hi}, x_t);
    return *this;
  }

  GraphBuilder& table(ir::OpKind op, int size, fixed::FixedType table_t, fixed::FixedType res_t,
                      fixed::FixedType acc_t = fixed::make_fixed(18, 8)) {
    unary(op, res_t);
    ir::Node& n = g_.nodes.back();
    n.settings.table_size = size;
    n.types["table"] = table_t;
    if (op == ir::OpKind::kSoftmax) n.types["accum"] = acc_t;
    return *this;
  }

  GraphBuilder& batchnorm(const std::vector<double>& scale, const std::vector<double>& bias,
                          fixed::FixedType s_t, fixed::FixedType b_t, fixed::FixedType res_t) {
    unary(ir::OpKind::kBatchNorm, res_t);
    ir::Node& n = g_.nodes.back();
    n.params["scale"] = ir::Tensor{n.output_shape, scale};
    n.params["bias"] = ir::Tensor{n.output_shape, bias};
    n.qparams["scale"] = quantize(scale, s_t);
    n.qparams["bias"] = quantize(bias, b_t);
    n.types["scale"] = s_t;
    n.types["bias"] = b_t;
    return *this;
  }

  GraphBuilder& reshape(ir::OpKind op, ir::Shape out, fixed::FixedType res_t) {
    unary(op, res_t);
    g_.nodes.back().output_shape = out;
    if (op == ir::OpKind::kReshape) g_.nodes.back().attrs.set("shape", out);
    return *this;
  }

  // A merge layer of `op` over the earlier layers `inputs` (of one shape), e.g. a skip connection.
  GraphBuilder& merge(ir::OpKind op, const std::vector<std::string>& inputs,
                      fixed::FixedType res_t) {
    ir::Node n =
        node("merge" + std::to_string(g_.nodes.size()), op, "", g_.at(inputs.at(0)).output_shape);
    for (const std::string& in : inputs) {
      n.inputs.push_back(in);
      n.input_shapes.push_back(g_.at(in).output_shape);
    }
    n.types["result"] = res_t;
    return add(std::move(n));
  }

  ir::Graph build() {
    ir::Graph g = g_;
    g.outputs = {g.nodes.back().name};
    return g;
  }
  ir::Node& last() { return g_.nodes.back(); }

 private:
  ir::Node node(const std::string& name, ir::OpKind op, const std::string& input,
                const ir::Shape& out) {
    ir::Node n;
    n.name = name;
    n.op = op;
    if (!input.empty()) {
      n.inputs = {input};
      n.input_shapes = {last().output_shape};
    }
    n.output_shape = out;
    return n;
  }
  GraphBuilder& add(ir::Node n) {
    g_.nodes.push_back(std::move(n));
    return *this;
  }

  ir::Graph g_;
};

inline std::vector<double> normal(std::size_t n, double sigma, std::mt19937_64& rng) {
  std::normal_distribution<double> d(0.0, sigma);
  std::vector<double> v(n);
  for (double& x : v) x = d(rng);
  return v;
}

inline Array batch(std::int64_t rows, const ir::Shape& shape, std::vector<double> data) {
  Array a;
  a.shape.push_back(rows);
  a.shape.insert(a.shape.end(), shape.begin(), shape.end());
  a.data = std::move(data);
  return a;
}

}  // namespace nnfpga::emulate::testing
