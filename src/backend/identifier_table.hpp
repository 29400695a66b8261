// Identifiers for generated code, shared by the backends (house rule 6): every name taken from a
// model is reduced to letters, digits and single '_' and made unique, so that names holding
// quotes, spaces, keywords or code come out harmless. Each backend brings its language's rules:
// the names it reserves (keywords, and the names its generated code relies on).
#pragma once

#include <set>
#include <span>
#include <string>

namespace nnfpga::backend {

// Whether a name is reserved in the target language.
using ReservedRule = bool (*)(const std::string& name);

// `text` reduced to an identifier: runs of other characters (and of '_') become one '_', leading
// and trailing '_' go, a leading digit or a reserved name gets the prefix "n_". Never empty.
std::string sanitize_identifier(const std::string& text, ReservedRule reserved);

class IdentifierTable {
 public:
  // `reserved_names` are taken from the start (so a suffix never lands on one of them).
  IdentifierTable(std::span<const char* const> reserved_names, ReservedRule reserved);
  // sanitize_identifier(candidate), made unique with a numeric suffix; the name is then taken.
  std::string take(const std::string& candidate);
  bool taken(const std::string& name) const { return used_.count(name) != 0; }

 private:
  ReservedRule reserved_;
  std::set<std::string> used_;
};

}  // namespace nnfpga::backend
