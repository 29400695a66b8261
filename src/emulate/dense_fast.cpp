// The hot loops of Dense. Broadcasting x_i against a contiguous row of weights makes the inner
// loop a plain vector multiply-add that g++ -O3 vectorizes; target_clones adds an AVX2 version
// chosen at load time, so the library stays portable without -march=native.
#include "emulate/dense.hpp"

namespace nnfpga::emulate {

__attribute__((target_clones("avx2", "default"))) void dense_dot_i32(
    const std::int32_t* __restrict x, const std::int32_t* __restrict w,
    std::int32_t* __restrict acc, std::int64_t n_in, std::int64_t n_out) {
  for (std::int64_t j = 0; j < n_out; ++j) acc[j] = 0;
  for (std::int64_t i = 0; i < n_in; ++i) {
    const std::int32_t xi = x[i];
    const std::int32_t* __restrict wi = w + i * n_out;
    for (std::int64_t j = 0; j < n_out; ++j) acc[j] += xi * wi[j];
  }
}

__attribute__((target_clones("avx2", "default"))) void dense_dot_i64(
    const std::int64_t* __restrict x, const std::int64_t* __restrict w,
    std::int64_t* __restrict acc, std::int64_t n_in, std::int64_t n_out) {
  for (std::int64_t j = 0; j < n_out; ++j) acc[j] = 0;
  for (std::int64_t i = 0; i < n_in; ++i) {
    const std::int64_t xi = x[i];
    const std::int64_t* __restrict wi = w + i * n_out;
    for (std::int64_t j = 0; j < n_out; ++j) acc[j] += xi * wi[j];
  }
}

}  // namespace nnfpga::emulate
