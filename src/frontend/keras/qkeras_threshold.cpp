#include "frontend/keras/qkeras_threshold.hpp"

#include <cmath>

namespace nnfpga::frontend::keras {
namespace {

ThresholdQuantizer refuse_threshold(const std::string& why) {
  ThresholdQuantizer t;
  t.refusal = why;
  return t;
}

// alpha on an activation: None is 1; a number scales the values; 'auto' and 'auto_po2' derive
// the scale from the data at every call.
std::optional<double> activation_scale(const QKerasQuantizer& q, std::string& why) {
  auto it = q.args.find("alpha");
  if (it == q.args.end() || it->second.is_null()) return 1.0;
  if (it->second.is_number() && std::isfinite(it->second.get<double>()) &&
      it->second.get<double>() != 0) {
    return it->second.get<double>();
  }
  why = "alpha=" + it->second.dump() +
        " derives the scale from the data; only alpha=None or a number is exact";
  return std::nullopt;
}

// binary: x >= 0 -> +scale (x = 0 included: QKeras turns sign 0 into +1), else -scale; with
// use_01 the values are 0 and scale.
ThresholdQuantizer binary(const QKerasQuantizer& q) {
  std::string why;
  const std::optional<double> scale = activation_scale(q, why);
  if (!scale) return refuse_threshold(why);
  const double low = argument_set(q, "use_01") ? 0.0 : -*scale;
  return {{0.0}, {0}, {low, *scale}, ""};
}

// ternary: |x| >= t -> sign(x) * scale, else 0, with t the float32 value of `threshold`
// (default 0.33), as TensorFlow compares float32 tensors.
ThresholdQuantizer ternary(const QKerasQuantizer& q) {
  std::string why;
  const std::optional<double> scale = activation_scale(q, why);
  if (!scale) return refuse_threshold(why);
  const double t = static_cast<float>(argument_number(q, "threshold", 0.33));
  if (!(t >= 0) || !std::isfinite(t))
    return refuse_threshold("the threshold is not a non-negative number");
  const std::vector<double> values = {-*scale, 0.0, *scale};
  // x <= -t gives -1, so 0 starts above -t; t = 0 is sign(x): 0 at x = 0 alone.
  if (t == 0) return {{0.0, 0.0}, {0, 1}, values, ""};
  return {{-t, t}, {1, 0}, values, ""};
}

// quantized_po2(bits, max_value): sign(x) * 2^e, e = round_half_even(log2 |x|) clipped to QKeras's
// exponent range (and to log2 of max_value), x = 0 giving +2^min. The exponent steps where log2|x|
// is k + 1/2, an irrational |x| = 2^(k + 1/2) that no fixed-point value equals: the comparisons
// are exact. (QKeras computes log2 in float32; on values within about 2^-21 of such a boundary
// its rounding could differ, which the fixture tests would show.)
ThresholdQuantizer po2(const QKerasQuantizer& q) {
  if (argument_set(q, "use_stochastic_rounding"))
    return refuse_threshold("stochastic rounding is not exact");
  if (argument_set(q, "quadratic_approximation")) {
    return refuse_threshold(
        "quadratic_approximation (even exponents of sqrt |x|) is not supported");
  }
  auto rounding = q.args.find("log2_rounding");
  if (rounding != q.args.end() && rounding->second.is_string() && rounding->second != "rnd") {
    return refuse_threshold(
        "log2_rounding='floor': QKeras's float32 log2 is not exact at the powers of two where "
        "floor steps");
  }
  const double bits = argument_number(q, "bits", 8);
  if (!(bits >= 2 && bits <= 16) || bits != std::floor(bits))
    return refuse_threshold("bits must be 2 to 16");
  const double max_value = argument_number(q, "max_value", -1);
  const bool has_max = q.args.count("max_value") && !q.args.at("max_value").is_null();
  if (has_max && !(max_value > 0)) return refuse_threshold("max_value must be positive");
  // QKeras 0.9.0's _get_min_max_exponents: one bit for x's sign, one for the exponent's unless
  // max_value <= 1.
  const int effect_bits = static_cast<int>(bits) - 1 - ((has_max && max_value <= 1) ? 0 : 1);
  const int min_exp = -(1 << effect_bits);
  int max_exp = (1 << effect_bits) - 1;
  if (min_exp < -23) {
    return refuse_threshold(
        "exponents below 2^-23 reach Keras's epsilon (1e-7), under which QKeras maps "
        "every value to the smallest exponent");
  }
  if (has_max) {
    max_exp = std::min(max_exp,
                       std::max(min_exp, static_cast<int>(std::nearbyint(std::log2(max_value)))));
  }
  ThresholdQuantizer t;
  for (int e = max_exp; e >= min_exp; --e) t.values.push_back(-std::ldexp(1.0, e));
  for (int e = min_exp; e <= max_exp; ++e) t.values.push_back(std::ldexp(1.0, e));
  // Ascending x: -2^(k+1) becomes -2^k at x = -2^(k + 1/2); the sign flips at 0; +2^k becomes
  // +2^(k+1) at 2^(k + 1/2).
  for (int k = max_exp - 1; k >= min_exp; --k)
    t.thresholds.push_back(-std::ldexp(std::sqrt(2.0), k));
  t.thresholds.push_back(0.0);
  for (int k = min_exp; k < max_exp; ++k) t.thresholds.push_back(std::ldexp(std::sqrt(2.0), k));
  t.strict.assign(t.thresholds.size(), 0);
  return t;
}

}  // namespace

bool is_threshold_quantizer(const QKerasQuantizer& q) {
  return q.kind == "binary" || q.kind == "ternary" || q.kind == "quantized_po2";
}

ThresholdQuantizer qkeras_threshold(const QKerasQuantizer& q) {
  if (argument_set(q, "use_stochastic_rounding"))
    return refuse_threshold("stochastic rounding is not exact");
  if (q.kind == "binary") return binary(q);
  if (q.kind == "ternary") return ternary(q);
  if (q.kind == "quantized_po2") return po2(q);
  return refuse_threshold("not a threshold quantizer");
}

}  // namespace nnfpga::frontend::keras
