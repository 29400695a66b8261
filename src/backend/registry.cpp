// The registry: every backend of this build, by name.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "backend/backend.hpp"
#include "backend/hls/hls_backend.hpp"
#include "backend/verilog/verilog_backend.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool answers_to(const Backend& b, std::string_view name) {
  if (same_name(b.name(), name)) return true;
  return std::ranges::any_of(b.aliases(), [&](std::string_view a) { return same_name(a, name); });
}

}  // namespace

const std::vector<const Backend*>& all_backends() {
  static const std::vector<const Backend*> backends = {&hls::hls_backend(),
                                                       &verilog::verilog_backend()};
  return backends;
}

const Backend& find_backend(std::string_view name) {
  std::string known;
  for (const Backend* b : all_backends()) {
    if (answers_to(*b, name)) return *b;
    known += known.empty() ? "" : ", ";
    known += std::string(b->name());
    for (std::string_view a : b->aliases()) known += ", " + std::string(a);
  }
  throw Error(ErrorKind::kUnsupported,
              "backend '" + std::string(name) + "' is not available: this build has " + known);
}

const Backend* project_backend(const std::string& dir) {
  for (const Backend* b : all_backends()) {
    if (std::filesystem::exists(std::filesystem::path(dir) / b->project_marker())) return b;
  }
  return nullptr;
}

}  // namespace nnfpga::backend
