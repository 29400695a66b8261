// Parsing and printing the HLS spelling of fixed-point types.
#include <gtest/gtest.h>

#include <string>

#include "fixed/fixed_type.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::fixed {
namespace {

TEST(ParseType, CommonSpellings) {
  EXPECT_EQ(parse_type("ap_fixed<16,6>"), make_fixed(16, 6));
  EXPECT_EQ(parse_type("ap_ufixed<8,0,AP_RND,AP_SAT>"),
            make_fixed(8, 0, false, Quantization::kRnd, Overflow::kSat));
  FixedType t = make_fixed(8, 3, true, Quantization::kRndConv, Overflow::kSatSym);
  EXPECT_EQ(parse_type("ap_fixed<8,3,AP_RND_CONV,AP_SAT_SYM,0>"), t);
  EXPECT_EQ(parse_type("ap_int<8>"), make_int(8));
  EXPECT_EQ(parse_type("ap_uint<1>"), make_int(1, false));
  EXPECT_EQ(parse_type("ap_fixed<4,-3>").integer, -3);
  EXPECT_EQ(parse_type("ap_fixed<4,+9>").integer, 9);
  t = make_fixed(12, 4, true, Quantization::kTrn, Overflow::kWrap);
  t.sat_bits = 3;
  EXPECT_EQ(parse_type("ap_fixed<12,4,AP_TRN,AP_WRAP,3>"), t);
}

TEST(ParseType, ShortFormsAndWhitespace) {
  EXPECT_EQ(parse_type("fixed<16,6>"), make_fixed(16, 6));
  EXPECT_EQ(parse_type("ufixed<8,2>"), make_fixed(8, 2, false));
  EXPECT_EQ(parse_type("int<5>"), make_int(5));
  EXPECT_EQ(parse_type("uint<64>"), make_int(64, false));
  EXPECT_EQ(parse_type("  ap_fixed < 16 , 6 , AP_RND , AP_SAT >  "),
            make_fixed(16, 6, true, Quantization::kRnd, Overflow::kSat));
}

TEST(ParseType, RoundTripsEveryMode) {
  for (int q = 0; q < 7; ++q) {
    for (int o = 0; o < 5; ++o) {
      for (bool s : {true, false}) {
        if (!s && o == 4) continue;
        for (int n : {0, 2}) {
          FixedType t =
              make_fixed(12, -2, s, static_cast<Quantization>(q), static_cast<Overflow>(o));
          t.sat_bits = n;
          EXPECT_EQ(parse_type(to_string(t)), t) << to_string(t);
        }
      }
    }
  }
  for (int w = 1; w <= 64; ++w) {
    EXPECT_EQ(parse_type(to_string(make_int(w))), make_int(w));
    EXPECT_EQ(parse_type(to_string(make_fixed(w, w + 3, false))), make_fixed(w, w + 3, false));
  }
}

TEST(ToString, OmitsDefaults) {
  EXPECT_EQ(to_string(make_fixed(16, 6)), "ap_fixed<16,6>");
  EXPECT_EQ(to_string(make_int(8)), "ap_int<8>");
  EXPECT_EQ(to_string(make_int(1, false)), "ap_uint<1>");
  EXPECT_EQ(to_string(make_fixed(8, 0, false, Quantization::kRnd, Overflow::kSat)),
            "ap_ufixed<8,0,AP_RND,AP_SAT>");
  EXPECT_EQ(to_string(make_fixed(8, 3, true, Quantization::kRnd)), "ap_fixed<8,3,AP_RND>");
  EXPECT_EQ(to_string(make_fixed(8, 3, true, Quantization::kTrn, Overflow::kSat)),
            "ap_fixed<8,3,AP_TRN,AP_SAT>");
  EXPECT_EQ(to_string(make_fixed(8, 8, true, Quantization::kRnd)), "ap_fixed<8,8,AP_RND>");
  FixedType t = make_fixed(8, 3);
  t.sat_bits = 2;
  EXPECT_EQ(to_string(t), "ap_fixed<8,3,AP_TRN,AP_WRAP,2>");
}

// The message must quote the text and say what is wrong.
void expect_error(const std::string& text, const std::string& why) {
  try {
    parse_type(text);
    FAIL() << "no error for '" << text << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'" + text + "'"), std::string::npos) << msg;
    EXPECT_NE(msg.find(why), std::string::npos) << msg;
  }
}

TEST(ParseType, ErrorsQuoteTheText) {
  expect_error("ap_fixed<0,0>", "width 0 is outside 1..64");
  expect_error("ap_fixed<65,3>", "width 65 is outside 1..64");
  expect_error("ap_int<128>", "outside 1..64");
  expect_error("ap_fixed<16>", "2 to 5 arguments");
  expect_error("ap_fixed<16,6,AP_RND,AP_SAT,0,1>", "2 to 5 arguments");
  expect_error("ap_int<8,3>", "exactly one argument");
  expect_error("ap_fixed<16,6,AP_ROUND>", "quantization 'AP_ROUND' is not one of");
  expect_error("ap_fixed<16,6,AP_RND,AP_SATURATE>", "overflow 'AP_SATURATE' is not one of");
  expect_error("ap_ufixed<16,6,AP_SAT>",
               "AP_SAT is an overflow mode; it goes after the quantization mode, e.g. "
               "ap_ufixed<16,6,AP_TRN,AP_SAT>");
  expect_error("ap_fixed<a,6>", "width 'a' is not an integer");
  expect_error("ap_fixed<16,6x>", "integer bits '6x' is not an integer");
  expect_error("ap_fixed<16,,6>", "empty template argument");
  expect_error("ap_fixed<16,6", "expected NAME<args>");
  expect_error("float", "expected NAME<args>");
  expect_error("ap_float<16,6>", "unknown type name 'ap_float'");
  expect_error("ap_fixed<16,<6>>", "unbalanced");
  expect_error("ap_ufixed<8,2,AP_TRN,AP_WRAP_SM>", "AP_WRAP_SM needs a signed type");
  expect_error("ap_fixed<8,2,AP_TRN,AP_WRAP,9>", "N=9 must be within 0..W");
  expect_error("ap_fixed<8,2000>", "integer bits 2000 are outside");
  expect_error("", "expected NAME<args>");
}

TEST(CheckSupported, NamesWhat) {
  FixedType t = make_fixed(70, 3);
  try {
    check_supported(t, "layer 'dense_1' accum_t");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(e.what()).find("layer 'dense_1' accum_t"), std::string::npos);
  }
  EXPECT_NO_THROW(check_supported(make_fixed(64, -400), "x"));
}

TEST(Bounds, MinMaxAndToDouble) {
  EXPECT_EQ(min_mantissa(make_fixed(8, 3)), -128);
  EXPECT_EQ(max_mantissa(make_fixed(8, 3)), 127);
  EXPECT_EQ(min_mantissa(make_fixed(8, 3, false)), 0);
  EXPECT_EQ(max_mantissa(make_fixed(8, 3, false)), 255);
  EXPECT_EQ(max_mantissa(make_int(64, false)), (static_cast<i128>(1) << 64) - 1);
  EXPECT_EQ(min_mantissa(make_int(1)), -1);
  EXPECT_EQ(max_mantissa(make_int(1)), 0);
  EXPECT_DOUBLE_EQ(to_double(-3, make_fixed(8, 6)), -0.75);
  EXPECT_DOUBLE_EQ(to_double(3, -4), 48.0);
  // 2^64 + 1 is not a double: round to nearest (2^64); 2^64 + 2^12 + 1 rounds up to 2^64 + 2^13.
  const i128 big = (static_cast<i128>(1) << 64) + 1;
  EXPECT_EQ(to_double(big, 0), 18446744073709551616.0);
  const i128 tie_up = (static_cast<i128>(1) << 64) + (1 << 11) + 1;
  EXPECT_EQ(to_double(tie_up, 0), 18446744073709551616.0 + 4096.0);
  EXPECT_EQ(mantissa_value(-1, make_int(64, false)), (static_cast<i128>(1) << 64) - 1);
  EXPECT_EQ(mantissa_value(-1, make_int(64)), -1);
}

}  // namespace
}  // namespace nnfpga::fixed
