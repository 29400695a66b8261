#include "frontend/keras/qkeras_auto_po2.hpp"

#include <cmath>
#include <vector>

namespace nnfpga::frontend::keras {
namespace {

// Keras's epsilon and log(2) as TensorFlow holds them: float32 constants.
constexpr float kEpsilon = 1e-7f;
const float kLog2 = static_cast<float>(std::log(2.0));

// 2^round_half_even(log(s + eps) / log 2), in float32 as K.pow(2, tf.round(K.log(...) / ...)).
float po2(float s) {
  const float exponent = std::nearbyint(std::log(s + kEpsilon) / kLog2);
  return std::ldexp(1.0f, static_cast<int>(exponent));
}

}  // namespace

bool is_auto_po2_kernel(const QKerasQuantizer& q) {
  if (q.kind != "quantized_bits") return false;
  auto it = q.args.find("alpha");
  return it == q.args.end() || it->second.is_null() ||
         (it->second.is_string() && it->second.get<std::string>() == "auto_po2");
}

std::optional<ir::Tensor> auto_po2_kernel(const QKerasQuantizer& q, const ir::Tensor& kernel,
                                          std::string& why) {
  if (argument_set(q, "use_stochastic_rounding")) {
    why = "stochastic rounding is not exact";
    return std::nullopt;
  }
  if (q.args.count("keep_negative") && !argument_set(q, "keep_negative")) {
    why = "alpha='auto_po2' with keep_negative=0 is not supported";
    return std::nullopt;
  }
  const double bits_d = argument_number(q, "bits", 8);
  const double integer_d = argument_number(q, "integer", 0);
  if (!(bits_d >= 2 && bits_d <= 32) || bits_d != std::floor(bits_d) ||
      !(integer_d >= -32 && integer_d <= 32) || integer_d != std::floor(integer_d)) {
    why = "bits or integer is not a supported whole number";
    return std::nullopt;
  }
  const int bits = static_cast<int>(bits_d);
  const float m_i = std::ldexp(1.0f, static_cast<int>(integer_d));
  // auto_po2 forces symmetric: codes in [-(2^(bits-1) - 1), 2^(bits-1) - 1].
  const float levels = static_cast<float>((std::int64_t{1} << (bits - 1)) - 1) * 2;
  const std::int64_t n_in = kernel.shape.at(0), n_out = kernel.shape.at(1);
  auto at = [&](std::int64_t i, std::int64_t j) { return static_cast<std::size_t>(i * n_out + j); };
  std::vector<float> x(kernel.data.size());
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = static_cast<float>(kernel.data[k]) / m_i;

  ir::Tensor out = kernel;
  std::vector<float> z(static_cast<std::size_t>(n_in));
  for (std::int64_t j = 0; j < n_out; ++j) {
    float top = 0;
    for (std::int64_t i = 0; i < n_in; ++i) top = std::max(top, std::fabs(x[at(i, j)]));
    float scale = po2(top * 2.0f / levels);
    for (int round = 0; round < 5; ++round) {
      // z: the codes at the current scale; then the least-squares scale of z, to a power of 2.
      float qx = 0, qq = 0;
      for (std::int64_t i = 0; i < n_in; ++i) {
        const float xi = x[at(i, j)];
        const float v = std::floor(std::fabs(xi) / scale + 0.5f);
        const float sign = xi > 0 ? 1.0f : (xi < 0 ? -1.0f : 0.0f);
        z[static_cast<std::size_t>(i)] = sign * (v < levels / 2 ? v : levels / 2);
        qx += xi * z[static_cast<std::size_t>(i)];
        qq += z[static_cast<std::size_t>(i)] * z[static_cast<std::size_t>(i)];
      }
      qx /= static_cast<float>(n_in);
      qq /= static_cast<float>(n_in);
      scale = po2(qx / (qq + kEpsilon));
    }
    // The codes come from the last round's starting scale, the value from the final scale, as
    // in QKeras.
    for (std::int64_t i = 0; i < n_in; ++i) {
      out.data[at(i, j)] = static_cast<double>(scale * m_i * z[static_cast<std::size_t>(i)]);
    }
  }
  return out;
}

}  // namespace nnfpga::frontend::keras
