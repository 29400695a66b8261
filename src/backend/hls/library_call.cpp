// library_call: the one spelling of a call into hlslib/nnfpga/.
#include "backend/hls/library_call.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace nnfpga::backend::hls {

std::string library_call(const std::string& function, const std::vector<std::string>& types,
                         const std::vector<std::string>& arguments) {
  return fmt::format("nnf::{}<{}>({});", function, fmt::join(types, ", "),
                     fmt::join(arguments, ", "));
}

}  // namespace nnfpga::backend::hls
