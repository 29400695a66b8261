// Verilog identifiers for generated RTL (house rule 6). Every module, port and net name that comes
// from a model goes through IdentifierTable::take, so names holding spaces, quotes, Verilog or
// SystemVerilog keywords, or escaped-identifier syntax come out as plain simple identifiers.
#pragma once

#include <string>

#include "backend/identifier_table.hpp"

namespace nnfpga::backend::verilog {

// `text` reduced to a simple identifier ([A-Za-z_][A-Za-z0-9_]*, never '$', never escaped):
// runs of other characters become one '_', leading and trailing '_' go, a leading digit or a
// keyword of Verilog-2005 / SystemVerilog-2017 gets the prefix "n_". Never empty.
std::string sanitize_identifier(const std::string& text);

// The backend's IdentifierTable, its reserved names taken from the start.
class IdentifierTable : public backend::IdentifierTable {
 public:
  IdentifierTable();
};

}  // namespace nnfpga::backend::verilog
