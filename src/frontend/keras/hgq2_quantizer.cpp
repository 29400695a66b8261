#include "frontend/keras/hgq2_quantizer.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {
namespace {

using json = nlohmann::json;

// HGQ2's round_mode names; the stochastic S_ modes round as their plain form at inference.
std::optional<fixed::Quantization> parse_round_mode(const std::string& name) {
  static const std::map<std::string, fixed::Quantization> modes = {
      {"RND", fixed::Quantization::kRnd},
      {"RND_CONV", fixed::Quantization::kRndConv},
      {"TRN", fixed::Quantization::kTrn},
      {"TRN_ZERO", fixed::Quantization::kTrnZero},
      {"RND_ZERO", fixed::Quantization::kRndZero},
      {"RND_MIN_INF", fixed::Quantization::kRndMinInf},
      {"RND_INF", fixed::Quantization::kRndInf},
      {"S_RND", fixed::Quantization::kRnd},
      {"S_RND_CONV", fixed::Quantization::kRndConv},
  };
  auto it = modes.find(name);
  if (it == modes.end()) return std::nullopt;
  return it->second;
}

// Keras saves a layer's variables trainable first, then the others, each in creation order.
// KBI creates k (never trainable), b, i; KIF k, i, f; i is not trainable in WRAP mode, which
// then adds i_decay_speed (tests/fixtures/hgq2/README.md has the table this gives).
std::vector<std::string> saved_variable_order(bool kbi, bool wrap) {
  const std::vector<std::string> created =
      kbi ? std::vector<std::string>{"k", "b", "i"} : std::vector<std::string>{"k", "i", "f"};
  auto trainable = [&](const std::string& v) { return v != "k" && !(v == "i" && wrap); };
  std::vector<std::string> order;
  for (const std::string& v : created) {
    if (trainable(v)) order.push_back(v);
  }
  for (const std::string& v : created) {
    if (!trainable(v)) order.push_back(v);
  }
  if (wrap) order.push_back("i_decay_speed");
  return order;
}

std::string string_or(const json& conf, const std::string& key, const std::string& fallback) {
  const json& v = conf.value(key, json());
  return v.is_string() ? v.get<std::string>() : fallback;
}

// The first reason nnfpga cannot read a quantizer with this config, or "".
std::string config_refusal(const json& conf) {
  const std::string q_type = string_or(conf, "q_type", "");
  if (q_type != "kbi" && q_type != "kif") {
    return "q_type '" + q_type + "' is not a fixed-point quantizer nnfpga reads (kbi, kif)";
  }
  for (const char* key : {"scaler", "affine", "bw_mapper"}) {
    if (!conf.value(key, json()).is_null()) {
      return std::string("a ") + key + " makes the quantizer other than a plain fixed-point cast";
    }
  }
  if (!conf.value("trainable", true)) {
    return "a non-trainable QuantizerConfig saves its variables in an order nnfpga has not "
           "verified";
  }
  const std::string round = string_or(conf, "round_mode", "");
  if (!parse_round_mode(round)) return "round_mode '" + round + "' is not known";
  const std::string overflow = string_or(conf, "overflow_mode", "");
  if (overflow == "WRAP_SM") {
    return "overflow_mode WRAP_SM (HGQ2's reflective wrap) is not verified to equal AP_WRAP_SM";
  }
  if (overflow != "WRAP" && overflow != "SAT" && overflow != "SAT_SYM") {
    return "overflow_mode '" + overflow + "' is not known";
  }
  return "";
}

// Round half to even, as HGQ2's round_conv of the stored float bit widths.
int round_half_even(double v) {
  return static_cast<int>(std::nearbyint(v));
}

}  // namespace

Hgq2Decoded decode_hgq2_quantizer(const json& saved, const std::vector<ir::Tensor>& vars,
                                  const std::string& where) {
  const json& conf = saved.contains("config") ? saved["config"] : saved;
  if (std::string why = config_refusal(conf); !why.empty()) return {std::nullopt, why};
  auto malformed = [&](const std::string& why) -> Error {
    return Error(ErrorKind::kInput, where + ": " + why, {});
  };

  Hgq2Quantizer q;
  const bool kbi = string_or(conf, "q_type", "") == "kbi";
  const std::string overflow = string_or(conf, "overflow_mode", "");
  const std::string round = string_or(conf, "round_mode", "");
  q.quant = *parse_round_mode(round);
  q.overflow = overflow == "WRAP"  ? fixed::Overflow::kWrap
               : overflow == "SAT" ? fixed::Overflow::kSat
                                   : fixed::Overflow::kSatSym;
  // FixedPointQuantizerKBI.call: a weight's WRAP quantizer with RND only rounds.
  q.round_only = kbi && overflow == "WRAP" && conf.value("is_weight", false) &&
                 q.quant == fixed::Quantization::kRnd;

  const std::vector<std::string> order = saved_variable_order(kbi, overflow == "WRAP");
  if (vars.size() != order.size()) {
    throw malformed("has " + std::to_string(vars.size()) + " quantizer variables, expected " +
                    std::to_string(order.size()) + " for its q_type and overflow_mode");
  }
  std::map<std::string, const ir::Tensor*> by_name;
  for (std::size_t n = 0; n < order.size(); ++n) by_name[order[n]] = &vars[n];
  q.bw_shape = by_name.at("k")->shape;
  for (const char* v : {"k", "i", kbi ? "b" : "f"}) {
    if (by_name.at(v)->shape != q.bw_shape) {
      throw malformed(std::string("bit-width variable '") + v + "' has another shape than k");
    }
    for (double x : by_name.at(v)->data) {
      if (!std::isfinite(x)) throw malformed(std::string("bit width '") + v + "' is not finite");
    }
  }

  const std::size_t n = by_name.at("k")->data.size();
  for (std::size_t e = 0; e < n; ++e) {
    const double k = by_name.at("k")->data[e];
    if (k != 0 && k != 1) throw malformed("k is neither 0 nor 1");
    const int i = round_half_even(by_name.at("i")->data[e]);
    const int f = kbi ? round_half_even(by_name.at("b")->data[e]) - i
                      : round_half_even(by_name.at("f")->data[e]);
    q.k.push_back(static_cast<int>(k));
    // FixedPointQuantizerBase.call zeroes by the stored i; the quantizer itself computes with
    // i raised to -f (quantizers' FixedPointQuantizer.__call__).
    q.zero.push_back(q.k.back() + i + f <= 0);
    q.i.push_back(std::max(i, -f));
    q.f.push_back(f);
    // HGQ2 computes 2^i and 2^f in float32: beyond that range its arithmetic is not exact.
    if (!q.zero.back() && (std::abs(q.i.back()) > 126 || std::abs(f) > 126)) {
      return {std::nullopt, "bit widths beyond 2^±126 are outside float32's range"};
    }
    if (const auto t = hgq2_element_type(q, e)) {
      try {
        fixed::check_supported(*t, where);
      } catch (const Error& err) {
        return {std::nullopt,
                "element " + std::to_string(e) + " has no nnfpga type: " + err.message()};
      }
    }
  }
  return {std::move(q), ""};
}

std::optional<fixed::FixedType> hgq2_element_type(const Hgq2Quantizer& q, std::size_t e) {
  if (q.zero.at(e)) return std::nullopt;
  const int k = q.k[e];
  const int i = q.i[e];
  const int f = q.f[e];
  return fixed::make_fixed(k + i + f, k + i, k == 1, q.quant, q.overflow);
}

}  // namespace nnfpga::frontend::keras
