// Sigmoid and TanH by lookup table (docs/layers.md), and the table builders every table layer
// uses. The kernel precomputes each entry already cast to result_t, so a value costs one index
// computation and one load.
#include "emulate/lookup_table.hpp"

#include <cmath>

#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "emulate/table_index.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {

std::int64_t checked_table_size(const ir::Node& node) {
  const std::int64_t n = node.settings.table_size;
  if (n < 1 || n > (std::int64_t{1} << 24) || (n & (n - 1)) != 0) {
    throw Error(ErrorKind::kConfig,
                "table_size " + std::to_string(n) + " must be a power of two from 1 to 2^24",
                {.node = node.name, .key = "table_size"});
  }
  return n;
}

int activation_range_log2(ir::OpKind kind) {
  return kind == ir::OpKind::kSigmoid ? 4 : 3;
}

std::vector<std::int64_t> activation_table(ir::OpKind kind, std::int64_t size,
                                           const fixed::FixedType& table_t) {
  const double width = std::ldexp(1.0, activation_range_log2(kind));
  const double lo = -width / 2;
  std::vector<std::int64_t> table(static_cast<std::size_t>(size));
  for (std::int64_t i = 0; i < size; ++i) {
    const double x = lo + (static_cast<double>(i) + 0.5) * width / static_cast<double>(size);
    const double y = kind == ir::OpKind::kSigmoid ? 1.0 / (1.0 + std::exp(-x)) : std::tanh(x);
    table[i] = fixed::cast_double(y, table_t).mantissa;
  }
  return table;
}

std::int64_t activation_index(std::int64_t mantissa, int frac, int range_log2, int size_log2) {
  // (x - lo) * N / 2^R = m * 2^(n - R - F) + N/2, since lo = -2^(R-1).
  const i128 half = size_log2 == 0 ? 0 : i128{1} << (size_log2 - 1);
  const i128 index = floor_mul_pow2(mantissa, size_log2 - range_log2 - frac) + half;
  return clamp_index(index, std::int64_t{1} << size_log2);
}

std::vector<std::int64_t> exp_table(std::int64_t size, const fixed::FixedType& table_t) {
  std::vector<std::int64_t> table(static_cast<std::size_t>(size));
  for (std::int64_t k = 0; k < size; ++k) {
    table[k] = fixed::cast_double(std::exp(-8.0 * static_cast<double>(k) / size), table_t).mantissa;
  }
  return table;
}

std::vector<std::int64_t> reciprocal_table(std::int64_t size, int sum_range_log2,
                                           const fixed::FixedType& table_t) {
  const double s = std::ldexp(1.0, sum_range_log2);
  std::vector<std::int64_t> table(static_cast<std::size_t>(size));
  for (std::int64_t r = 0; r < size; ++r) {
    const double x = (static_cast<double>(r) + 0.5) * s / static_cast<double>(size);
    table[r] = fixed::cast_double(1.0 / x, table_t).mantissa;
  }
  return table;
}

namespace {

class Lookup : public Kernel {
 public:
  Lookup(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)),
        x_frac_(producer_type(producer).frac()),
        range_log2_(activation_range_log2(node.op)) {
    const std::int64_t n = checked_table_size(node);
    size_log2_ = log2_exact(n);
    const fixed::FixedType& table_t = checked_type(node, "table");
    const fixed::FixedType& result_t = checked_type(node, "result");
    for (std::int64_t entry : activation_table(node.op, n, table_t)) {
      const fixed::CastResult r = fixed::cast(entry, table_t.frac(), result_t);
      out_.push_back(r.mantissa);
      overflowed_.push_back(r.overflowed);
    }
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    const std::int64_t* x = a.inputs[0];
    for (std::int64_t k = 0; k < a.rows * size_; ++k) {
      const std::int64_t i = activation_index(x[k], x_frac_, range_log2_, size_log2_);
      a.output[k] = out_[i];
      overflows += overflowed_[i];
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  int x_frac_;
  int range_log2_;
  int size_log2_ = 0;
  std::vector<std::int64_t> out_;  // entry i cast to result_t
  std::vector<char> overflowed_;   // that cast overflowed
};

}  // namespace

std::unique_ptr<Kernel> make_lookup_kernel(const ir::Node& node,
                                           const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Lookup>(node, *inputs.at(0));
}

}  // namespace nnfpga::emulate
