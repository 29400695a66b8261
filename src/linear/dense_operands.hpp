// Dense's multiply-accumulate as the IR defines it (docs/layers.md): acc = cast(bias, accum_t);
// acc = cast(acc + cast(x_i * w_ij, accum_t), accum_t) in input order; y = cast(acc, result_t).
// Its operands, gathered once from a configured node, for every consumer: the emulator's kernels,
// the Verilog Dense, the estimates.
#pragma once

#include <optional>
#include <vector>

#include "ir/geometry.hpp"
#include "linear/sum_ranges.hpp"

namespace nnfpga::linear {

struct DenseOperands {
  ir::DenseGeometry geometry;
  fixed::FixedType x, weight, bias, accum, result;
  WeightView weights;  // the node's quantized weight mantissas, [n_in][n_out]
  bool has_bias = false;
  // The bias cast into accum_t, as codes of accum_t (zeros without a bias), and whether that cast
  // overflowed, per output.
  std::vector<std::int64_t> bias_in_accum;
  std::vector<char> bias_overflowed;
  // Fraction bits accum_t keeps beyond the products' (x.frac() + weight.frac()); negative when
  // accum_t rounds the products.
  int accum_shift() const { return accum.frac() - x.frac() - weight.frac(); }
};

// Reads a configured Dense, or a convolution (its weight read as the matrix [k_h*k_w*c_in][F] of
// ir::ConvGeometry::matrix(), which it is in Keras's weight order; a depthwise one's as
// [k_h*k_w][C*M], ir::DepthwiseGeometry::matrix()), whose input has type `x`. The
// weights are viewed in place: `node` must outlive the result. Throws nnfpga::Error (kInternal)
// naming the node when its quantized weight does not match its geometry.
DenseOperands dense_operands(const ir::Node& node, const fixed::FixedType& x);

// Per output, the interval of every partial sum the accumulator sees (bias included), in accum_t's
// units, for inputs in the ranges `x` (one per input channel). nullopt when accum_t rounds the
// products (accum_shift() < 0) or the bound is too large to prove anything.
std::optional<std::vector<Range>> accumulator_ranges(const DenseOperands& d,
                                                     std::span<const Range> x);

// The proof that no accumulator cast of this layer can change a value for inputs in `x`: every
// partial sum is exact in accum_t, so the sum may be taken in any order and cast once. False when
// it cannot be proven (the caller then keeps the defined order and every cast).
bool accumulation_is_exact(const DenseOperands& d, std::span<const Range> x);

// The same, for inputs anywhere in the input type's range.
bool accumulation_is_exact(const DenseOperands& d);

}  // namespace nnfpga::linear
