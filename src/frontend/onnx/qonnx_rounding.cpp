#include "frontend/onnx/qonnx_rounding.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

namespace nnfpga::frontend::onnx {

std::optional<QonnxRounding> parse_qonnx_rounding(const std::string& text) {
  static const std::map<std::string, QonnxRounding> modes = {
      {"ROUND", QonnxRounding::kRound},    {"HALF_EVEN", QonnxRounding::kHalfEven},
      {"HALF_UP", QonnxRounding::kHalfUp}, {"HALF_DOWN", QonnxRounding::kHalfDown},
      {"FLOOR", QonnxRounding::kFloor},    {"CEIL", QonnxRounding::kCeil},
      {"UP", QonnxRounding::kUp},          {"DOWN", QonnxRounding::kDown},
  };
  std::string upper = text;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto it = modes.find(upper);
  if (it == modes.end()) return std::nullopt;
  return it->second;
}

double round_qonnx(double v, QonnxRounding mode) {
  switch (mode) {
    case QonnxRounding::kRound:
    case QonnxRounding::kHalfEven:
      return std::nearbyint(v);  // the default floating-point mode: to nearest, ties to even
    case QonnxRounding::kHalfUp:
      return std::round(v);  // ties away from zero
    case QonnxRounding::kHalfDown:
      return v > 0 ? std::ceil(v - 0.5) : std::floor(v + 0.5);  // ties toward zero
    case QonnxRounding::kFloor:
      return std::floor(v);
    case QonnxRounding::kCeil:
      return std::ceil(v);
    case QonnxRounding::kUp:
      return v > 0 ? std::ceil(v) : std::floor(v);
    case QonnxRounding::kDown:
      return std::trunc(v);
  }
  return v;
}

std::optional<fixed::Quantization> ap_quantization(QonnxRounding mode) {
  switch (mode) {
    case QonnxRounding::kRound:
    case QonnxRounding::kHalfEven:
      return fixed::Quantization::kRndConv;
    case QonnxRounding::kHalfUp:
      return fixed::Quantization::kRndInf;
    case QonnxRounding::kHalfDown:
      return fixed::Quantization::kRndZero;
    case QonnxRounding::kFloor:
      return fixed::Quantization::kTrn;
    case QonnxRounding::kDown:
      return fixed::Quantization::kTrnZero;
    case QonnxRounding::kCeil:
    case QonnxRounding::kUp:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace nnfpga::frontend::onnx
