// The file-level API: format by extension, files that cannot be read or written.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "io/array_io.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::io {
namespace {

class ArrayFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("nnfpga_io_test_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

ErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::kInternal;
}

TEST_F(ArrayFiles, RoundTripsNpyAndCsv) {
  const emulate::Array a{{3, 2}, {0.5, -1.25, 3, 4, 1e-3, 6}};
  for (const std::string name : {"a.npy", "a.csv"}) {
    for (Dtype dtype : {Dtype::kFloat32, Dtype::kFloat64}) {
      write_array(path(name), a, dtype);
      const emulate::Array back = read_array(path(name));
      EXPECT_EQ(back.shape, a.shape) << name;
      for (std::size_t i = 0; i < a.data.size(); ++i) {
        EXPECT_EQ(static_cast<float>(back.data[i]), static_cast<float>(a.data[i])) << name;
      }
    }
  }
  write_array(path("b.npy"), a, Dtype::kFloat64);
  EXPECT_EQ(read_array(path("b.npy")).data, a.data);
}

TEST_F(ArrayFiles, ErrorsAreInputErrorsNamingTheFile) {
  EXPECT_EQ(kind_of([&] { read_array(path("missing.npy")); }), ErrorKind::kInput);
  EXPECT_EQ(kind_of([&] { read_array(path("a.txt")); }), ErrorKind::kInput);
  EXPECT_EQ(kind_of([&] {
              write_array(path("no/such/dir/a.npy"), {{1}, {1}});
            }),
            ErrorKind::kInput);
  EXPECT_EQ(kind_of([&] { write_array(path("a.bin"), {{1}, {1}}); }), ErrorKind::kInput);
  try {
    read_array(path("missing.csv"));
  } catch (const Error& e) {
    EXPECT_EQ(e.where().file, path("missing.csv"));
  }
}

TEST(Dtype, Parses) {
  EXPECT_EQ(parse_dtype("float32"), Dtype::kFloat32);
  EXPECT_EQ(parse_dtype("f8"), Dtype::kFloat64);
  EXPECT_EQ(kind_of([] { parse_dtype("int8"); }), ErrorKind::kInput);
}

}  // namespace
}  // namespace nnfpga::io
