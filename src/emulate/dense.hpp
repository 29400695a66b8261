// Dense's operands prepared for the kernels, shared by the general kernel (dense.cpp) and the
// integer fast path (dense_fast.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"

namespace nnfpga::emulate {

// The kernel's own copy of what linear::DenseOperands describes (the node may not outlive it).
struct PreparedDense {
  std::int64_t n_in = 0;
  std::int64_t n_out = 0;
  std::int64_t positions = 1;  // input vectors per sample (ir::DenseGeometry)
  fixed::FixedType x_t, w_t, accum_t, result_t;
  std::vector<std::int64_t> weight;      // [n_in][n_out] mantissas in weight_t
  std::vector<std::int64_t> bias_accum;  // bias cast into accum_t, [n_out]
  std::vector<char> bias_overflowed;     // that cast overflowed, [n_out]
  Caster to_result;                      // accum_t -> result_t
  // linear::accumulation_is_exact: no accumulator cast can change a value, so the fast path may
  // sum in plain integers.
  bool exact_accumulation = false;
};

// The operands of a configured Dense or convolution (its matrix geometry, linear::dense_operands),
// checked to be types the kernels compute with; `inputs` are the node's producers.
PreparedDense prepare_dense(const ir::Node& node, const std::vector<const ir::Node*>& inputs);

// What the fast paths may assume, from the linear core's proof (src/linear/): the largest
// magnitude of an input code or a weight, and of any partial sum of products (any subset, in any
// order, in the product's units). nullopt where the accumulation is not proven exact, or where a
// sum shifted into accum_t's units could leave an int64.
struct ProvenMagnitudes {
  i128 operand = 0;
  i128 sum = 0;
};
std::optional<ProvenMagnitudes> proven_magnitudes(const PreparedDense& d);

// The kernel of the matrix product `d` over rows of n_in inputs (KernelArgs::rows samples of
// `positions` rows each): the integer fast path where the linear core proved the accumulation
// exact, else (or with `general`) the general kernel, one exact cast per step.
std::unique_ptr<Kernel> make_matrix_kernel(PreparedDense d, bool general);

// Which integer lanes a fast path over `d` may use: only where the linear core proved the
// accumulation exact, and then the narrowest lane holding every input, weight and partial sum of
// products (each column's inputs ranging over x_t: Dense's, a convolution's and a depthwise
// convolution's alike).
enum class Lanes { kNone, kI32, kI64 };
Lanes choose_lanes(const PreparedDense& d);

// The integer kernels of the fast path: acc[r][j] = sum_i x[r][i] * w[i][j], exact, for `rows`
// rows of x [rows][n_in]. w is [n_in][stride] and acc [rows][stride], stride = n_out rounded up to
// a whole number of vectors (kDenseLanes32 / kDenseLanes64 lanes), the padding holding zeros. The
// caller has proven that no partial sum leaves the lane type.
constexpr int kDenseLanes32 = 8;
constexpr int kDenseLanes64 = 4;
void dense_rows_i32(const std::int32_t* x, const std::int32_t* w, std::int32_t* acc,
                    std::int64_t rows, std::int64_t n_in, std::int64_t stride);
void dense_rows_i64(const std::int64_t* x, const std::int64_t* w, std::int64_t* acc,
                    std::int64_t rows, std::int64_t n_in, std::int64_t stride);

}  // namespace nnfpga::emulate
