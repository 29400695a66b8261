// Files written by numpy itself (tools/make_npy_fixtures.py): each holds 0..5 in shape (2, 3).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "io/array_io.hpp"
#include "io/npy.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::io {
namespace {

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/npy/" + name;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class NumpyFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(NumpyFixture, ReadsZeroToFive) {
  const emulate::Array a = read_array(fixture(GetParam()));
  EXPECT_EQ(a.shape, (std::vector<std::int64_t>{2, 3}));
  const std::vector<double> expected = GetParam() == "na_b1.npy"
                                           ? std::vector<double>{0, 1, 0, 1, 0, 1}
                                           : std::vector<double>{0, 1, 2, 3, 4, 5};
  EXPECT_EQ(a.data, expected);
}

INSTANTIATE_TEST_SUITE_P(
    AllDtypes, NumpyFixture,
    ::testing::Values("le_f4.npy", "le_f8.npy", "na_i1.npy", "le_i2.npy", "le_i4.npy", "le_i8.npy",
                      "na_u1.npy", "le_u2.npy", "le_u4.npy", "le_u8.npy", "na_b1.npy", "be_f4.npy",
                      "be_f8.npy", "be_i2.npy", "be_i4.npy", "be_u8.npy", "v2_f4.npy", "v3_f4.npy"),
    [](const auto& info) { return info.param.substr(0, info.param.size() - 4); });

TEST(NumpyFixtures, WritesTheBytesNumpyWrites) {
  const emulate::Array a{{2, 3}, {0, 1, 2, 3, 4, 5}};
  EXPECT_EQ(encode_npy(a, Dtype::kFloat32), slurp(fixture("le_f4.npy")));
  EXPECT_EQ(encode_npy(a, Dtype::kFloat64), slurp(fixture("le_f8.npy")));
}

TEST(NumpyFixtures, ScalarAndEmpty) {
  const emulate::Array scalar = read_array(fixture("scalar_f8.npy"));
  EXPECT_TRUE(scalar.shape.empty());
  EXPECT_EQ(scalar.data, std::vector<double>{2.5});
  const emulate::Array empty = read_array(fixture("empty_f4.npy"));
  EXPECT_EQ(empty.shape, (std::vector<std::int64_t>{0, 3}));
}

TEST(NumpyFixtures, FortranOrderIsRefused) {
  try {
    read_array(fixture("fortran_f4.npy"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().file, fixture("fortran_f4.npy"));
  }
}

}  // namespace
}  // namespace nnfpga::io
