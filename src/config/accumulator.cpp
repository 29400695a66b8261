#include "config/accumulator.hpp"

#include <algorithm>
#include <vector>

#include "fixed/exact.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config::detail {
namespace {

using fixed::u128;

int bit_length(u128 v) {
  int n = 0;
  while (v) {
    v >>= 1;
    ++n;
  }
  return n;
}

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

// An upper bound of bit_length(a * 2^shift + b * 2^shift_b); exact when it fits in 128 bits,
// else from bit lengths (bitlen(xy) <= bitlen(x) + bitlen(y), bitlen(x + y) <= max + 1), which is
// still a true bound: the caller needs no extra margin either way.
int bound_bits(u128 a, int shift_a, u128 b, int shift_b) {
  const int bits_a = a ? bit_length(a) + shift_a : 0;
  const int bits_b = b ? bit_length(b) + shift_b : 0;
  if (bits_a < 127 && bits_b < 127) {
    const u128 sum = (a << (a ? shift_a : 0)) + (b << (b ? shift_b : 0));
    return bit_length(sum);
  }
  return std::max(bits_a, bits_b) + 1;
}

// The smallest signed accumulator with `frac` fraction bits holding every value whose mantissa
// magnitude has at most `bits` bits; at least one integer bit, at most 64 bits (fraction bits
// are dropped first).
fixed::FixedType accumulator_type(int bits, int frac, const ir::Node& node) {
  int integer = std::max({bits + 1 - frac, 1, 1 - frac});
  if (integer > fixed::kMaxTypeWidth) {
    throw Error(ErrorKind::kConfig,
                "the accumulator that cannot overflow needs " + std::to_string(integer) +
                    " integer bits, more than 64; narrow the input, weight or bias types, or set "
                    "Precision.accum for this layer",
                {.node = node.name});
  }
  const int width = std::min(integer + frac, fixed::kMaxTypeWidth);
  return fixed::make_fixed(width, integer);
}

// The smallest accumulator holding sum_i (column_j * x) + b_j exactly for every output j, where
// column_j is the sum of the weight magnitudes feeding output j (mantissas at `weight_frac`), x
// ranges over the input type and b_j is at `bias_frac` (ignored when there is no bias).
fixed::FixedType affine_type(const ir::Node& node, const std::vector<u128>& columns,
                             int weight_frac, const std::vector<u128>& b, int bias_frac,
                             bool has_bias, const fixed::FixedType& x) {
  // max(|w x_min|, |w x_max|) = |w| * max(|x_min|, |x_max|).
  const u128 x_max = std::max(magnitude(fixed::min_mantissa(x)), magnitude(fixed::max_mantissa(x)));
  const int product_frac = x.frac() + weight_frac;
  const int frac = has_bias ? std::max(product_frac, bias_frac) : product_frac;

  int bits = 0;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const u128 column = columns[j];
    // |x| * column as a product of bit lengths when it would overflow 128 bits.
    const int product_bits = column && x_max ? bit_length(column) + bit_length(x_max) : 0;
    if (product_bits <= 127) {
      bits = std::max(bits, bound_bits(column * x_max, frac - product_frac, b[j],
                                       frac - (has_bias ? bias_frac : frac)));
    } else {
      const int bias_bits = b[j] ? bit_length(b[j]) + frac - bias_frac : 0;
      bits = std::max(bits, std::max(product_bits + frac - product_frac, bias_bits) + 1);
    }
  }
  return accumulator_type(bits, frac, node);
}

}  // namespace

fixed::FixedType dense_accumulator(const ir::Node& dense, const fixed::FixedType& x) {
  const fixed::FixedType& w_type = dense.type("weight");
  const fixed::FixedType& b_type = dense.type("bias");
  const ir::Tensor& weight = dense.param("weight");
  if (weight.shape.size() != 2) {
    throw Error(ErrorKind::kInternal, "a Dense weight must be 2-D", {.node = dense.name});
  }
  const auto n_in = static_cast<std::size_t>(weight.shape[0]);
  const auto n_out = static_cast<std::size_t>(weight.shape[1]);
  const bool has_bias = dense.params.count("bias") != 0;

  const std::vector<u128> w = quantized_magnitudes(dense, "weight", w_type);
  const std::vector<u128> b =
      has_bias ? quantized_magnitudes(dense, "bias", b_type) : std::vector<u128>(n_out, 0);
  std::vector<u128> columns(n_out, 0);
  for (std::size_t j = 0; j < n_out; ++j) {
    // Each |w_ij| is below 2^64, so n_in < 2^63 terms cannot overflow.
    for (std::size_t i = 0; i < n_in; ++i) columns[j] += w[i * n_out + j];
  }
  return affine_type(dense, columns, w_type.frac(), b, b_type.frac(), has_bias, x);
}

fixed::FixedType batchnorm_result(const ir::Node& batchnorm, const fixed::FixedType& x) {
  const fixed::FixedType& s_type = batchnorm.type("scale");
  const fixed::FixedType& b_type = batchnorm.type("bias");
  return affine_type(batchnorm, quantized_magnitudes(batchnorm, "scale", s_type), s_type.frac(),
                     quantized_magnitudes(batchnorm, "bias", b_type), b_type.frac(), true, x);
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
