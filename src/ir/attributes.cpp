#include "ir/attributes.hpp"

#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

template <typename T>
const T& get_as(const std::map<std::string, AttrValue>& values, const std::string& key,
                const char* type_name) {
  auto it = values.find(key);
  if (it == values.end()) {
    throw Error(ErrorKind::kInternal, "attribute '" + key + "' is missing");
  }
  if (const T* v = std::get_if<T>(&it->second)) return *v;
  throw Error(ErrorKind::kInternal, "attribute '" + key + "' is not " + type_name);
}

}  // namespace

std::int64_t Attributes::get_int(const std::string& key) const {
  return get_as<std::int64_t>(values_, key, "an integer");
}

double Attributes::get_float(const std::string& key) const {
  auto it = values_.find(key);
  if (it != values_.end()) {
    if (const auto* i = std::get_if<std::int64_t>(&it->second)) return static_cast<double>(*i);
  }
  return get_as<double>(values_, key, "a number");
}

const std::string& Attributes::get_string(const std::string& key) const {
  return get_as<std::string>(values_, key, "a string");
}

const std::vector<std::int64_t>& Attributes::get_ints(const std::string& key) const {
  return get_as<std::vector<std::int64_t>>(values_, key, "a list of integers");
}

const std::vector<double>& Attributes::get_floats(const std::string& key) const {
  return get_as<std::vector<double>>(values_, key, "a list of numbers");
}

std::int64_t Attributes::get_int_or(const std::string& key, std::int64_t fallback) const {
  return has(key) ? get_int(key) : fallback;
}

double Attributes::get_float_or(const std::string& key, double fallback) const {
  return has(key) ? get_float(key) : fallback;
}

}  // namespace nnfpga::ir
