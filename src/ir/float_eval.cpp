// The float meaning of every op. The order of floating-point operations is part of the contract:
// the float path's outputs and folded constants are compared bit for bit by tests.
#include "ir/float_eval.hpp"

#include <algorithm>
#include <cmath>

#include "ir/float_eval_window.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

using K = OpKind;
using Values = std::vector<double>;

[[noreturn]] void no_float_meaning(const Node& node, const char* why) {
  throw Error(ErrorKind::kInternal,
              std::string(op_name(node.op)) + " has no float evaluation: " + why,
              {.node = node.name});
}

// y[r][j] = bias[j] + sum_i x[r][i] * w[i][j], accumulated in i order from the bias (or 0).
Values matrix_product(const Values& x, const Values& w, const double* bias, std::int64_t n_in,
                      std::int64_t n_out) {
  const std::int64_t rows = static_cast<std::int64_t>(x.size()) / n_in;
  Values y(static_cast<std::size_t>(rows * n_out));
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < n_out; ++j) {
      double acc = bias != nullptr ? bias[j] : 0.0;
      for (std::int64_t i = 0; i < n_in; ++i) acc += x[r * n_in + i] * w[i * n_out + j];
      y[r * n_out + j] = acc;
    }
  }
  return y;
}

Tensor dense(const Node& node, const Tensor& x) {
  const DenseGeometry g = dense_geometry(node);
  const double* bias = node.params.count("bias") != 0 ? node.param("bias").data.data() : nullptr;
  Shape shape = x.shape;
  shape.back() = g.n_out;
  return {shape, matrix_product(x.data, node.param("weight").data, bias, g.n_in, g.n_out)};
}

// The constant operand: the second input when present, else the already folded parameter.
const Tensor& operand(const Node& node, const std::vector<const Tensor*>& in, const char* param) {
  return in.size() >= 2 ? *in[1] : node.param(param);
}

Tensor matmul(const Node& node, const Tensor& x, const Tensor& w) {
  if (x.shape.empty() || w.shape.size() != 2 || x.shape.back() != w.shape[0]) {
    throw Error(ErrorKind::kUnsupported,
                "MatMul of " + to_string(x.shape) + " by " + to_string(w.shape) +
                    ": only x[..., k] @ w[k, n] is supported",
                {.node = node.name});
  }
  Shape shape = x.shape;
  shape.back() = w.shape[1];
  return {shape, matrix_product(x.data, w.data, nullptr, w.shape[0], w.shape[1])};
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const std::string& node) {
  Shape out(std::max(a.size(), b.size()), 1);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t da = i < out.size() - a.size() ? 1 : a[i - (out.size() - a.size())];
    const std::int64_t db = i < out.size() - b.size() ? 1 : b[i - (out.size() - b.size())];
    if (da != db && da != 1 && db != 1) {
      throw Error(ErrorKind::kInput,
                  "operands " + to_string(a) + " and " + to_string(b) + " do not broadcast",
                  {.node = node});
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

double apply_constant_op(OpKind op, double a, double b) {
  if (op == K::kAddConstant) return a + b;
  if (op == K::kSubConstant) return a - b;
  if (op == K::kMulConstant) return a * b;
  return a / b;  // DivConstant
}

// x op c, or c - x for SubConstant with constant_first = 1.
Tensor x_op_constant(const Node& n, const Tensor& x, const Tensor& c) {
  const Shape shape = broadcast_shapes(x.shape, c.shape, n.name);
  const Tensor bx = broadcast_to(x, shape);
  const Tensor bc = broadcast_to(c, shape);
  const bool swapped = n.op == K::kSubConstant && n.attrs.get_int_or("constant_first", 0) == 1;
  Tensor out{shape, Values(bx.data.size())};
  for (std::size_t i = 0; i < out.data.size(); ++i) {
    out.data[i] = swapped ? apply_constant_op(n.op, bc.data[i], bx.data[i])
                          : apply_constant_op(n.op, bx.data[i], bc.data[i]);
  }
  return out;
}

Tensor softmax(Tensor x) {
  const std::int64_t axis = x.shape.back();
  for (std::size_t r = 0; r < x.data.size(); r += static_cast<std::size_t>(axis)) {
    double* v = x.data.data() + r;
    const double m = *std::max_element(v, v + axis);
    double sum = 0;
    for (std::int64_t j = 0; j < axis; ++j) sum += v[j] = std::exp(v[j] - m);
    for (std::int64_t j = 0; j < axis; ++j) v[j] /= sum;
  }
  return x;
}

// x * scale + bias (BatchNorm) or x < 0 ? alpha * x : x (PReLU), the param repeating per sample.
Tensor batchnorm(const Node& node, Tensor x) {
  const Tensor& scale = node.param("scale");
  const Tensor& bias = node.param("bias");
  const std::size_t n = scale.data.size();
  for (std::size_t k = 0; k < x.data.size(); ++k) {
    x.data[k] = x.data[k] * scale.data[k % n] + bias.data[k % n];
  }
  return x;
}

Tensor prelu(const Node& node, Tensor x) {
  const Tensor& alpha = node.param("alpha");
  const std::size_t n = alpha.data.size();
  for (std::size_t k = 0; k < x.data.size(); ++k) {
    if (x.data[k] < 0) x.data[k] *= alpha.data[k % n];
  }
  return x;
}

// The sample shapes of `in` (their axes after `batch_axes` batch axes) and the sample count.
std::vector<Shape> sample_shapes(const std::vector<const Tensor*>& in, int batch_axes,
                                 Shape* batch) {
  std::vector<Shape> out;
  for (const Tensor* t : in) {
    const auto lead = static_cast<std::ptrdiff_t>(
        std::min<std::size_t>(static_cast<std::size_t>(std::max(batch_axes, 0)), t->shape.size()));
    out.emplace_back(t->shape.begin() + lead, t->shape.end());
    *batch = Shape(t->shape.begin(), t->shape.begin() + lead);
  }
  return out;
}

// Each input's value at each output element (broadcast, ir::MergeGeometry), folded left to right;
// Average divides the sum by the count.
Tensor merge(const Node& node, const std::vector<const Tensor*>& in, int batch_axes) {
  Shape batch;
  const MergeGeometry g = merge_geometry(node, sample_shapes(in, batch_axes, &batch));
  const std::int64_t size = element_count(g.output);
  const std::int64_t samples = element_count(batch);
  Shape shape = batch;
  shape.insert(shape.end(), g.output.begin(), g.output.end());
  const auto at = [&](std::size_t i, std::int64_t k) {
    return in[i]
        ->data[static_cast<std::size_t>(k / size * g.input_sizes[i] + g.input_index(i, k % size))];
  };
  Tensor y{shape, Values(static_cast<std::size_t>(samples * size))};
  for (std::size_t k = 0; k < y.data.size(); ++k) y.data[k] = at(0, static_cast<std::int64_t>(k));
  for (std::size_t i = 1; i < in.size(); ++i) {
    for (std::size_t k = 0; k < y.data.size(); ++k) {
      const double x = at(i, static_cast<std::int64_t>(k));
      double& v = y.data[k];
      if (node.op == K::kSubtract) {
        v -= x;
      } else if (node.op == K::kMultiply) {
        v *= x;
      } else if (node.op == K::kMaximum) {
        v = std::max(v, x);
      } else if (node.op == K::kMinimum) {
        v = std::min(v, x);
      } else {  // Add, Average
        v += x;
      }
    }
  }
  if (node.op == K::kAverage) {
    for (double& v : y.data) v /= static_cast<double>(in.size());
  }
  return y;
}

// Blocks of each input side by side on the concatenation axis (ir::ConcatGeometry).
Tensor concatenate(const Node& node, const std::vector<const Tensor*>& in, int batch_axes) {
  Shape batch;
  const ConcatGeometry g = concat_geometry(node, sample_shapes(in, batch_axes, &batch));
  const auto rows = static_cast<std::size_t>(element_count(batch) * g.outer);
  Shape shape = batch;
  shape.insert(shape.end(), g.output.begin(), g.output.end());
  Values y;
  y.reserve(rows * static_cast<std::size_t>(g.out_inner()));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < in.size(); ++i) {
      const auto inner = static_cast<std::size_t>(g.inner[i]);
      y.insert(y.end(), in[i]->data.begin() + static_cast<std::ptrdiff_t>(r * inner),
               in[i]->data.begin() + static_cast<std::ptrdiff_t>((r + 1) * inner));
    }
  }
  return {shape, std::move(y)};
}

// Flatten, Reshape: the IR shape rule applied to the axes after the batch axes; data unchanged.
Tensor reshape(const Node& node, const Tensor& x, int batch_axes) {
  const auto lead = static_cast<std::ptrdiff_t>(
      std::min<std::size_t>(static_cast<std::size_t>(std::max(batch_axes, 0)), x.shape.size()));
  Shape shape(x.shape.begin(), x.shape.begin() + lead);
  try {
    const Shape inner =
        op_info(node.op).shape_rule(node, {Shape(x.shape.begin() + lead, x.shape.end())});
    shape.insert(shape.end(), inner.begin(), inner.end());
  } catch (const Error& e) {
    throw e.located({.node = node.name});
  }
  return {shape, x.data};
}

Tensor map(const Node& node, Tensor x) {
  const ElementwiseFunction f(node);
  for (double& v : x.data) v = f(v);
  return x;
}

}  // namespace

ElementwiseFunction::ElementwiseFunction(const Node& node) {
  switch (node.op) {
    case K::kRelu:
      fn_ = Fn::kRelu;
      return;
    case K::kLeakyRelu:
      fn_ = Fn::kLeakyRelu;
      a_ = node.attrs.get_float("alpha");
      return;
    case K::kElu:
      fn_ = Fn::kElu;
      a_ = node.attrs.get_float("alpha");
      return;
    case K::kClip:
      fn_ = Fn::kClip;
      a_ = node.attrs.get_float("min");
      b_ = node.attrs.get_float("max");
      return;
    case K::kHardSigmoid:
      fn_ = Fn::kHardSigmoid;
      a_ = node.attrs.get_float("slope");
      b_ = node.attrs.get_float("offset");
      return;
    case K::kThreshold:
      fn_ = Fn::kThreshold;
      thresholds_ = &node.attrs.get_floats("thresholds");
      strict_ = &node.attrs.get_ints("strict");
      values_ = &node.attrs.get_floats("values");
      return;
    case K::kSigmoid:
      fn_ = Fn::kSigmoid;
      return;
    case K::kTanh:
      fn_ = Fn::kTanh;
      return;
    case K::kSoftsign:
      fn_ = Fn::kSoftsign;
      return;
    case K::kSoftplus:
      fn_ = Fn::kSoftplus;
      return;
    case K::kInput:
    case K::kConstant:
    case K::kDense:
    case K::kMatMul:
    case K::kAddConstant:
    case K::kSubConstant:
    case K::kMulConstant:
    case K::kDivConstant:
    case K::kSoftmax:
    case K::kBatchNorm:
    case K::kFlatten:
    case K::kReshape:
    case K::kAdd:
    case K::kSubtract:
    case K::kMultiply:
    case K::kAverage:
    case K::kMaximum:
    case K::kMinimum:
    case K::kConcatenate:
    case K::kPRelu:
    case K::kIdentity:
    case K::kDropout:
    case K::kQuantize:
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
      break;
  }
  no_float_meaning(node, "not an element-wise function");
}

double ElementwiseFunction::operator()(double x) const {
  switch (fn_) {
    case Fn::kRelu:
      return std::max(x, 0.0);
    case Fn::kLeakyRelu:
      return x >= 0 ? x : x * a_;
    case Fn::kClip:
      return std::min(std::max(x, a_), b_);
    case Fn::kHardSigmoid:
      return std::min(std::max(a_ * x + b_, 0.0), 1.0);
    case Fn::kThreshold: {
      std::size_t passed = 0;
      for (std::size_t i = 0; i < thresholds_->size(); ++i) {
        passed += (*strict_)[i] ? x > (*thresholds_)[i] : x >= (*thresholds_)[i];
      }
      return values_->at(passed);
    }
    case Fn::kSigmoid:
      return 1.0 / (1.0 + std::exp(-x));
    case Fn::kTanh:
      return std::tanh(x);
    case Fn::kSoftsign:
      return x / (1.0 + std::fabs(x));
    case Fn::kSoftplus:
      return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    case Fn::kElu:
      return x >= 0 ? x : a_ * std::expm1(x);
  }
  return x;
}

Tensor evaluate_float(const Node& node, const std::vector<const Tensor*>& inputs, int batch_axes) {
  switch (node.op) {
    case K::kInput:
      no_float_meaning(node, "its value is given");
    case K::kConstant:
      no_float_meaning(node, "its value is its param");
    case K::kDense:
      return dense(node, *inputs.at(0));
    case K::kMatMul:
      return matmul(node, *inputs.at(0), operand(node, inputs, "weight"));
    case K::kAddConstant:
    case K::kSubConstant:
    case K::kMulConstant:
    case K::kDivConstant:
      return x_op_constant(node, *inputs.at(0), operand(node, inputs, "value"));
    case K::kRelu:
    case K::kLeakyRelu:
    case K::kClip:
    case K::kSigmoid:
    case K::kTanh:
    case K::kElu:
    case K::kSoftsign:
    case K::kSoftplus:
    case K::kHardSigmoid:
    case K::kThreshold:
      return map(node, *inputs.at(0));
    case K::kSoftmax:
      return softmax(*inputs.at(0));
    case K::kBatchNorm:
      return batchnorm(node, *inputs.at(0));
    case K::kPRelu:
      return prelu(node, *inputs.at(0));
    case K::kFlatten:
    case K::kReshape:
      return reshape(node, *inputs.at(0), batch_axes);
    case K::kAdd:
    case K::kSubtract:
    case K::kMultiply:
    case K::kAverage:
    case K::kMaximum:
    case K::kMinimum:
      return merge(node, inputs, batch_axes);
    case K::kConcatenate:
      return concatenate(node, inputs, batch_axes);
    case K::kConv1D:
    case K::kConv2D:
      return conv_float(node, *inputs.at(0));
    case K::kMaxPool1D:
    case K::kMaxPool2D:
    case K::kAveragePool1D:
    case K::kAveragePool2D:
    case K::kGlobalMaxPool1D:
    case K::kGlobalMaxPool2D:
    case K::kGlobalAveragePool1D:
    case K::kGlobalAveragePool2D:
      return pool_float(node, *inputs.at(0), batch_axes);
    case K::kZeroPadding1D:
    case K::kZeroPadding2D:
    case K::kCropping1D:
    case K::kCropping2D:
    case K::kUpSampling1D:
    case K::kUpSampling2D:
      return relayout_float(node, *inputs.at(0), batch_axes);
    case K::kDepthwiseConv1D:
    case K::kDepthwiseConv2D:
      return depthwise_float(node, *inputs.at(0));
    case K::kTranspose:
      return transpose_float(node, *inputs.at(0), batch_axes);
    case K::kIdentity:
    case K::kDropout:
    case K::kQuantize:  // the float meaning of a model is the model without its quantizers
      return *inputs.at(0);
  }
  throw Error(ErrorKind::kInternal, "unknown op kind", {.node = node.name});
}

}  // namespace nnfpga::ir
