// QKeras quantizers from both saved forms, and the exact types they map to (the spellings
// follow tests/fixtures/keras2/MANIFEST.json, quantizer_mapping).
#include <gtest/gtest.h>

#include "fixed/fixed_type.hpp"
#include "frontend/keras/qkeras_quantizer.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {
namespace {

using nlohmann::json;

std::string type_of(const json& saved, bool on_weights = false) {
  const QuantizerType t = qkeras_type(parse_qkeras_quantizer(saved, "layer"), on_weights);
  return t.type ? fixed::to_string(*t.type) : "refused: " + t.refusal;
}

TEST(QKerasQuantizer, CallStringsWithPositionalAndKeywordArguments) {
  EXPECT_EQ(type_of("quantized_bits(8,2,alpha=1)"), "ap_fixed<8,3,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(type_of("quantized_bits(8,3,keep_negative=1,alpha=1)"),
            "ap_fixed<8,4,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(type_of("quantized_bits(6, 0, 1, alpha=1)"), "ap_fixed<6,1,AP_RND_CONV,AP_SAT_SYM>");
  EXPECT_EQ(type_of("quantized_bits(8,4,keep_negative=False,alpha=1.0)"),
            "ap_ufixed<8,4,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(type_of("quantized_relu(8,3)"), "ap_ufixed<8,3,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(type_of("quantized_bits(8,2)"), "ap_fixed<8,3,AP_RND_CONV,AP_SAT>");
}

TEST(QKerasQuantizer, SerializedObjects) {
  const json bits = {{"class_name", "quantized_bits"},
                     {"config",
                      {{"bits", 8},
                       {"integer", 0},
                       {"symmetric", 0},
                       {"alpha", 1},
                       {"keep_negative", true},
                       {"use_stochastic_rounding", false}}}};
  EXPECT_EQ(type_of(bits, true), "ap_fixed<8,1,AP_RND_CONV,AP_SAT>");
  const json relu = {{"class_name", "quantized_relu"},
                     {"config", {{"bits", 6}, {"integer", 2}, {"negative_slope", 0.0}}}};
  EXPECT_EQ(type_of(relu), "ap_ufixed<6,2,AP_RND_CONV,AP_SAT>");
}

TEST(QKerasQuantizer, AReluWithAPowerOfTwoSlopeSpendsABitOnTheSign) {
  EXPECT_EQ(type_of("quantized_relu(8,3,negative_slope=0.25)"), "ap_fixed<8,4,AP_RND_CONV,AP_SAT>");
}

TEST(QKerasQuantizer, WhatIsNotExactIsRefusedWithTheReason) {
  EXPECT_NE(type_of("quantized_bits(6,0)", true).find("auto_po2"), std::string::npos);
  EXPECT_NE(type_of("quantized_bits(6,0,alpha='auto_po2')").find("alpha"), std::string::npos);
  EXPECT_NE(type_of("quantized_bits(6,0,alpha=0.5)").find("alpha"), std::string::npos);
  EXPECT_NE(type_of("quantized_bits(6,0,use_stochastic_rounding=True,alpha=1)").find("stochastic"),
            std::string::npos);
  EXPECT_NE(type_of("quantized_relu(4,1,negative_slope=0.3)").find("power of two"),
            std::string::npos);
  EXPECT_NE(type_of("quantized_relu(4,1,negative_slope=0.0625)").find("power of two"),
            std::string::npos);  // below one step of the 4-bit grid's negative side
  EXPECT_NE(type_of("binary()").find("refused"), std::string::npos);
  EXPECT_NE(type_of("ternary()").find("refused"), std::string::npos);
  EXPECT_NE(type_of("quantized_po2(4,4)").find("powers of two"), std::string::npos);
  EXPECT_NE(type_of("quantized_tanh(8)").find("unknown"), std::string::npos);
}

TEST(QKerasQuantizer, MalformedQuantizersAreInputErrors) {
  for (const json& bad : {json("quantized_bits(8,"), json("quantized_bits(8,x)"), json(3),
                          json({{"config", {}}}), json("quantized_bits(1,2,3,4,5,6,7)")}) {
    EXPECT_THROW(parse_qkeras_quantizer(bad, "layer"), Error) << bad.dump();
  }
}

}  // namespace
}  // namespace nnfpga::frontend::keras
