// The .npy reader and writer: hand-written byte patterns for every dtype and for malformed files,
// and the fixtures numpy wrote (tools/make_npy_fixtures.py).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "io/array_io.hpp"
#include "io/npy.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::io {
namespace {

// A version-1.0 file with the given header dictionary and raw data bytes.
std::string npy_bytes(const std::string& dict, const std::string& data, int major = 1) {
  std::string header = dict + "\n";
  std::string out = std::string("\x93NUMPY", 6) + static_cast<char>(major) + '\0';
  const int len_bytes = major == 1 ? 2 : 4;
  for (int i = 0; i < len_bytes; ++i)
    out.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
  return out + header + data;
}

std::string dict(const std::string& descr, const std::string& shape, bool fortran = false) {
  return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

template <typename T>
std::string raw_le(const std::vector<T>& values) {
  std::string out;
  for (T v : values) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof v);
    for (std::size_t i = 0; i < sizeof v; ++i)
      out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  return out;
}

ErrorKind kind_of_parse(const std::string& bytes) {
  try {
    parse_npy(bytes, "bad.npy");
  } catch (const Error& e) {
    EXPECT_EQ(e.where().file, "bad.npy");
    return e.kind();
  }
  return ErrorKind::kInternal;  // not thrown at all: the caller's EXPECT fails
}

TEST(Npy, ReadsEveryLittleEndianDtype) {
  const std::vector<double> expected = {-2, -1, 0, 1, 2, 3};
  EXPECT_EQ(
      parse_npy(npy_bytes(dict("<f4", "(2, 3)"), raw_le<float>({-2, -1, 0, 1, 2, 3})), "f").data,
      expected);
  EXPECT_EQ(
      parse_npy(npy_bytes(dict("<f8", "(6,)"), raw_le<double>({-2, -1, 0, 1, 2, 3})), "f").data,
      expected);
  EXPECT_EQ(
      parse_npy(npy_bytes(dict("|i1", "(6,)"), raw_le<std::int8_t>({-2, -1, 0, 1, 2, 3})), "f")
          .data,
      expected);
  EXPECT_EQ(
      parse_npy(npy_bytes(dict("<i1", "(6,)"), raw_le<std::int8_t>({-2, -1, 0, 1, 2, 3})), "f")
          .data,
      expected);
  EXPECT_EQ(
      parse_npy(npy_bytes(dict("<i2", "(6,)"), raw_le<std::int16_t>({-2, -1, 0, 1, 2, 3})), "f")
          .data,
      expected);
  EXPECT_EQ(
      parse_npy(npy_bytes(dict("<i4", "(6,)"), raw_le<std::int32_t>({-2, -1, 0, 1, 2, 3})), "f")
          .data,
      expected);
  EXPECT_EQ(
      parse_npy(npy_bytes(dict("<i8", "(6,)"), raw_le<std::int64_t>({-2, -1, 0, 1, 2, 3})), "f")
          .data,
      expected);
}

TEST(Npy, ReadsUnsignedAndBool) {
  EXPECT_EQ(parse_npy(npy_bytes(dict("|u1", "(2,)"), raw_le<std::uint8_t>({0, 255})), "f").data,
            (std::vector<double>{0, 255}));
  EXPECT_EQ(parse_npy(npy_bytes(dict("<u1", "(2,)"), raw_le<std::uint8_t>({7, 200})), "f").data,
            (std::vector<double>{7, 200}));
  EXPECT_EQ(parse_npy(npy_bytes(dict("<u2", "(1,)"), raw_le<std::uint16_t>({65535})), "f").data,
            (std::vector<double>{65535}));
  EXPECT_EQ(
      parse_npy(npy_bytes(dict("<u4", "(1,)"), raw_le<std::uint32_t>({4000000000u})), "f").data,
      (std::vector<double>{4000000000.0}));
  EXPECT_EQ(
      parse_npy(npy_bytes(dict("<u8", "(1,)"), raw_le<std::uint64_t>({1ull << 40})), "f").data,
      (std::vector<double>{1099511627776.0}));
  EXPECT_EQ(parse_npy(npy_bytes(dict("|b1", "(3,)"), std::string("\0\1\2", 3)), "f").data,
            (std::vector<double>{0, 1, 1}));
}

TEST(Npy, ConvertsBigEndian) {
  const std::string be_one_f4("\x3f\x80\x00\x00", 4);  // 1.0f
  EXPECT_EQ(parse_npy(npy_bytes(dict(">f4", "(1,)"), be_one_f4), "f").data,
            std::vector<double>{1.0});
  const std::string be_minus2_i2("\xff\xfe", 2);
  EXPECT_EQ(parse_npy(npy_bytes(dict(">i2", "(1,)"), be_minus2_i2), "f").data,
            std::vector<double>{-2.0});
}

TEST(Npy, ShapesScalarsAndEmpties) {
  const emulate::Array scalar = parse_npy(npy_bytes(dict("<f8", "()"), raw_le<double>({2.5})), "f");
  EXPECT_TRUE(scalar.shape.empty());
  EXPECT_EQ(scalar.data, std::vector<double>{2.5});
  const emulate::Array empty = parse_npy(npy_bytes(dict("<f4", "(0, 3)"), ""), "f");
  EXPECT_EQ(empty.shape, (std::vector<std::int64_t>{0, 3}));
  EXPECT_TRUE(empty.data.empty());
  // Key order, quotes, Python 2 long suffixes and spacing as older writers produced them.
  const emulate::Array old =
      parse_npy(npy_bytes("{\"shape\": (2L,1L), \"fortran_order\": False, \"descr\": \"<f4\"}   ",
                          raw_le<float>({1, 2})),
                "f");
  EXPECT_EQ(old.shape, (std::vector<std::int64_t>{2, 1}));
}

TEST(Npy, ReadsVersions2And3) {
  for (int major : {2, 3}) {
    const emulate::Array a =
        parse_npy(npy_bytes(dict("<f4", "(2,)"), raw_le<float>({0.5f, -4}), major), "f");
    EXPECT_EQ(a.data, (std::vector<double>{0.5, -4}));
  }
}

TEST(Npy, RefusesMalformedFiles) {
  const std::string good = npy_bytes(dict("<f4", "(2, 3)"), raw_le<float>({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(kind_of_parse(""), ErrorKind::kInput);
  EXPECT_EQ(kind_of_parse("not a numpy file at all"), ErrorKind::kInput);
  for (std::size_t cut : {std::size_t{5}, std::size_t{9}, std::size_t{20}, good.size() - 1}) {
    EXPECT_EQ(kind_of_parse(good.substr(0, cut)), ErrorKind::kInput) << "cut at " << cut;
  }
  EXPECT_EQ(kind_of_parse(good + "x"), ErrorKind::kInput);  // trailing bytes
  std::string bad_version = good;
  bad_version[6] = 9;
  EXPECT_EQ(kind_of_parse(bad_version), ErrorKind::kInput);
  // A header length pointing far past the end of the file.
  std::string long_header = good;
  long_header[8] = '\xff';
  long_header[9] = '\xff';
  EXPECT_EQ(kind_of_parse(long_header), ErrorKind::kInput);
}

TEST(Npy, ReadsFloat16Exactly) {
  // -2, 0.5, the largest half, the smallest subnormal, -0, 1.5; then infinity, big-endian 1.0.
  const std::vector<std::uint16_t> bits = {0xc000, 0x3800, 0x7bff, 0x0001, 0x8000, 0x3e00, 0x7c00};
  const emulate::Array a = parse_npy(npy_bytes(dict("<f2", "(7,)"), raw_le(bits)), "f");
  const std::vector<double> expected = {
      -2, 0.5, 65504, std::ldexp(1.0, -24), 0.0, 1.5, std::numeric_limits<double>::infinity()};
  EXPECT_EQ(a.data, expected);
  EXPECT_TRUE(std::signbit(a.data[4]));
  const std::string big_one = {'\x3c', '\x00'};
  EXPECT_EQ(parse_npy(npy_bytes(dict(">f2", "(1,)"), big_one), "f").data, std::vector<double>{1});
}

TEST(Npy, RefusesBadHeaders) {
  const std::string data = raw_le<float>({1, 2});
  for (const std::string& d : std::vector<std::string>{
           "{'descr': '<f4', 'fortran_order': False}",                         // missing shape
           "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",  // extra key
           "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}",
           "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}",
           "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}",
           "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)",  // unclosed
           "{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}",
           "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}",
           "{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}",
           "{'descr': '<f3', 'fortran_order': False, 'shape': (2,)}",
           "{'descr': '|f4', 'fortran_order': False, 'shape': (2,)}",
           "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing",
       }) {
    EXPECT_EQ(kind_of_parse(npy_bytes(d, data)), ErrorKind::kInput) << d;
  }
}

TEST(Npy, RefusesFortranOrderWithAClearMessage) {
  try {
    parse_npy(npy_bytes(dict("<f4", "(2,)", true), raw_le<float>({1, 2})), "f.npy");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find("Fortran"), std::string::npos) << e.what();
  }
}

TEST(Npy, RefusesHugeShapesWithoutAllocating) {
  // Claims 2^61 float64 values: must be refused by the length check, never allocated.
  const std::string huge = npy_bytes(dict("<f8", "(2305843009213693952,)"), raw_le<double>({1}));
  EXPECT_EQ(kind_of_parse(huge), ErrorKind::kInput);
  const std::string overflow =
      npy_bytes(dict("<f8", "(4611686018427387904, 4611686018427387904)"), "");
  EXPECT_EQ(kind_of_parse(overflow), ErrorKind::kInput);
  EXPECT_EQ(kind_of_parse(npy_bytes(dict("<f8", "(99999999999999999999,)"), "")),
            ErrorKind::kInput);
}

TEST(Npy, WritesWhatNumpyWrites) {
  const emulate::Array a{{2, 3}, {0, 1, 2, 3, 4, 5}};
  const std::string bytes = encode_npy(a, Dtype::kFloat32);
  // numpy pads the preamble and header to a multiple of 64 bytes and ends it with '\n'.
  EXPECT_EQ(bytes.size(), 128u + 6 * 4);
  EXPECT_EQ(bytes[127], '\n');
  EXPECT_NE(bytes.find("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"),
            std::string::npos);
  EXPECT_EQ(bytes.substr(128), raw_le<float>({0, 1, 2, 3, 4, 5}));
  EXPECT_NE(encode_npy(emulate::Array{{5}, {0, 0, 0, 0, 0}}, Dtype::kFloat64).find("(5,)"),
            std::string::npos);
}

TEST(Npy, RoundTripsBothDtypes) {
  const emulate::Array a{{2, 2}, {0.1, -1e30, std::numeric_limits<double>::min(), 123456789.123}};
  const emulate::Array f64 = parse_npy(encode_npy(a, Dtype::kFloat64), "f");
  EXPECT_EQ(f64.shape, a.shape);
  EXPECT_EQ(f64.data, a.data);
  const emulate::Array f32 = parse_npy(encode_npy(a, Dtype::kFloat32), "f");
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    EXPECT_EQ(f32.data[i], static_cast<double>(static_cast<float>(a.data[i])));
  }
  const emulate::Array scalar{{}, {3.0}};
  EXPECT_EQ(parse_npy(encode_npy(scalar, Dtype::kFloat32), "f").shape, scalar.shape);
}

}  // namespace
}  // namespace nnfpga::io
