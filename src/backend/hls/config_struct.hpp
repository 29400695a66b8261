// The config struct of a library call (`struct config_x { ... };` in parameters.h), built one
// member at a time. Each method is named for the line it writes, so an emitter reads as the
// struct it makes; the hlslib template reads the same names as CONFIG_T::<name>
// (tests/unit/backend/config_members_test.cpp holds the two to each other).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace nnfpga::backend::hls {

class ConfigStruct {
 public:
  explicit ConfigStruct(std::string name) : name_(std::move(name)) {}

  // static const int <name> = <value>;
  ConfigStruct& int_constant(const std::string& name, std::int64_t value);
  // static const bool <name> = true|false;
  ConfigStruct& bool_constant(const std::string& name, bool value);
  // static constexpr double <name> = <literal>;  (the literal exact, from literals.hpp)
  ConfigStruct& double_constant(const std::string& name, const std::string& literal);
  // typedef <spelling> <name>;
  ConfigStruct& type(const std::string& name, const std::string& spelling);
  // The exact constant 2^e: typedef ap_ufixed<1, e+1> <name>_t; and
  // static constexpr double <name> = 2^e;
  ConfigStruct& pow2(const std::string& name, int e);

  // struct <name> {\n<members>};\n
  std::string text() const;

 private:
  std::string name_;
  std::string members_;
};

}  // namespace nnfpga::backend::hls
