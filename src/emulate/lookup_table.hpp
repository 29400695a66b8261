// Lookup tables of functions (sigmoid, tanh, softmax's exponent and reciprocal), shared by the
// kernels and by tests that check the tables. Every entry is computed in double and cast into
// table_t by fixed::cast_double.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fixed/exact.hpp"
#include "ir/graph.hpp"

namespace nnfpga::emulate {

// table_size of a lookup-table node, checked to be a power of two in [1, 2^24] (kConfig).
std::int64_t checked_table_size(const ir::Node& node);

// The element-wise table functions (Sigmoid, TanH, Softsign, Softplus, ELU) cover an input range
// of width 2^range_log2: centered ones [-2^(R-1), 2^(R-1)) (sigmoid R = 4, tanh 3, softsign 5,
// softplus 4), ELU's negative part [-2^R, 0) (R = 3). Beyond the range the end entries are used,
// except where the function is the identity: ELU for x >= 0, and softplus for x >= 2^(R-1), where
// it is x within exp(-8) (docs/layers.md).
int activation_range_log2(ir::OpKind kind);
bool table_is_negative_part(ir::OpKind kind);  // ELU
bool has_identity_above(ir::OpKind kind);      // ELU (from 0), Softplus (from 2^(R-1))

// Entry i = f(lo + (i + 0.5) * (hi - lo) / N), as table_t mantissas, f the op's float meaning
// (ir::ElementwiseFunction; ELU with the node's alpha). Throws kInternal for a non-table op.
std::vector<std::int64_t> activation_table(const ir::Node& node, std::int64_t size,
                                           const fixed::FixedType& table_t);

// The table index of an input mantissa at fraction `frac`: floor((x - lo) * N / (hi - lo)),
// clamped to [0, N - 1], for a centered range.
std::int64_t activation_index(std::int64_t mantissa, int frac, int range_log2, int size_log2);
// The same for a negative-part range [-2^R, 0): floor(x * N / 2^R) + N, clamped.
std::int64_t negative_part_index(std::int64_t mantissa, int frac, int range_log2, int size_log2);

// Softmax exponent table over [-8, 0]: entry k = exp(-k * 8 / N).
std::vector<std::int64_t> exp_table(std::int64_t size, const fixed::FixedType& table_t);
// Softmax reciprocal table over (0, S]: entry r = 1 / ((r + 0.5) * S / N), S = 2^sum_range_log2.
std::vector<std::int64_t> reciprocal_table(std::int64_t size, int sum_range_log2,
                                           const fixed::FixedType& table_t);

}  // namespace nnfpga::emulate
