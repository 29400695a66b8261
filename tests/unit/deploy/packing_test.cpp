// The packing rules of the board contract, and their refusals.
#include <gtest/gtest.h>

#include "deploy/packing.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::deploy {
namespace {

using fixed::make_fixed;

TEST(Packing, LaneIsTheSmallestPowerOfTwoByteWidthThatHoldsTheElement) {
  EXPECT_EQ(pack_stream("x", 10, make_fixed(1, 1), 64).lane_bits, 8);
  EXPECT_EQ(pack_stream("x", 10, make_fixed(8, 3), 64).lane_bits, 8);
  EXPECT_EQ(pack_stream("x", 10, make_fixed(9, 3), 64).lane_bits, 16);
  EXPECT_EQ(pack_stream("x", 10, make_fixed(17, 3), 64).lane_bits, 32);
  EXPECT_EQ(pack_stream("x", 10, make_fixed(33, 3), 64).lane_bits, 64);
  const StreamPacking p = pack_stream("x", 10, make_fixed(12, 3), 64);
  EXPECT_EQ(p.elements_per_beat, 4);
  EXPECT_EQ(p.beats_per_sample, 3);  // ceil(10 / 4)
  EXPECT_EQ(pack_stream("x", 8, make_fixed(12, 3), 64).beats_per_sample, 2);
  EXPECT_EQ(pack_stream("x", 1, make_fixed(8, 3), 128).elements_per_beat, 16);
}

TEST(Packing, RefusesLanesWiderThanTheBeatAndOddBeatWidths) {
  try {
    pack_stream("logits", 4, make_fixed(40, 10), 32);
    FAIL() << "a 64-bit lane in a 32-bit beat was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    EXPECT_NE(e.message().find("tensor 'logits'"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("--beat-bits 64"), std::string::npos) << e.message();
  }
  try {
    pack_stream("x", 4, make_fixed(8, 3), 48);
    FAIL() << "a 48-bit beat was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(e.message().find("32, 64 or 128"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace nnfpga::deploy
