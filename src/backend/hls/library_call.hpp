// The generated code's spellings of hlslib/nnfpga/: a call of a layer library function, and the
// packed word a stream port carries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnfpga::backend::hls {

// nnf::<function><T0, T1, ...>(a0, a1, ...);  the template arguments are the element types and
// the config struct, the call arguments the arrays, as every function of hlslib/nnfpga/ takes them.
std::string library_call(const std::string& function, const std::vector<std::string>& types,
                         const std::vector<std::string>& arguments);

// nnf::packed<T, N>: one beat of a stream port, N values of type T (hlslib/nnfpga/common.h).
std::string packed_type(const std::string& element_type, std::int64_t beat_width);

}  // namespace nnfpga::backend::hls
