// The float reference: the same graph in double precision with the trained parameters, exact
// functions and no quantization, to measure what quantization costs.
#include <algorithm>
#include <cmath>

#include "emulate/plan.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

using Values = std::vector<double>;

Values dense(const ir::Node& node, const Values& x) {
  const ir::Tensor& w = node.param("weight");
  const std::int64_t n_in = w.shape.at(0);
  const std::int64_t n_out = w.shape.at(1);
  const double* bias = node.params.count("bias") != 0 ? node.param("bias").data.data() : nullptr;
  const std::int64_t rows = static_cast<std::int64_t>(x.size()) / n_in;
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

template <typename F>
Values map(Values x, F f) {
  for (double& v : x) v = f(v);
  return x;
}

Values evaluate(const ir::Node& node, const Values& x) {
  using K = ir::OpKind;
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
    values[l] = layer.graph_input >= 0 ? inputs[layer.graph_input].data
                                       : evaluate(*layer.node, values[layer.inputs.at(0)]);
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
