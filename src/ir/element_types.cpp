#include "ir/element_types.hpp"

#include <algorithm>
#include <climits>
#include <sstream>

#include "nnfpga/error.hpp"

namespace nnfpga::ir {

std::vector<std::optional<fixed::FixedType>> element_types(const Node& node) {
  std::vector<std::optional<fixed::FixedType>> out;
  if (!node.attrs.has(kElementTypes)) return out;
  std::istringstream words(node.attrs.get_string(kElementTypes));
  std::string word;
  while (words >> word) {
    if (word == "zero") {
      out.emplace_back(std::nullopt);
      continue;
    }
    try {
      fixed::FixedType t = fixed::parse_type(word);
      fixed::check_supported(t, word);
      out.emplace_back(t);
    } catch (const Error& e) {
      throw e.located({.node = node.name, .key = kElementTypes});
    }
  }
  if (static_cast<std::int64_t>(out.size()) != element_count(node.output_shape)) {
    throw Error(ErrorKind::kInput,
                "element_types lists " + std::to_string(out.size()) + " types for " +
                    std::to_string(element_count(node.output_shape)) + " elements",
                {.node = node.name, .key = kElementTypes});
  }
  return out;
}

std::string format_element_types(const std::vector<std::optional<fixed::FixedType>>& types) {
  std::string out;
  for (const auto& t : types) {
    if (!out.empty()) out += ' ';
    out += t ? fixed::to_string(*t) : "zero";
  }
  return out;
}

std::optional<fixed::FixedType> union_type(
    const std::vector<std::optional<fixed::FixedType>>& types) {
  bool any = false, is_signed = false;
  int integer = INT_MIN, frac = INT_MIN;
  for (const auto& t : types) {
    if (t) is_signed = is_signed || t->is_signed;
  }
  for (const auto& t : types) {
    if (!t) continue;
    any = true;
    // An unsigned type inside a signed union needs one more integer bit for the sign.
    integer = std::max(integer, t->integer + (is_signed && !t->is_signed ? 1 : 0));
    frac = std::max(frac, t->frac());
  }
  if (!any || integer + frac > fixed::kMaxTypeWidth || integer + frac < 1) return std::nullopt;
  return fixed::make_fixed(integer + frac, integer, is_signed);
}

}  // namespace nnfpga::ir
