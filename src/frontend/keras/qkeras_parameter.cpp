#include "frontend/keras/qkeras_parameter.hpp"

#include <fmt/format.h>

#include <cmath>

#include "fixed/exact.hpp"
#include "frontend/keras/qkeras_threshold.hpp"

namespace nnfpga::frontend::keras {
namespace {

struct Po2 {
  int min_exp = 0;
  int max_exp = 0;
  std::optional<float> max_value;
  bool quadratic = false;
  bool relu = false;
};

// QKeras 0.9.0's exponent range: quantized_po2 keeps one bit for x's sign, quantized_relu_po2
// none; both keep one for the exponent's sign unless max_value <= 1 (_need_exponent_sign_bit_
// check); quadratic_approximation makes the largest exponent even.
std::optional<Po2> po2_of(const QKerasQuantizer& q, std::string& why) {
  Po2 p;
  p.relu = q.kind == "quantized_relu_po2";
  p.quadratic = argument_set(q, "quadratic_approximation");
  const double bits = argument_number(q, "bits", 8);
  const bool has_max = q.args.count("max_value") && !q.args.at("max_value").is_null();
  const double max_value = argument_number(q, "max_value", -1);
  if (!(bits >= 2 && bits <= 16) || bits != std::floor(bits)) {
    why = "bits must be a whole number from 2 to 16";
    return std::nullopt;
  }
  if (has_max && !(max_value > 0)) {
    why = "max_value must be positive";
    return std::nullopt;
  }
  if (p.relu && argument_number(q, "negative_slope", 0) != 0) {
    why = "quantized_relu_po2 with a negative_slope is not supported";
    return std::nullopt;
  }
  const int exponent_sign = has_max && max_value <= 1 ? 0 : 1;
  const int effect_bits = static_cast<int>(bits) - (p.relu ? 0 : 1) - exponent_sign;
  p.min_exp = -(1 << effect_bits);
  p.max_exp = (1 << effect_bits) - 1;
  if (p.quadratic) p.max_exp = 2 * (p.max_exp / 2);
  if (has_max) p.max_value = static_cast<float>(max_value);
  return p;
}

// Whether log2 |x| lies so close to a rounding boundary k + 1/2 that float32 logarithms
// (TensorFlow's own, or the C library's) may round it either way: QKeras's result then depends
// on TensorFlow's log implementation. 2^-18 is well above float32's error in log(x)/log(2).
bool near_po2_boundary(const Po2& p, float x) {
  const double magnitude = p.relu ? std::max(x, 0.0f) : std::fabs(x);
  if (magnitude < 1e-7) return false;
  const double l = std::log2(magnitude) / (p.quadratic ? 2 : 1);
  return std::fabs(l - std::floor(l) - 0.5) < std::ldexp(1.0, -18);
}

// _clip_power_of_two in float32, as TensorFlow evaluates it: log(x) / log(2) with both in
// float32, tf.round (half to even), clipped, times 2 with quadratic_approximation.
double po2_value(const Po2& p, float x) {
  const float eps = 1e-7f;
  const float magnitude = p.relu ? std::max(x, 0.0f) : std::fabs(x);
  const float sign = (!p.relu && x < 0) ? -1.0f : 1.0f;
  if (magnitude < eps) return sign * std::ldexp(1.0, p.min_exp);
  float filtered = magnitude;
  if (p.max_value && filtered >= *p.max_value) filtered = *p.max_value;
  const float input = p.quadratic ? std::sqrt(filtered) : filtered;
  const float log2 = std::log(input) / static_cast<float>(std::log(2.0));
  float e = std::nearbyint(log2);  // the default rounding mode: half to even
  e = std::min(std::max(e, static_cast<float>(p.min_exp)), static_cast<float>(p.max_exp));
  return sign * std::ldexp(1.0, static_cast<int>(e) * (p.quadratic ? 2 : 1));
}

}  // namespace

std::optional<ir::Tensor> qkeras_quantize_parameter(const QKerasQuantizer& q, ir::Tensor t,
                                                    std::string& why, bool exact) {
  if (argument_set(q, "use_stochastic_rounding")) {
    why = "stochastic rounding is not exact";
    return std::nullopt;
  }
  if (q.kind == "quantized_po2" || q.kind == "quantized_relu_po2") {
    auto rounding = q.args.find("log2_rounding");
    if (rounding != q.args.end() && rounding->second.is_string() && rounding->second != "rnd") {
      why = "log2_rounding other than 'rnd' is not supported";
      return std::nullopt;
    }
    const std::optional<Po2> p = po2_of(q, why);
    if (!p) return std::nullopt;
    for (std::size_t i = 0; i < t.data.size(); ++i) {
      const auto x = static_cast<float>(t.data[i]);
      if (exact && near_po2_boundary(*p, x)) {
        why = fmt::format(
            "value {} (element {}) lies within float32 rounding of a power-of-two boundary "
            "2^(k+1/2), where QKeras's result depends on TensorFlow's float32 log",
            x, i);
        return std::nullopt;
      }
      t.data[i] = po2_value(*p, x);
    }
    return t;
  }
  if (q.kind == "binary" || q.kind == "ternary") {
    // The same step function as on an activation (alpha None or a number; 'auto' scales are
    // refused there): value k once k thresholds are passed.
    const ThresholdQuantizer steps = qkeras_threshold(q);
    if (!steps.refusal.empty()) {
      why = steps.refusal;
      return std::nullopt;
    }
    for (double& v : t.data) {
      std::size_t k = 0;
      while (k < steps.thresholds.size() &&
             (steps.strict[k] ? v > steps.thresholds[k] : v >= steps.thresholds[k])) {
        ++k;
      }
      v = steps.values[k];
    }
    return t;
  }
  const QuantizerType type = qkeras_type(q, false);
  if (!type.type) {
    why = type.refusal;
    return std::nullopt;
  }
  for (double& v : t.data) {
    const fixed::CastResult r = fixed::cast_double(v, *type.type);
    v = fixed::to_double(fixed::mantissa_value(r.mantissa, *type.type), *type.type);
  }
  return t;
}

}  // namespace nnfpga::frontend::keras
