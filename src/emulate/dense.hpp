// Dense's prepared data, shared by the general kernel (dense.cpp) and the integer fast path
// (dense_fast.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "emulate/caster.hpp"

namespace nnfpga::emulate {

struct DenseLayout {
  std::int64_t n_in = 0;
  std::int64_t n_out = 0;
  std::int64_t lead = 1;  // leading non-batch axes: independent rows per batch row
  fixed::FixedType x_t, w_t, accum_t, result_t;
  std::vector<std::int64_t> weight;      // [n_in][n_out] mantissas in weight_t
  std::vector<std::int64_t> bias_accum;  // bias cast into accum_t, [n_out]
  std::vector<char> bias_overflowed;     // that cast overflowed, [n_out]
  Caster to_result;                      // accum_t -> result_t
};

// The integer dot-product kernels of the fast path: out[r][j] = sum_i x[r][i] * w[i][j], exact.
// The caller has proven that no partial sum leaves the lane type.
void dense_dot_i32(const std::int32_t* x, const std::int32_t* w, std::int32_t* acc,
                   std::int64_t n_in, std::int64_t n_out);
void dense_dot_i64(const std::int64_t* x, const std::int64_t* w, std::int64_t* acc,
                   std::int64_t n_in, std::int64_t n_out);

}  // namespace nnfpga::emulate
