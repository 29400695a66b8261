#include "config/accumulator.hpp"

#include <algorithm>
#include <vector>

#include "fixed/exact.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "linear/accumulator_rule.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config::detail {
namespace {

using fixed::u128;

u128 magnitude(fixed::i128 v) {
  return v < 0 ? static_cast<u128>(-v) : static_cast<u128>(v);
}

// |mantissa| of every value of `t` quantized into `type` (the same cast the parameter
// quantization pass applies).
std::vector<u128> quantized_magnitudes(const ir::Node& node, const std::string& param,
                                       const fixed::FixedType& type) {
  std::vector<u128> out;
  const ir::Tensor& t = node.param(param);
  out.reserve(t.data.size());
  try {
    for (double v : t.data) {
      out.push_back(magnitude(fixed::mantissa_value(fixed::cast_double(v, type).mantissa, type)));
    }
  } catch (const Error& e) {
    throw e.located({.node = node.name, .key = param});
  }
  return out;
}

}  // namespace

fixed::FixedType dense_accumulator(const ir::Node& dense, const fixed::FixedType& x) {
  const fixed::FixedType& w_type = dense.type("weight");
  const fixed::FixedType& b_type = dense.type("bias");
  const ir::Tensor& weight = dense.param("weight");
  // A convolution's weight [.., C_in, F] is the matrix [n_in][F] too (ir::ConvGeometry), and a
  // depthwise one's [K_h, K_w, C, M] the matrix [K_h*K_w][C*M] (ir::DepthwiseGeometry): the
  // geometry says which, so each column sums the weights of one output.
  const ir::DenseGeometry g = ir::weighted_sum_geometry(dense);
  const auto n_out = static_cast<std::size_t>(g.n_out);
  const auto n_in = static_cast<std::size_t>(g.n_in);
  if (weight.data.size() != n_in * n_out) {
    throw Error(ErrorKind::kInternal, "the weight does not match the layer's geometry",
                {.node = dense.name});
  }
  const bool has_bias = dense.params.count("bias") != 0;

  const std::vector<u128> w = quantized_magnitudes(dense, "weight", w_type);
  const std::vector<u128> b =
      has_bias ? quantized_magnitudes(dense, "bias", b_type) : std::vector<u128>(n_out, 0);
  std::vector<u128> columns(n_out, 0);
  for (std::size_t j = 0; j < n_out; ++j) {
    // Each |w_ij| is below 2^64, so n_in < 2^63 terms cannot overflow.
    for (std::size_t i = 0; i < n_in; ++i) columns[j] += w[i * n_out + j];
  }
  return linear::affine_accumulator(dense.name, columns, w_type.frac(), b, b_type.frac(), has_bias,
                                    x);
}

fixed::FixedType inferred_accumulator(const ir::Graph& graph, const ir::Node& node) {
  switch (ir::op_info(node.op).accum_rule) {
    case ir::AccumRule::kAffine:
      return dense_accumulator(node, graph.at(node.inputs.at(0)).type("result"));
    case ir::AccumRule::kTableSum:
      return softmax_accumulator(node);
    case ir::AccumRule::kWindowSum:
      return window_sum_accumulator(node, graph.at(node.inputs.at(0)).type("result"));
    case ir::AccumRule::kNone:
      break;
  }
  throw Error(ErrorKind::kInternal, "the op has no accumulator rule", {.node = node.name});
}

fixed::FixedType batchnorm_result(const ir::Node& batchnorm, const fixed::FixedType& x) {
  const fixed::FixedType& s_type = batchnorm.type("scale");
  const fixed::FixedType& b_type = batchnorm.type("bias");
  return linear::affine_accumulator(
      batchnorm.name, quantized_magnitudes(batchnorm, "scale", s_type), s_type.frac(),
      quantized_magnitudes(batchnorm, "bias", b_type), b_type.frac(), true, x);
}

fixed::FixedType window_sum_accumulator(const ir::Node& pool, const fixed::FixedType& x) {
  const std::int64_t n = ir::pool_geometry(pool).window();
  int log2_n = 0;
  while ((std::int64_t{1} << log2_n) < n) ++log2_n;
  const int integer = x.integer + log2_n;
  if (integer > fixed::kMaxTypeWidth || integer + x.frac() > fixed::kMaxTypeWidth) {
    throw Error(ErrorKind::kConfig,
                "the window sum of " + std::to_string(n) + " inputs of " + fixed::to_string(x) +
                    " needs more than 64 bits; narrow the input or set Precision.accum",
                {.node = pool.name});
  }
  return fixed::make_fixed(std::max(integer + x.frac(), 1), integer, x.is_signed);
}

fixed::FixedType softmax_accumulator(const ir::Node& softmax) {
  const fixed::FixedType& table = softmax.type("table");
  const std::int64_t n = softmax.output_shape.empty() ? 1 : softmax.output_shape.back();
  int log2_n = 0;
  while ((std::int64_t{1} << log2_n) < n) ++log2_n;
  // An unsigned table needs one more bit for the accumulator's sign.
  const int integer = table.integer + log2_n + (table.is_signed ? 0 : 1);
  if (integer > fixed::kMaxTypeWidth) {
    throw Error(ErrorKind::kConfig,
                "the softmax sum needs " + std::to_string(integer) +
                    " integer bits, more than 64; narrow Precision.table or set Precision.accum",
                {.node = softmax.name});
  }
  const int width = std::min(integer + table.frac(), fixed::kMaxTypeWidth);
  return fixed::make_fixed(std::max(width, 1), integer);
}

}  // namespace nnfpga::config::detail
