#include "frontend/keras/qkeras_quantizer.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <vector>

#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {
namespace {

using nlohmann::json;

[[noreturn]] void malformed(const std::string& where, const std::string& why) {
  throw Error(ErrorKind::kInput, "QKeras quantizer: " + why, {.node = where});
}

// The constructor's parameter names in order (QKeras 0.9.0), so that positional arguments of
// the string form get their names.
const std::vector<std::string>& positional_names(const std::string& kind) {
  static const std::map<std::string, std::vector<std::string>> table = {
      {"quantized_bits",
       {"bits", "integer", "symmetric", "keep_negative", "alpha", "use_stochastic_rounding"}},
      {"quantized_relu",
       {"bits", "integer", "use_sigmoid", "negative_slope", "use_stochastic_rounding",
        "relu_upper_bound"}},
      {"quantized_po2", {"bits", "max_value", "use_stochastic_rounding"}},
      {"quantized_relu_po2", {"bits", "max_value", "negative_slope"}},
      {"binary", {"use_01", "alpha", "use_stochastic_rounding"}},
      {"ternary", {"alpha", "threshold", "use_stochastic_rounding"}},
  };
  static const std::vector<std::string> none;
  auto it = table.find(kind);
  return it == table.end() ? none : it->second;
}

std::string trim(const std::string& s) {
  const std::size_t a = s.find_first_not_of(" \t\n");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\n") - a + 1);
}

// A Python literal as QKeras writes it: an integer, a float, True/False/None, a quoted string.
json literal(const std::string& text, const std::string& where) {
  const std::string t = trim(text);
  if (t == "True") return true;
  if (t == "False") return false;
  if (t == "None") return nullptr;
  if (t.size() >= 2 && (t.front() == '\'' || t.front() == '"') && t.back() == t.front()) {
    return t.substr(1, t.size() - 2);
  }
  try {
    std::size_t used = 0;
    if (t.find_first_of(".eE") == std::string::npos) {
      const long long v = std::stoll(t, &used);
      if (used == t.size()) return v;
    } else {
      const double v = std::stod(t, &used);
      if (used == t.size()) return v;
    }
  } catch (const std::exception&) {
  }
  malformed(where, "cannot read the argument '" + t + "'");
}

QKerasQuantizer from_call(const std::string& text, const std::string& where) {
  const std::size_t open = text.find('(');
  if (open == std::string::npos || trim(text).back() != ')') {
    malformed(where, "'" + text + "' is not a quantizer call");
  }
  QKerasQuantizer q;
  q.kind = trim(text.substr(0, open));
  const std::string inside = text.substr(open + 1, text.rfind(')') - open - 1);
  const std::vector<std::string>& names = positional_names(q.kind);
  std::size_t position = 0;
  std::size_t start = 0;
  while (start <= inside.size()) {
    std::size_t comma = inside.find(',', start);
    if (comma == std::string::npos) comma = inside.size();
    const std::string arg = trim(inside.substr(start, comma - start));
    start = comma + 1;
    if (arg.empty()) continue;
    const std::size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      q.args[trim(arg.substr(0, eq))] = literal(arg.substr(eq + 1), where);
    } else if (position < names.size()) {
      q.args[names[position++]] = literal(arg, where);
    } else if (names.empty()) {
      // A quantizer nnfpga does not know: keep its arguments by position, so that the mapping
      // refuses it by name rather than calling the file malformed.
      q.args[fmt::format("#{}", position++)] = literal(arg, where);
    } else {
      malformed(where, "too many positional arguments in '" + text + "'");
    }
  }
  return q;
}

// A whole number in [lo, hi], or nullopt.
std::optional<int> whole(double v, int lo, int hi) {
  if (!(v >= lo && v <= hi) || v != std::floor(v)) return std::nullopt;
  return static_cast<int>(v);
}

QuantizerType refuse(const std::string& why) {
  return {std::nullopt, why};
}

QuantizerType bits_type(const QKerasQuantizer& q, bool on_weights) {
  if (argument_set(q, "use_stochastic_rounding")) return refuse("stochastic rounding is not exact");
  auto alpha = q.args.find("alpha");
  const bool alpha_none = alpha == q.args.end() || alpha->second.is_null();
  if (alpha_none && on_weights) {
    return refuse(
        "alpha=None on a layer's weights means 'auto_po2' in QKeras: per-channel "
        "power-of-two scales computed from the float weights, not supported yet");
  }
  if (!alpha_none && !(alpha->second.is_number() && alpha->second.get<double>() == 1.0)) {
    return refuse("alpha=" + alpha->second.dump() +
                  " scales the values; only alpha=1 maps to "
                  "one fixed-point type");
  }
  const std::optional<int> bits = whole(argument_number(q, "bits", 8), 1, fixed::kMaxTypeWidth);
  const std::optional<int> integer = whole(argument_number(q, "integer", 0), -64, 64);
  if (!bits || !integer) return refuse("bits or integer is not a supported whole number");
  const bool keep_negative = !q.args.count("keep_negative") || argument_set(q, "keep_negative");
  const fixed::Overflow overflow =
      argument_set(q, "symmetric") ? fixed::Overflow::kSatSym : fixed::Overflow::kSat;
  if (keep_negative) {
    return {fixed::make_fixed(*bits, *integer + 1, true, fixed::Quantization::kRndConv, overflow),
            ""};
  }
  if (overflow == fixed::Overflow::kSatSym) {
    return refuse("symmetric=1 without keep_negative has no ap_ufixed mode");
  }
  return {fixed::make_fixed(*bits, *integer, false, fixed::Quantization::kRndConv, overflow), ""};
}

QuantizerType relu_type(const QKerasQuantizer& q) {
  if (argument_set(q, "use_stochastic_rounding")) return refuse("stochastic rounding is not exact");
  if (argument_set(q, "use_sigmoid")) return refuse("use_sigmoid is not supported");
  if (argument_set(q, "relu_upper_bound")) return refuse("relu_upper_bound is not supported yet");
  const std::optional<int> bits = whole(argument_number(q, "bits", 8), 1, fixed::kMaxTypeWidth);
  const std::optional<int> integer = whole(argument_number(q, "integer", 0), -64, 64);
  if (!bits || !integer) return refuse("bits or integer is not a supported whole number");
  if (!argument_set(q, "negative_slope")) {
    return {fixed::make_fixed(*bits, *integer, false, fixed::Quantization::kRndConv,
                              fixed::Overflow::kSat),
            ""};
  }
  // With a slope QKeras spends a bit on the sign: codes of 2^(integer - (bits-1)), the negative
  // side rounded from slope*x, which is exact in float32 only for a power-of-two slope.
  const double slope = relu_negative_slope(q);
  int exponent = 0;
  if (!(slope > 0 && slope < 1) || std::frexp(slope, &exponent) != 0.5 || *bits < 2 ||
      std::ldexp(slope, *bits - 1) < 1) {
    return refuse(
        "negative_slope must be a power of two below 1 (and slope*2^(bits-1) >= 1): another "
        "slope rounds slope*x in float32");
  }
  return {fixed::make_fixed(*bits, *integer + 1, true, fixed::Quantization::kRndConv,
                            fixed::Overflow::kSat),
          ""};
}

}  // namespace

double relu_negative_slope(const QKerasQuantizer& q) {
  return argument_number(q, "negative_slope", 0);
}

double argument_number(const QKerasQuantizer& q, const std::string& key, double fallback) {
  auto it = q.args.find(key);
  if (it == q.args.end() || it->second.is_null()) return fallback;
  if (it->second.is_boolean()) return it->second.get<bool>() ? 1 : 0;
  if (!it->second.is_number()) return std::nan("");
  return it->second.get<double>();
}

bool argument_set(const QKerasQuantizer& q, const std::string& key) {
  auto it = q.args.find(key);
  if (it == q.args.end() || it->second.is_null()) return false;
  if (it->second.is_boolean()) return it->second.get<bool>();
  if (it->second.is_number()) return it->second.get<double>() != 0;
  return true;
}

QKerasQuantizer parse_qkeras_quantizer(const json& saved, const std::string& where) {
  if (saved.is_string()) return from_call(saved.get<std::string>(), where);
  if (!saved.is_object() || !saved.contains("class_name") || !saved["class_name"].is_string()) {
    malformed(where, "neither a call string nor a serialized quantizer: " + saved.dump());
  }
  QKerasQuantizer q;
  q.kind = saved["class_name"];
  const json config = saved.value("config", json::object());
  if (!config.is_object()) malformed(where, "the quantizer's config is not an object");
  for (const auto& [key, value] : config.items()) q.args[key] = value;
  return q;
}

QuantizerType qkeras_type(const QKerasQuantizer& q, bool on_weights) {
  if (q.kind == "quantized_bits") return bits_type(q, on_weights);
  if (q.kind == "quantized_relu") return relu_type(q);
  if (q.kind == "binary" || q.kind == "ternary") {
    return refuse(q.kind +
                  " maps values by sign and threshold, not by a fixed-point cast; not "
                  "supported yet");
  }
  if (q.kind == "quantized_po2" || q.kind == "quantized_relu_po2") {
    return refuse(q.kind + " gives powers of two, not a fixed-point grid; not supported yet");
  }
  return refuse("unknown QKeras quantizer '" + q.kind + "'");
}

}  // namespace nnfpga::frontend::keras
