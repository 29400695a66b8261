// CSV arrays: headers, blank lines, errors that name line and column, exact round trips.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "io/csv.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::io {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_csv(text, "in.csv");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().file, "in.csv");
    return e.message();
  }
  return "no error";
}

TEST(Csv, ReadsRowsAsSamples) {
  const emulate::Array a = parse_csv("1,2,3\n4, 5.5 ,-6e-1\n", "in.csv");
  EXPECT_EQ(a.shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(a.data, (std::vector<double>{1, 2, 3, 4, 5.5, -0.6}));
}

TEST(Csv, SkipsAHeaderRowAndBlankLines) {
  const emulate::Array a = parse_csv("x0,x1\r\n\r\n+1,2\r\n3,4\r\n\n", "in.csv");
  EXPECT_EQ(a.shape, (std::vector<std::int64_t>{2, 2}));
  EXPECT_EQ(a.data, (std::vector<double>{1, 2, 3, 4}));
  // No trailing newline, one column.
  EXPECT_EQ(parse_csv("7\n8", "in.csv").shape, (std::vector<std::int64_t>{2, 1}));
}

TEST(Csv, NamesLineAndColumnOfABadField) {
  EXPECT_EQ(error_of("1,2\n3,abc\n"), "line 2, column 2: 'abc' is not a number");
  EXPECT_EQ(error_of("a,b\n1,2\n\n1,2x\n"), "line 4, column 2: '2x' is not a number");
  EXPECT_EQ(error_of("1,2\n3,\n"), "line 2, column 2: '' is not a number");
  EXPECT_EQ(error_of("1,2\n3,4,5\n"), "line 2, column 3: expected 2 values, found 3");
  EXPECT_EQ(error_of("a,b\n1\n"), "line 2, column 2: expected 2 values, found 1");
  EXPECT_EQ(error_of(""), "no data rows in the CSV file");
  EXPECT_EQ(error_of("only,a,header\n"), "no data rows in the CSV file");
}

TEST(Csv, WritesOneSamplePerRow) {
  const emulate::Array a{{2, 2, 1}, {0.1, 2, -3, 4e-10}};
  EXPECT_EQ(encode_csv(a, Dtype::kFloat64), "0.10000000000000001,2\n-3,4.0000000000000001e-10\n");
  EXPECT_EQ(encode_csv(a, Dtype::kFloat32), "0.100000001,2\n-3,4.00000005e-10\n");
  EXPECT_EQ(encode_csv(emulate::Array{{3}, {1, 2, 3}}, Dtype::kFloat32), "1\n2\n3\n");
}

TEST(Csv, RoundTripsExactly) {
  const emulate::Array a{{1, 4}, {0.1, -1.0 / 3, 1e300, std::numeric_limits<double>::denorm_min()}};
  EXPECT_EQ(parse_csv(encode_csv(a, Dtype::kFloat64), "f").data, a.data);
  const emulate::Array f32 = parse_csv(encode_csv(a, Dtype::kFloat32), "f");
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    EXPECT_EQ(static_cast<float>(f32.data[i]), static_cast<float>(a.data[i])) << i;
  }
}

}  // namespace
}  // namespace nnfpga::io
