#include "cli/file_names.hpp"

#include <cctype>
#include <string>

namespace nnfpga::cli {
namespace {

// Keeps names short enough for any file system once a suffix and ".npy" are added.
constexpr std::size_t kMaxStem = 200;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string sanitize(const std::string& name) {
  std::string out;
  for (char c : name.substr(0, kMaxStem)) {
    const bool safe =
        std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    out.push_back(safe ? c : '_');
  }
  if (out.empty()) out = "layer";
  if (out.front() == '.') out.front() = '_';
  return out;
}

}  // namespace

std::string FileNamer::stem_for(const std::string& layer) {
  const std::string base = sanitize(layer);
  std::string stem = base;
  for (int n = 2; taken_.count(lower(stem)); ++n) stem = base + "_" + std::to_string(n);
  taken_.insert(lower(stem));
  return stem;
}

}  // namespace nnfpga::cli
