// Sigmoid, TanH, Softsign, Softplus and ELU by lookup table (docs/layers.md), and the table
// builders every table layer uses. The kernel precomputes each entry already cast to result_t, so a
// value costs one index computation and one load.
#include "emulate/lookup_table.hpp"

#include <cmath>

#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "emulate/table_index.hpp"
#include "ir/float_eval.hpp"
#include "ir/op_table.hpp"
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
  switch (kind) {
    case ir::OpKind::kSigmoid:
    case ir::OpKind::kSoftplus:
      return 4;
    case ir::OpKind::kSoftsign:
      return 5;
    case ir::OpKind::kTanh:
    case ir::OpKind::kElu:
      return 3;
    default:
      throw Error(ErrorKind::kInternal,
                  "not a table function: " + std::string(ir::op_info(kind).name));
  }
}

bool table_is_negative_part(ir::OpKind kind) {
  return kind == ir::OpKind::kElu;
}

bool has_identity_above(ir::OpKind kind) {
  return kind == ir::OpKind::kElu || kind == ir::OpKind::kSoftplus;
}

std::vector<std::int64_t> activation_table(const ir::Node& node, std::int64_t size,
                                           const fixed::FixedType& table_t) {
  const double width = std::ldexp(1.0, activation_range_log2(node.op));
  const double lo = table_is_negative_part(node.op) ? -width : -width / 2;
  const ir::ElementwiseFunction f(node);  // the op's float meaning (ir/float_eval.hpp)
  std::vector<std::int64_t> table(static_cast<std::size_t>(size));
  for (std::int64_t i = 0; i < size; ++i) {
    const double x = lo + (static_cast<double>(i) + 0.5) * width / static_cast<double>(size);
    table[i] = fixed::cast_double(f(x), table_t).mantissa;
  }
  return table;
}

std::int64_t activation_index(std::int64_t mantissa, int frac, int range_log2, int size_log2) {
  // (x - lo) * N / 2^R = m * 2^(n - R - F) + N/2, since lo = -2^(R-1).
  const i128 half = size_log2 == 0 ? 0 : i128{1} << (size_log2 - 1);
  const i128 index = floor_mul_pow2(mantissa, size_log2 - range_log2 - frac) + half;
  return clamp_index(index, std::int64_t{1} << size_log2);
}

std::int64_t negative_part_index(std::int64_t mantissa, int frac, int range_log2, int size_log2) {
  const i128 index =
      floor_mul_pow2(mantissa, size_log2 - range_log2 - frac) + (i128{1} << size_log2);
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

// ceil(2^e) as a mantissa: 2^e for e >= 0, else 1 (the smallest positive mantissa reaches it).
i128 ceil_pow2_mantissa(int e) {
  if (e < 0) return 1;
  if (e > 100) return i128{1} << 100;  // beyond every int64 mantissa
  return i128{1} << e;
}

class Lookup : public Kernel {
 public:
  Lookup(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)),
        x_frac_(producer_type(producer).frac()),
        range_log2_(activation_range_log2(node.op)),
        negative_part_(table_is_negative_part(node.op)) {
    const std::int64_t n = checked_table_size(node);
    size_log2_ = log2_exact(n);
    const fixed::FixedType& table_t = checked_type(node, "table");
    const fixed::FixedType& result_t = checked_type(node, "result");
    if (has_identity_above(node.op)) {
      identity_ = true;
      identity_cast_ = Caster(x_frac_, result_t);
      // ELU from 0, softplus from 2^(R-1): the smallest mantissa whose value reaches it.
      identity_from_ = negative_part_ ? 0 : ceil_pow2_mantissa(range_log2_ - 1 + x_frac_);
    }
    for (std::int64_t entry : activation_table(node, n, table_t)) {
      const fixed::CastResult r = fixed::cast(entry, table_t.frac(), result_t);
      out_.push_back(r.mantissa);
      overflowed_.push_back(r.overflowed);
    }
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    const std::int64_t* x = a.inputs[0];
    for (std::int64_t k = 0; k < a.rows * size_; ++k) {
      if (identity_ && x[k] >= identity_from_) {
        const fixed::CastResult r = identity_cast_(x[k]);
        a.output[k] = r.mantissa;
        overflows += r.overflowed;
        continue;
      }
      const std::int64_t i = negative_part_
                                 ? negative_part_index(x[k], x_frac_, range_log2_, size_log2_)
                                 : activation_index(x[k], x_frac_, range_log2_, size_log2_);
      a.output[k] = out_[i];
      overflows += overflowed_[i];
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  int x_frac_;
  int range_log2_;
  bool negative_part_;
  int size_log2_ = 0;
  bool identity_ = false;   // the function is the identity from identity_from_ on
  i128 identity_from_ = 0;  // an input mantissa
  Caster identity_cast_;
  std::vector<std::int64_t> out_;  // entry i cast to result_t
  std::vector<char> overflowed_;   // that cast overflowed
};

}  // namespace

std::unique_ptr<Kernel> make_lookup_kernel(const ir::Node& node,
                                           const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Lookup>(node, *inputs.at(0));
}

}  // namespace nnfpga::emulate
