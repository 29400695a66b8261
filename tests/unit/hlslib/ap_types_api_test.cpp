// Spot checks of nnfpga's ap_types headers and hls::stream that the differential tests
// (construction, compound, conversion and operator tests) do not reach: result types of mixed
// expressions, the headers' conversion quirks, printing, increment and decrement, and the
// stream's read, write and empty-read behaviour.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <type_traits>

#include "ap_fixed.h"
#include "ap_int.h"
#include "hls_stream.h"

namespace {

// Spot checks of the behaviours the differential test does not reach.
TEST(ApTypesApi, ResultTypesAndConversions) {
  ap_fixed<8, 4> a = 2.5;
  ap_int<8> k = 3;
  EXPECT_TRUE((std::is_same<decltype(a * k), ap_fixed<16, 12> >::value));
  EXPECT_TRUE((std::is_same<decltype(k * k), ap_int<16> >::value));
  EXPECT_TRUE((std::is_same<decltype(k + 1), ap_int<33> >::value));
  EXPECT_TRUE((std::is_same<decltype(a * 3), ap_fixed<40, 36> >::value));
  EXPECT_TRUE((std::is_same<decltype(-k), ap_int<9> >::value));
  EXPECT_TRUE(
      (std::is_same<decltype(ap_fixed<8, 6>() + ap_ufixed<8, 2>()), ap_fixed<13, 7> >::value));
  EXPECT_EQ((ap_fixed<8, 4>(-7.5).to_int()), -7);   // toward zero
  EXPECT_EQ((ap_fixed<8, 0>(-0.25).to_int()), -1);  // the headers' I <= 0 quirk
  EXPECT_EQ(ap_int<8>(-0.25).to_int(), 1);          // the headers' ap_int_base(double) quirk
  EXPECT_EQ(ap_int<8>(-300.7).to_int(), -44);
  EXPECT_EQ(ap_int<8>(ap_fixed<8, 4>(-2.5)).to_int(), -2);
  double d = a;
  EXPECT_EQ(d, 2.5);
  EXPECT_EQ(k * 2.0, 6.0);  // ap_int converts implicitly to a 64-bit integer
  ap_fixed<8, 4, AP_RND, AP_SAT> s = 3.25;
  s += 100;
  EXPECT_EQ(s.to_double(), 7.9375);
  EXPECT_EQ((ap_fixed<8, 4, AP_RND, AP_SAT>(3.25) << 20).to_double(), 0.0);  // no saturation
  EXPECT_EQ((ap_fixed<8, 4>(-3.25) >> 20).to_double(), -0.0625);
  EXPECT_EQ(a.length(), 8);
  EXPECT_EQ((ap_fixed<8, 4>::width), 8);
  EXPECT_EQ((ap_ufixed<8, 4>::iwidth), 4);
  EXPECT_EQ((sizeof(ap_fixed<16, 6>)), 2u);
  std::ostringstream out;
  out << ap_fixed<16, 8>(12.75) << " " << ap_int<8>(-5) << " " << ap_uint<128>(-1);
  EXPECT_EQ(out.str(), "12.75 -5 340282366920938463463374607431768211455");
  ap_fixed<16, 6> c = 1.5;
  EXPECT_EQ((c++).to_double(), 1.5);
  EXPECT_EQ((--c).to_double(), 1.5);
  // ap_int's ++ and -- wrap, as its += does; shifts keep the integer type.
  ap_int<8> top = 127;
  EXPECT_EQ((++top).to_int(), -128);
  ap_uint<4> bottom = 0;
  EXPECT_EQ((bottom--).to_int(), 0);
  EXPECT_EQ(bottom.to_int(), 15);
  EXPECT_TRUE((std::is_same<decltype(top << 1), ap_int_base<8, true> >::value));
  EXPECT_EQ((ap_int<8>(3) << ap_uint<2>(2)).to_int(), 12);
  EXPECT_TRUE(!ap_uint<4>(0));
}

TEST(ApTypesApi, Stream) {
  hls::stream<ap_fixed<16, 6> > s("s");
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.full());
  s.write(1.5);
  s << ap_fixed<16, 6>(-2.25);
  EXPECT_EQ(s.size(), 2u);
  ap_fixed<16, 6> x;
  s >> x;
  EXPECT_EQ(x.to_double(), 1.5);
  EXPECT_EQ(s.read().to_double(), -2.25);
  EXPECT_TRUE(s.empty());
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(s.read().to_double(), 0.0);  // empty: a warning and a default value
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("read while empty"), std::string::npos);
  hls::stream<int> t;
  t.write(3);
  int v = 0;
  t.read(v);
  EXPECT_EQ(v, 3);
  EXPECT_FALSE(t.read_nb(v));
}

}  // namespace
