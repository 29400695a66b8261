// C++ identifiers for generated code (house rule 6). Every global name a project uses is asked
// for here, so every name is safe (letters, digits and '_', never a keyword, never reserved) and
// unique: model names holding quotes, spaces, keywords or code come out as harmless identifiers.
#pragma once

#include <string>

#include "backend/identifier_table.hpp"

namespace nnfpga::backend::hls {

// `text` reduced to a safe identifier: runs of other characters become one '_', leading and
// trailing '_' go (a leading '_' plus capital, or "__", is reserved in C++), a leading digit or a
// keyword gets a prefix. Never empty.
std::string sanitize_identifier(const std::string& text);

// The backend's IdentifierTable, its reserved names taken from the start.
class IdentifierTable : public backend::IdentifierTable {
 public:
  IdentifierTable();
};

}  // namespace nnfpga::backend::hls
