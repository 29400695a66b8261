// Softmax over the last axis by two lookup tables, numerically stable (docs/layers.md):
// d_j = x_j - max(x) <= 0 exactly; e_j = exp table at round(-d_j * N / 8); sum in accum_t in index
// order; inv = reciprocal table at floor(sum * N / S); y_j = cast(e_j * inv, result_t).
#include <algorithm>
#include <bit>

#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "emulate/lookup_table.hpp"
#include "emulate/table_index.hpp"

namespace nnfpga::emulate {
namespace {

// The exp table spans [-8, 0]: 2^3.
constexpr int kExpRangeLog2 = 3;

class Softmax : public Kernel {
 public:
  Softmax(const ir::Node& node, const ir::Node& producer)
      : axis_(node.output_shape.back()),
        lead_(ir::element_count(node.output_shape) / axis_),
        x_frac_(producer_type(producer).frac()),
        table_t_(checked_type(node, "table")),
        accum_t_(checked_type(node, "accum")),
        result_t_(checked_type(node, "result")) {
    size_ = checked_table_size(node);
    size_log2_ = log2_exact(size_);
    sum_range_log2_ =
        log2_exact(std::max<std::int64_t>(1, std::bit_ceil(static_cast<std::uint64_t>(axis_))));
    exp_ = exp_table(size_, table_t_);
    inv_ = reciprocal_table(size_, sum_range_log2_, table_t_);
    require_exact_width(node, fixed::sum_type(accum_t_, table_t_).width + 1, "softmax sum");
    require_exact_width(node, fixed::product_type(table_t_, table_t_).width, "product e*inv");
    require_exact_width(node, producer_type(producer).width + 1, "difference x - max");
  }

  void run(const KernelArgs& a) const override {
    std::vector<std::int64_t>& e = a.scratch->i64;
    e.resize(static_cast<std::size_t>(axis_));
    for (std::int64_t r = 0; r < a.rows * lead_; ++r) {
      const std::int64_t* x = a.inputs[0] + r * axis_;
      const std::int64_t m = *std::max_element(x, x + axis_);
      for (std::int64_t j = 0; j < axis_; ++j) {
        const i128 k = round_half_up_mul_pow2(i128{m} - x[j], size_log2_ - kExpRangeLog2 - x_frac_);
        e[j] = exp_[clamp_index(k, size_)];
      }
      const std::int64_t sum = accumulate(e, *a.counters);
      const i128 r_index = floor_mul_pow2(sum, size_log2_ - sum_range_log2_ - accum_t_.frac());
      const std::int64_t inv = inv_[clamp_index(r_index, size_)];
      std::int64_t* y = a.output + r * axis_;
      for (std::int64_t j = 0; j < axis_; ++j) {
        const fixed::CastResult c = fixed::cast(i128{e[j]} * inv, 2 * table_t_.frac(), result_t_);
        y[j] = c.mantissa;
        a.counters->result_overflows += c.overflowed;
      }
    }
  }

 private:
  // acc = cast(acc + e_j, accum_t) in index order, the sum exact at the finer of the two fractions.
  std::int64_t accumulate(const std::vector<std::int64_t>& e, Counters& c) const {
    const int fa = accum_t_.frac();
    const int ft = table_t_.frac();
    const int f = std::max(fa, ft);
    std::int64_t acc = 0;
    for (std::int64_t j = 0; j < axis_; ++j) {
      const i128 sum = (i128{acc} << (f - fa)) + (i128{e[j]} << (f - ft));
      const fixed::CastResult s = fixed::cast(sum, f, accum_t_);
      acc = s.mantissa;
      c.accum_overflows += s.overflowed;
    }
    return acc;
  }

  std::int64_t axis_;
  std::int64_t lead_;
  int x_frac_;
  fixed::FixedType table_t_, accum_t_, result_t_;
  std::int64_t size_ = 1;
  int size_log2_ = 0;
  int sum_range_log2_ = 0;
  std::vector<std::int64_t> exp_;
  std::vector<std::int64_t> inv_;
};

}  // namespace

std::unique_ptr<Kernel> make_softmax_kernel(const ir::Node& node,
                                            const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Softmax>(node, *inputs.at(0));
}

}  // namespace nnfpga::emulate
