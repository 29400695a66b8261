// The float reference: the same graph in double precision with the trained parameters, exact
// functions and no quantization, to measure what quantization costs.
#include <algorithm>
#include <cmath>

#include "emulate/lookup_table.hpp"
#include "emulate/plan.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

using Values = std::vector<double>;

Values dense(const ir::Node& node, const Values& x) {
  const ir::Tensor& w = node.param("weight");
  const ir::DenseGeometry g = ir::dense_geometry(node);
  const std::int64_t n_in = g.n_in;
  const std::int64_t n_out = g.n_out;
  const double* bias = node.params.count("bias") != 0 ? node.param("bias").data.data() : nullptr;
  const std::int64_t rows = static_cast<std::int64_t>(x.size()) / n_in;  // batch * positions
  Values y(static_cast<std::size_t>(rows * n_out));
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < n_out; ++j) {
      double acc = bias != nullptr ? bias[j] : 0.0;
      for (std::int64_t i = 0; i < n_in; ++i) acc += x[r * n_in + i] * w.data[i * n_out + j];
      y[r * n_out + j] = acc;
    }
  }
  return y;
}

Values softmax(const ir::Node& node, Values x) {
  const std::int64_t axis = node.output_shape.back();
  for (std::size_t r = 0; r < x.size(); r += static_cast<std::size_t>(axis)) {
    double* v = x.data() + r;
    const double m = *std::max_element(v, v + axis);
    double sum = 0;
    for (std::int64_t j = 0; j < axis; ++j) sum += v[j] = std::exp(v[j] - m);
    for (std::int64_t j = 0; j < axis; ++j) v[j] /= sum;
  }
  return x;
}

Values batchnorm(const ir::Node& node, Values x) {
  const ir::Tensor& scale = node.param("scale");
  const ir::Tensor& bias = node.param("bias");
  const std::size_t n = scale.data.size();
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = x[k] * scale.data[k % n] + bias.data[k % n];
  return x;
}

// Element-wise fold of two or more equal-sized inputs; Average divides the sum by the count.
Values merge(const ir::Node& node, const std::vector<const Values*>& in) {
  using K = ir::OpKind;
  Values y = *in.at(0);
  for (std::size_t i = 1; i < in.size(); ++i) {
    const Values& x = *in[i];
    for (std::size_t k = 0; k < y.size(); ++k) {
      switch (node.op) {
        case K::kSubtract:
          y[k] -= x[k];
          break;
        case K::kMultiply:
          y[k] *= x[k];
          break;
        case K::kMaximum:
          y[k] = std::max(y[k], x[k]);
          break;
        case K::kMinimum:
          y[k] = std::min(y[k], x[k]);
          break;
        default:  // Add, Average
          y[k] += x[k];
      }
    }
  }
  if (node.op == K::kAverage) {
    for (double& v : y) v /= static_cast<double>(in.size());
  }
  return y;
}

// Rows of each input side by side on the last axis.
Values concatenate(const ir::Node& node, const std::vector<const Values*>& in) {
  const std::int64_t out_inner = node.output_shape.back();
  const std::size_t rows =
      in.at(0)->size() / static_cast<std::size_t>(node.input_shapes.at(0).back());
  Values y;
  y.reserve(rows * static_cast<std::size_t>(out_inner));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < in.size(); ++i) {
      const auto inner = static_cast<std::size_t>(node.input_shapes.at(i).back());
      y.insert(y.end(), in[i]->begin() + static_cast<std::ptrdiff_t>(r * inner),
               in[i]->begin() + static_cast<std::ptrdiff_t>((r + 1) * inner));
    }
  }
  return y;
}

Values prelu(const ir::Node& node, Values x) {
  const ir::Tensor& alpha = node.param("alpha");
  const std::size_t n = alpha.data.size();
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (x[k] < 0) x[k] *= alpha.data[k % n];
  }
  return x;
}

template <typename F>
Values map(Values x, F f) {
  for (double& v : x) v = f(v);
  return x;
}

Values evaluate(const ir::Node& node, const std::vector<const Values*>& inputs) {
  using K = ir::OpKind;
  switch (node.op) {
    case K::kAdd:
    case K::kSubtract:
    case K::kMultiply:
    case K::kAverage:
    case K::kMaximum:
    case K::kMinimum:
      return merge(node, inputs);
    case K::kConcatenate:
      return concatenate(node, inputs);
    default:
      break;
  }
  const Values& x = *inputs.at(0);
  switch (node.op) {
    case K::kDense:
      return dense(node, x);
    case K::kRelu:
      return map(x, [](double v) { return std::max(v, 0.0); });
    case K::kLeakyRelu: {
      const double alpha = node.attrs.get_float("alpha");
      return map(x, [alpha](double v) { return v >= 0 ? v : v * alpha; });
    }
    case K::kClip: {
      const double lo = node.attrs.get_float("min");
      const double hi = node.attrs.get_float("max");
      return map(x, [lo, hi](double v) { return std::min(std::max(v, lo), hi); });
    }
    case K::kThreshold: {
      const std::vector<double>& t = node.attrs.get_floats("thresholds");
      const std::vector<std::int64_t>& strict = node.attrs.get_ints("strict");
      const std::vector<double>& values = node.attrs.get_floats("values");
      return map(x, [&](double v) {
        std::size_t passed = 0;
        for (std::size_t i = 0; i < t.size(); ++i) passed += strict[i] ? v > t[i] : v >= t[i];
        return values.at(passed);
      });
    }
    case K::kSigmoid:
      return map(x, [](double v) { return 1.0 / (1.0 + std::exp(-v)); });
    case K::kTanh:
      return map(x, [](double v) { return std::tanh(v); });
    case K::kSoftsign:
    case K::kSoftplus:
    case K::kElu:
      return map(x, [&node](double v) { return table_function_value(node, v); });
    case K::kPRelu:
      return prelu(node, x);
    case K::kHardSigmoid: {
      const double slope = node.attrs.get_float("slope");
      const double offset = node.attrs.get_float("offset");
      return map(x, [=](double v) { return std::min(std::max(slope * v + offset, 0.0), 1.0); });
    }
    case K::kSoftmax:
      return softmax(node, x);
    case K::kBatchNorm:
      return batchnorm(node, x);
    case K::kFlatten:
    case K::kReshape:
    case K::kQuantize:  // the float path is the model without its quantizers
      return x;
    default:
      throw Error(ErrorKind::kUnsupported,
                  "not supported by the emulator: " + std::string(ir::op_name(node.op)),
                  {.node = node.name});
  }
}

}  // namespace

RunResult Emulator::run_float(const std::vector<Array>& inputs, const RunOptions& options) const {
  const ir::Graph& graph = plan_->graph;
  const std::int64_t batch = check_inputs(graph, inputs, false);
  std::vector<Values> values(plan_->layers.size());
  RunResult result;
  for (std::size_t l = 0; l < plan_->layers.size(); ++l) {
    const LayerPlan& layer = plan_->layers[l];
    if (layer.graph_input >= 0) {
      values[l] = inputs[layer.graph_input].data;
    } else {
      std::vector<const Values*> in;
      for (int i : layer.inputs) in.push_back(&values[i]);
      values[l] = evaluate(*layer.node, in);
    }
    if (options.trace) {
      Array a{{batch}, values[l]};
      const ir::Shape& s = layer.node->output_shape;
      a.shape.insert(a.shape.end(), s.begin(), s.end());
      result.trace.emplace_back(layer.node->name, std::move(a));
    }
  }
  for (int o : plan_->outputs) {
    Array a{{batch}, values[o]};
    const ir::Shape& s = plan_->layers[o].node->output_shape;
    a.shape.insert(a.shape.end(), s.begin(), s.end());
    result.outputs.push_back(std::move(a));
  }
  return result;
}

}  // namespace nnfpga::emulate
