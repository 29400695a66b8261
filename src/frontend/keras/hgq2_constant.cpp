#include "frontend/keras/hgq2_constant.hpp"

#include <cmath>

#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {
namespace {

// Every operation below is a float32 operation, one per statement, as torch computes HGQ2's
// expressions element by element (no fused multiply-add: HGQ2 does not fuse either).

float pow2(int n) {
  return std::ldexp(1.0f, n);
}

float sign(float t) {
  return t > 0 ? 1.0f : (t < 0 ? -1.0f : 0.0f);
}

// quantizers' round modes (fixed_point/_fixed_point_ops.py) on t = x * 2^f.
float round_scaled(float t, fixed::Quantization mode) {
  const float half = 0.5f;
  switch (mode) {
    case fixed::Quantization::kTrn:
      return std::floor(t);
    case fixed::Quantization::kRnd:
      return std::floor(t + half);
    case fixed::Quantization::kRndConv:
      return std::nearbyint(t);  // torch.round: half to even
    case fixed::Quantization::kTrnZero:
      return std::floor(std::fabs(t)) * sign(t);
    case fixed::Quantization::kRndZero:
      return -std::floor(-std::fabs(t) + half) * sign(t);
    case fixed::Quantization::kRndMinInf:
      return -std::floor(-t + half);
    case fixed::Quantization::kRndInf:
      return std::floor(std::fabs(t) + half) * sign(t);
  }
  return t;
}

// Python's % on torch tensors (torch.remainder): the result has the divisor's sign.
float floor_mod(float a, float b) {
  float m = std::fmod(a, b);
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

float round_to(float x, int f, fixed::Quantization mode) {
  const float scale = pow2(f);
  const float scaled = x * scale;
  const float rounded = round_scaled(scaled, mode);
  return rounded / scale;
}

// The bit-width element of x's flat index `flat`, broadcasting the bit-width shape.
std::size_t bw_element(const ir::Shape& x_shape, const ir::Shape& bw_shape, std::size_t flat) {
  std::size_t element = 0;
  std::size_t stride_x = 1;
  std::size_t stride_bw = 1;
  for (std::size_t d = x_shape.size(); d-- > 0;) {
    const auto size = static_cast<std::size_t>(x_shape[d]);
    const std::size_t index = (flat / stride_x) % size;
    if (bw_shape[d] != 1) element += index * stride_bw;
    stride_x *= size;
    stride_bw *= static_cast<std::size_t>(bw_shape[d]);
  }
  return element;
}

}  // namespace

float hgq2_quantize_value(const Hgq2Quantizer& q, std::size_t e, float x) {
  const auto k = static_cast<float>(q.k.at(e));
  const int i = q.i.at(e);
  const int f = q.f.at(e);
  if (q.round_only) return round_to(x, f, q.quant);  // not zeroed either: returned before that
  if (q.zero.at(e)) return 0.0f;
  // SAT and SAT_SYM clip before rounding, WRAP wraps after (FixedPointQuantizer.forward).
  if (q.overflow != fixed::Overflow::kWrap) {
    const float top = pow2(i) - pow2(-f);
    const float bottom = q.overflow == fixed::Overflow::kSat ? -pow2(i) * k : -top * k;
    x = x > top ? top : (x < bottom ? bottom : x);
    return round_to(x, f, q.quant);
  }
  const float rounded = round_to(x, f, q.quant);
  const int bk = i + static_cast<int>(k);
  const float bias = k * pow2(bk - 1);
  const float shifted = rounded + bias;
  return floor_mod(shifted, pow2(bk)) - bias;
}

ir::Tensor hgq2_quantize_constant(const Hgq2Quantizer& q, const ir::Tensor& x,
                                  const std::string& where) {
  bool fits = q.bw_shape.size() == x.shape.size();
  for (std::size_t d = 0; fits && d < x.shape.size(); ++d) {
    fits = q.bw_shape[d] == 1 || q.bw_shape[d] == x.shape[d];
  }
  if (!fits) {
    throw Error(ErrorKind::kInput, where + ": the bit widths' shape " + ir::to_string(q.bw_shape) +
                                       " does not broadcast to the tensor's " +
                                       ir::to_string(x.shape));
  }
  ir::Tensor out = x;
  for (std::size_t n = 0; n < x.data.size(); ++n) {
    // A weight is a float32 in the file, so the cast to float is exact.
    const float v = static_cast<float>(x.data[n]);
    out.data[n] = hgq2_quantize_value(q, bw_element(x.shape, q.bw_shape, n), v);
  }
  return out;
}

}  // namespace nnfpga::frontend::keras
