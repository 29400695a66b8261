// The message of the kUnsupported error reading a model gives, for the tests of refused layers;
// a model that reads, or another error kind, is a test failure.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "nnfpga/error.hpp"
#include "api/model_io.hpp"

namespace nnfpga::test_support {

inline std::string unsupported_message(const std::string& path) {
  try {
    read_model(path);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported) << e.what();
    return e.what();
  }
  ADD_FAILURE() << path << " was read";
  return "";
}

}  // namespace nnfpga::test_support
