// C++ identifiers for generated code (house rule 6). Every global name a project uses is asked
// for here, so every name is safe (letters, digits and '_', never a keyword, never reserved) and
// unique: model names holding quotes, spaces, keywords or code come out as harmless identifiers.
#pragma once

#include <set>
#include <string>

namespace nnfpga::backend::hls {

// `text` reduced to a safe identifier: runs of other characters become one '_', leading and
// trailing '_' go (a leading '_' plus capital, or "__", is reserved in C++), a leading digit or a
// keyword gets a prefix. Never empty.
std::string sanitize_identifier(const std::string& text);

class IdentifierTable {
 public:
  IdentifierTable();
  // sanitize_identifier(candidate), made unique with a numeric suffix; the name is then taken.
  std::string take(const std::string& candidate);
  bool taken(const std::string& name) const { return used_.count(name) != 0; }

 private:
  std::set<std::string> used_;
};

}  // namespace nnfpga::backend::hls
