#include "backend/identifier_table.hpp"

#include <fmt/format.h>

#include <cctype>

namespace nnfpga::backend {

std::string sanitize_identifier(const std::string& text, ReservedRule reserved) {
  std::string out;
  bool pending_underscore = false;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 && c < 0x80) {
      if (pending_underscore && !out.empty()) out += '_';
      pending_underscore = false;
      out += static_cast<char>(c);
    } else {
      pending_underscore = true;  // '_' included: runs collapse, so "__" never appears
    }
  }
  if (out.empty()) return "unnamed";
  if (std::isdigit(static_cast<unsigned char>(out[0])) != 0 || reserved(out)) out = "n_" + out;
  return out;
}

IdentifierTable::IdentifierTable(std::span<const char* const> reserved_names, ReservedRule reserved)
    : reserved_(reserved), used_(reserved_names.begin(), reserved_names.end()) {}

std::string IdentifierTable::take(const std::string& candidate) {
  const std::string base = sanitize_identifier(candidate, reserved_);
  std::string name = base;
  for (int k = 2; used_.count(name) != 0; ++k) name = fmt::format("{}_{}", base, k);
  used_.insert(name);
  return name;
}

}  // namespace nnfpga::backend
