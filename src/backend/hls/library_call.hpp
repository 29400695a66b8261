// A call of a layer library function: nnf::<function><T0, T1, ...>(a0, a1, ...);
// The template arguments are the element types and the config struct, the call arguments the
// arrays, as every function of hlslib/nnfpga/ takes them.
#pragma once

#include <string>
#include <vector>

namespace nnfpga::backend::hls {

std::string library_call(const std::string& function, const std::vector<std::string>& types,
                         const std::vector<std::string>& arguments);

}  // namespace nnfpga::backend::hls
