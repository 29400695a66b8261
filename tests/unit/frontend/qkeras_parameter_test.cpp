// QKeras quantizers applied to parameters while reading (frontend/keras/qkeras_parameter.hpp):
// the values QKeras 0.9.0 computes, on hand-picked values around every boundary. The fixtures
// (qkeras_weight_quantizers, qkeras_qbn) hold the same against QKeras itself.
#include "frontend/keras/qkeras_parameter.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace nnfpga::frontend::keras {
namespace {

std::vector<double> quantize(const std::string& call, std::vector<double> values, bool exact,
                             std::string* why = nullptr) {
  const QKerasQuantizer q = parse_qkeras_quantizer(nlohmann::json(call), "test");
  std::string reason;
  const auto n = static_cast<std::int64_t>(values.size());
  auto out = qkeras_quantize_parameter(q, ir::make_tensor({n}, std::move(values)), reason, exact);
  if (why) *why = reason;
  return out ? out->data : std::vector<double>{};
}

TEST(QKerasParameter, SignAndThresholdQuantizers) {
  // binary: x >= 0 gives +alpha (0 included), ternary: |x| >= float32(0.33) gives sign(x).
  EXPECT_EQ(quantize("binary(alpha=1)", {-0.1, 0.0, 2.0}, true), (std::vector<double>{-1, 1, 1}));
  const double t = static_cast<float>(0.33);
  EXPECT_EQ(quantize("ternary(alpha=1)", {-t, std::nextafter(-t, 0.0), 0.0, t, 0.3}, true),
            (std::vector<double>{-1, 0, 0, 1, 0}));
  EXPECT_EQ(quantize("binary(alpha=0.5)", {-3.0, 3.0}, true), (std::vector<double>{-0.5, 0.5}));
  std::string why;
  EXPECT_TRUE(quantize("binary(alpha='auto')", {1.0}, true, &why).empty());
  EXPECT_NE(why.find("derives the scale from the data"), std::string::npos) << why;
}

TEST(QKerasParameter, PowersOfTwoRoundInTheLogarithm) {
  // quantized_po2(4): exponents -4..3; the step from 2^k to 2^(k+1) is at 2^(k+1/2), not at the
  // midpoint; tiny values give +-2^-4, large ones saturate at 2^3.
  EXPECT_EQ(quantize("quantized_po2(4)", {0.7, 0.72, -1.4, -1.42, 1e-9, -1e-9, 100.0, 0.0}, true),
            (std::vector<double>{0.5, 1, -1, -2, 0.0625, -0.0625, 8, 0.0625}));
  // max_value clips the input first: quantized_po2(4, 2) stops at 2.
  EXPECT_EQ(quantize("quantized_po2(4, 2)", {5.0, 1.5}, true), (std::vector<double>{2, 2}));
  // quantized_relu_po2: no sign bit for x, so one more exponent bit; negatives go to 2^min.
  EXPECT_EQ(quantize("quantized_relu_po2(4)", {-1.0, 3.0, 300.0}, true),
            (std::vector<double>{std::ldexp(1.0, -8), 4, 128}));
  // quadratic_approximation: even exponents only, stepping at 2^(2k+1).
  EXPECT_EQ(quantize("quantized_relu_po2(6, quadratic_approximation=True)", {1.9, 2.1, 7.0}, false),
            (std::vector<double>{1, 4, 4}));
}

TEST(QKerasParameter, AValueOnAPowerOfTwoBoundaryIsRefusedWhereExactnessIsAsked) {
  // float32(2^-1/2) is within float32 rounding of the boundary: TensorFlow's log rounds it up
  // (to 1), the C library's down; nnfpga cannot know which, so an exact reader refuses it.
  const double boundary = static_cast<float>(std::sqrt(0.5));
  std::string why;
  EXPECT_TRUE(quantize("quantized_po2(4)", {0.1, boundary}, true, &why).empty());
  EXPECT_NE(why.find("element 1"), std::string::npos) << why;
  EXPECT_NE(why.find("TensorFlow's float32 log"), std::string::npos) << why;
  // A normalization that is float anyway takes the float32 computation.
  EXPECT_EQ(quantize("quantized_po2(4)", {boundary}, false).size(), 1u);
}

TEST(QKerasParameter, WhatCannotBeAppliedIsRefusedWithTheReason) {
  std::string why;
  EXPECT_TRUE(
      quantize("quantized_bits(8, 2, use_stochastic_rounding=True)", {1.0}, true, &why).empty());
  EXPECT_NE(why.find("stochastic"), std::string::npos) << why;
  EXPECT_TRUE(quantize("quantized_relu_po2(4, negative_slope=0.5)", {1.0}, true, &why).empty());
  EXPECT_NE(why.find("negative_slope"), std::string::npos) << why;
  EXPECT_TRUE(quantize("quantized_po2(4, log2_rounding='floor')", {1.0}, true, &why).empty());
  EXPECT_NE(why.find("log2_rounding"), std::string::npos) << why;
}

}  // namespace
}  // namespace nnfpga::frontend::keras
