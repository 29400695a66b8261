// Verilog identifiers for generated RTL (house rule 6). Every module, port and net name that comes
// from a model goes through IdentifierTable::take, so names holding spaces, quotes, Verilog or
// SystemVerilog keywords, or escaped-identifier syntax come out as plain simple identifiers.
#pragma once

#include <set>
#include <string>

namespace nnfpga::backend::verilog {

// `text` reduced to a simple identifier ([A-Za-z_][A-Za-z0-9_]*, never '$', never escaped):
// runs of other characters become one '_', leading and trailing '_' go, a leading digit or a
// keyword of Verilog-2005 / SystemVerilog-2017 gets the prefix "n_". Never empty.
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

}  // namespace nnfpga::backend::verilog
