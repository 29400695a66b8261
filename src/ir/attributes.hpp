// Node attributes: a small typed map, so that the JSON form and the printer need no per-op code.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace nnfpga::ir {

using AttrValue =
    std::variant<std::int64_t, double, std::string, std::vector<std::int64_t>, std::vector<double>>;

class Attributes {
 public:
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  void set(const std::string& key, AttrValue value) { values_[key] = std::move(value); }
  void erase(const std::string& key) { values_.erase(key); }

  // Typed getters; throw nnfpga::Error (kInternal) when the attribute is missing or of another
  // type. The `_or` forms return `fallback` when it is missing.
  std::int64_t get_int(const std::string& key) const;
  double get_float(const std::string& key) const;  // accepts an int too
  const std::string& get_string(const std::string& key) const;
  const std::vector<std::int64_t>& get_ints(const std::string& key) const;
  const std::vector<double>& get_floats(const std::string& key) const;
  std::int64_t get_int_or(const std::string& key, std::int64_t fallback) const;
  double get_float_or(const std::string& key, double fallback) const;

  const std::map<std::string, AttrValue>& all() const { return values_; }
  bool operator==(const Attributes&) const = default;

 private:
  std::map<std::string, AttrValue> values_;
};

}  // namespace nnfpga::ir
