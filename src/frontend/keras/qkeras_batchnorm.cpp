// QKeras's QBatchNormalization (qkeras/qnormalization.py, QKeras 0.9.0): gamma, beta, the moving
// mean and the moving variance each pass their quantizer, then tf.nn.batch_normalization
// computes x * gamma_q * rsqrt(var_q + eps) + (beta_q - mean_q * gamma_q * rsqrt(var_q + eps)) in
// float32. The quantizers are applied here as QKeras applies them; the float normalization
// becomes the IR's BatchNorm, whose scale and bias are rounded into their configured types.
#include <fmt/format.h>

#include "frontend/keras/qkeras_layers.hpp"
#include "frontend/keras/qkeras_parameter.hpp"

namespace nnfpga::frontend::keras {
namespace {

// QKeras 0.9.0's defaults for the four quantizers (QBatchNormalization.__init__).
const std::map<std::string, json>& default_quantizers() {
  static const std::map<std::string, json> defaults = {
      {"gamma", "quantized_relu_po2(6, 2048)"},
      {"beta", "quantized_po2(5)"},
      {"mean", "quantized_po2(5)"},
      {"variance", "quantized_relu_po2(6, quadratic_approximation=True)"},
  };
  return defaults;
}

// The quantizer of parameter `role` as saved (a missing key takes QKeras's default; null means
// none), applied to the weight `weight`. False after refusing the layer.
bool quantize(Call& c, Weights& w, const std::string& role, const std::string& weight) {
  if (!w.count(weight)) return true;  // gamma without scale, beta without center
  const std::string key = role + "_quantizer";
  const json saved =
      c.layer.config.contains(key) ? c.layer.config[key] : default_quantizers().at(role);
  if (saved.is_null()) return true;
  const QKerasQuantizer q = parse_qkeras_quantizer(saved, "layer '" + c.layer.name + "' " + key);
  std::string why;
  std::optional<ir::Tensor> quantized = qkeras_quantize_parameter(q, w.at(weight), why, false);
  if (!quantized) {
    c.refuse(
        fmt::format("{} {}: {}", key, saved.is_string() ? saved.get<std::string>() : q.kind, why));
    return false;
  }
  w.at(weight) = std::move(*quantized);
  return true;
}

}  // namespace

void convert_qbatchnorm(Call& c) {
  std::optional<Weights> w = batchnorm_weights(c);
  if (!w) return;
  bool ok = true;
  for (const auto& [role, weight] : {std::pair{"gamma", "gamma"},
                                     {"beta", "beta"},
                                     {"mean", "moving_mean"},
                                     {"variance", "moving_variance"}}) {
    ok = quantize(c, *w, role, weight) && ok;
  }
  if (!ok) return c.b.set_output(c.layer.name, c.only_input());
  ir::Node n = batchnorm_node(c, *w);
  n.declared_types["result"] = "auto";
  n.declared_by =
      "QKeras QBatchNormalization (a float normalization: its scale and bias types are "
      "configured; the result is exact)";
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

}  // namespace nnfpga::frontend::keras
