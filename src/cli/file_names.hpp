// Safe, unique file names made from layer names (which come from the model and may hold '/', ':',
// spaces or "..").
#pragma once

#include <set>
#include <string>

namespace nnfpga::cli {

// Hands out file-name stems: characters other than letters, digits, '_', '-' and '.' become '_',
// a leading '.' becomes '_', and a stem already given (compared case-insensitively, for
// case-insensitive file systems) gets a suffix _2, _3, ...
class FileNamer {
 public:
  std::string stem_for(const std::string& layer);

 private:
  std::set<std::string> taken_;  // lower-cased
};

}  // namespace nnfpga::cli
