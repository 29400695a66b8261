// The one spelling of a call into hlslib/nnfpga/ and of its packed word.
#include "backend/hls/library_call.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace nnfpga::backend::hls {

std::string library_call(const std::string& function, const std::vector<std::string>& types,
                         const std::vector<std::string>& arguments) {
  return fmt::format("nnf::{}<{}>({});", function, fmt::join(types, ", "),
                     fmt::join(arguments, ", "));
}

std::string packed_type(const std::string& element_type, std::int64_t beat_width) {
  return fmt::format("nnf::packed<{}, {}>", element_type, beat_width);
}

}  // namespace nnfpga::backend::hls
