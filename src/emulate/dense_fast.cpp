// The hot loops of Dense. Weights are laid out [n_in][n_out_padded] with n_out padded to whole
// vectors, so a tile of kLanes outputs for kRows rows lives in registers while the input index
// runs: per step one weight vector is loaded and reused by kRows broadcast inputs. GCC's vector
// extensions keep this portable; target_clones adds an AVX2 version chosen at load time, so the
// library runs without -march=native.
#include "emulate/dense.hpp"

namespace nnfpga::emulate {
namespace {

template <typename Lane, int kLanes>
using Vec __attribute__((vector_size(sizeof(Lane) * kLanes))) = Lane;

// acc[r][j] = sum_i x[r][i] * w[i][j] for kRows rows and one tile of kLanes columns at j0.
template <typename Lane, int kLanes, int kRows>
inline void tile(const Lane* __restrict x, const Lane* __restrict w, Lane* __restrict acc,
                 std::int64_t n_in, std::int64_t stride, std::int64_t j0) {
  using V = Vec<Lane, kLanes>;
  V sum[kRows] = {};
  for (std::int64_t i = 0; i < n_in; ++i) {
    V wv;
    __builtin_memcpy(&wv, w + i * stride + j0, sizeof(V));
    for (int r = 0; r < kRows; ++r) sum[r] += x[r * n_in + i] * wv;
  }
  for (int r = 0; r < kRows; ++r) __builtin_memcpy(acc + r * stride + j0, &sum[r], sizeof(V));
}

template <typename Lane, int kLanes>
inline void rows_kernel(const Lane* __restrict x, const Lane* __restrict w, Lane* __restrict acc,
                        std::int64_t rows, std::int64_t n_in, std::int64_t stride) {
  constexpr int kBlock = 4;
  std::int64_t r = 0;
  for (; r + kBlock <= rows; r += kBlock) {
    for (std::int64_t j0 = 0; j0 < stride; j0 += kLanes) {
      tile<Lane, kLanes, kBlock>(x + r * n_in, w, acc + r * stride, n_in, stride, j0);
    }
  }
  for (; r < rows; ++r) {
    for (std::int64_t j0 = 0; j0 < stride; j0 += kLanes) {
      tile<Lane, kLanes, 1>(x + r * n_in, w, acc + r * stride, n_in, stride, j0);
    }
  }
}

}  // namespace

__attribute__((target_clones("avx2", "default"))) void dense_rows_i32(
    const std::int32_t* x, const std::int32_t* w, std::int32_t* acc, std::int64_t rows,
    std::int64_t n_in, std::int64_t stride) {
  rows_kernel<std::int32_t, kDenseLanes32>(x, w, acc, rows, n_in, stride);
}

__attribute__((target_clones("avx2", "default"))) void dense_rows_i64(
    const std::int64_t* x, const std::int64_t* w, std::int64_t* acc, std::int64_t rows,
    std::int64_t n_in, std::int64_t stride) {
  rows_kernel<std::int64_t, kDenseLanes64>(x, w, acc, rows, n_in, stride);
}

}  // namespace nnfpga::emulate
