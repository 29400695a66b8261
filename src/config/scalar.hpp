// How a plain (unquoted) YAML scalar becomes a typed JSON value. Shared by the YAML reader, the
// command-line assignments (whose values are read as YAML scalars) and the YAML writer (which
// quotes a string that would read back as something else).
#pragma once

#include <string_view>

#include "config/config.hpp"

namespace nnfpga::config::detail {

// YAML 1.2 core schema, decimal only: "", "~", null → null; true/false (any of the three
// capitalizations) → bool; [-+]?[0-9]+ that fits int64 → integer; decimal or exponent
// notation and .inf/.nan → float; anything else (e.g. "ap_fixed<16,6>") → string.
Tree scalar_from_text(std::string_view text);

// True when `text`, written unquoted, would not read back as this same string.
bool needs_quotes(std::string_view text);

}  // namespace nnfpga::config::detail
