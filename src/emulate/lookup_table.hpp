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

// Sigmoid / TanH: the input range is [-2^(range_log2-1), 2^(range_log2-1)): range_log2 = 4 for
// sigmoid ([-8, 8)), 3 for tanh ([-4, 4)).
int activation_range_log2(ir::OpKind kind);

// Entry i = f(lo + (i + 0.5) * (hi - lo) / N), as table_t mantissas.
std::vector<std::int64_t> activation_table(ir::OpKind kind, std::int64_t size,
                                           const fixed::FixedType& table_t);

// The table index of an input mantissa at fraction `frac`: floor((x - lo) * N / (hi - lo)),
// clamped to [0, N - 1].
std::int64_t activation_index(std::int64_t mantissa, int frac, int range_log2, int size_log2);

// Softmax exponent table over [-8, 0]: entry k = exp(-k * 8 / N).
std::vector<std::int64_t> exp_table(std::int64_t size, const fixed::FixedType& table_t);
// Softmax reciprocal table over (0, S]: entry r = 1 / ((r + 0.5) * S / N), S = 2^sum_range_log2.
std::vector<std::int64_t> reciprocal_table(std::int64_t size, int sum_range_log2,
                                           const fixed::FixedType& table_t);

}  // namespace nnfpga::emulate
