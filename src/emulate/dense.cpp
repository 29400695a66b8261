// Dense: acc = cast(bias, accum_t); acc = cast(acc + cast(x_i * w_ij, accum_t), accum_t) in input
// order; y = cast(acc, result_t) (docs/layers.md). The general kernel does exactly that with one
// exact cast per step. The fast kernel applies when the linear core (src/linear/) proves that no
// accumulator cast can round or overflow; the sum is then a plain integer dot product.
#include <algorithm>
#include <limits>

#include "emulate/dense.hpp"
#include "emulate/kernel.hpp"
#include "linear/dense_operands.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {}  // namespace

PreparedDense prepare_dense(const ir::Node& node, const std::vector<const ir::Node*>& inputs) {
  for (const char* key : {"weight", "accum", "result"}) checked_type(node, key);
  const linear::DenseOperands ops = linear::dense_operands(node, producer_type(*inputs.at(0)));
  PreparedDense d;
  d.n_in = ops.geometry.n_in;
  d.n_out = ops.geometry.n_out;
  d.positions = ops.geometry.positions;
  d.x_t = ops.x;
  d.w_t = ops.weight;
  d.accum_t = ops.accum;
  d.result_t = ops.result;
  d.weight.assign(ops.weights.mantissa.begin(), ops.weights.mantissa.end());
  require_exact_width(node, fixed::product_type(d.x_t, d.w_t).width, "product x*w");
  d.bias_accum = ops.bias_in_accum;
  d.bias_overflowed = ops.bias_overflowed;
  d.to_result = Caster(d.accum_t.frac(), d.result_t);
  d.exact_accumulation = linear::accumulation_is_exact(ops);
  return d;
}

std::optional<ProvenMagnitudes> proven_magnitudes(const PreparedDense& d) {
  if (!d.exact_accumulation) return std::nullopt;
  const int shift = d.accum_t.frac() - d.x_t.frac() - d.w_t.frac();
  if (shift > 62) return std::nullopt;
  const linear::Range x = linear::type_range(d.x_t);
  const std::vector<linear::Range> inputs(static_cast<std::size_t>(d.n_in), x);
  const auto sums = linear::product_sum_ranges({d.weight, d.n_in, d.n_out}, inputs);
  if (!sums) return std::nullopt;
  ProvenMagnitudes m;
  m.operand = std::max(-x.lo, x.hi);
  for (std::int64_t w : d.weight) m.operand = std::max<i128>(m.operand, w < 0 ? -i128{w} : i128{w});
  for (const linear::Range& r : *sums) {
    // The kernels shift the integer sum into accum_t's units in an int64.
    if (std::max(-r.lo, r.hi) >= (i128{1} << (62 - shift))) return std::nullopt;
    m.sum = std::max({m.sum, -r.lo, r.hi});
  }
  return m;
}

namespace {

class DenseGeneral : public Kernel {
 public:
  explicit DenseGeneral(PreparedDense d) : d_(std::move(d)) {}

  void run(const KernelArgs& a) const override {
    const int fa = d_.accum_t.frac();
    const int fp = d_.x_t.frac() + d_.w_t.frac();
    Counters& c = *a.counters;
    for (std::int64_t r = 0; r < a.rows * d_.positions; ++r) {
      const std::int64_t* x = a.inputs[0] + r * d_.n_in;
      std::int64_t* y = a.output + r * d_.n_out;
      for (std::int64_t j = 0; j < d_.n_out; ++j) {
        std::int64_t acc = d_.bias_accum[j];
        c.accum_overflows += d_.bias_overflowed[j];
        for (std::int64_t i = 0; i < d_.n_in; ++i) {
          const i128 product = i128{x[i]} * d_.weight[i * d_.n_out + j];
          const fixed::CastResult p = fixed::cast(product, fp, d_.accum_t);
          const fixed::CastResult s = fixed::cast(i128{acc} + p.mantissa, fa, d_.accum_t);
          c.accum_overflows += p.overflowed + s.overflowed;
          acc = s.mantissa;
        }
        const fixed::CastResult out = d_.to_result(acc);
        y[j] = out.mantissa;
        c.result_overflows += out.overflowed;
      }
    }
  }

 private:
  PreparedDense d_;
};

}  // namespace

Lanes choose_lanes(const PreparedDense& d) {
  const std::optional<ProvenMagnitudes> m = proven_magnitudes(d);
  if (!m) return Lanes::kNone;
  return std::max(m->operand, m->sum) <= std::numeric_limits<std::int32_t>::max() ? Lanes::kI32
                                                                                  : Lanes::kI64;
}

namespace {

template <typename Lane>
class DenseFast : public Kernel {
 public:
  static constexpr int kLanes = sizeof(Lane) == 4 ? kDenseLanes32 : kDenseLanes64;

  explicit DenseFast(PreparedDense d) : d_(std::move(d)) {
    shift_ = d_.accum_t.frac() - d_.x_t.frac() - d_.w_t.frac();
    stride_ = (d_.n_out + kLanes - 1) / kLanes * kLanes;
    w_.assign(static_cast<std::size_t>(d_.n_in * stride_), 0);
    for (std::int64_t i = 0; i < d_.n_in; ++i) {
      for (std::int64_t j = 0; j < d_.n_out; ++j) {
        w_[i * stride_ + j] = static_cast<Lane>(d_.weight[i * d_.n_out + j]);
      }
    }
  }

  // The whole block of rows at once: narrow the inputs to lanes, one tiled product, then the
  // bias and the single cast to result_t over every row.
  void run(const KernelArgs& a) const override {
    const std::int64_t n_in = d_.n_in, n_out = d_.n_out, rows = a.rows * d_.positions;
    std::vector<Lane>& buffer = lanes(a.scratch);
    buffer.resize(static_cast<std::size_t>(rows * (n_in + stride_)));
    Lane* __restrict x = buffer.data();
    Lane* __restrict acc = x + rows * n_in;
    const std::int64_t* __restrict in = a.inputs[0];
    for (std::int64_t k = 0; k < rows * n_in; ++k) x[k] = static_cast<Lane>(in[k]);
    if constexpr (sizeof(Lane) == 4) {
      dense_rows_i32(x, w_.data(), acc, rows, n_in, stride_);
    } else {
      dense_rows_i64(x, w_.data(), acc, rows, n_in, stride_);
    }
    // Exact: the bound check proved every partial sum fits accum_t, so no accumulator cast
    // changes a value and the sum needs only the final cast to result_t.
    std::vector<std::int64_t>& total = a.scratch->wide;
    total.resize(static_cast<std::size_t>(rows * n_out));
    const std::int64_t* __restrict bias = d_.bias_accum.data();
    for (std::int64_t r = 0; r < rows; ++r) {
      const Lane* __restrict acc_row = acc + r * stride_;
      std::int64_t* __restrict total_row = total.data() + r * n_out;
      for (std::int64_t j = 0; j < n_out; ++j) {
        total_row[j] = bias[j] + (static_cast<std::int64_t>(acc_row[j]) << shift_);
      }
    }
    a.counters->result_overflows += d_.to_result.cast_array(total.data(), a.output, rows * n_out);
  }

  const char* variant() const override { return sizeof(Lane) == 4 ? "fast-i32" : "fast-i64"; }

 private:
  static std::vector<Lane>& lanes(Scratch* s) {
    if constexpr (sizeof(Lane) == 4) {
      return s->i32;
    } else {
      return s->i64;
    }
  }

  PreparedDense d_;
  int shift_ = 0;
  std::int64_t stride_ = 0;
  std::vector<Lane> w_;
};

}  // namespace

std::unique_ptr<Kernel> make_dense_kernel_general(const ir::Node& node,
                                                  const std::vector<const ir::Node*>& inputs) {
  return make_matrix_kernel(prepare_dense(node, inputs), true);
}

std::unique_ptr<Kernel> make_dense_kernel(const ir::Node& node,
                                          const std::vector<const ir::Node*>& inputs) {
  return make_matrix_kernel(prepare_dense(node, inputs), false);
}

std::unique_ptr<Kernel> make_matrix_kernel(PreparedDense d, bool general) {
  if (general) return std::make_unique<DenseGeneral>(std::move(d));
  switch (choose_lanes(d)) {
    case Lanes::kI32:
      return std::make_unique<DenseFast<std::int32_t>>(std::move(d));
    case Lanes::kI64:
      return std::make_unique<DenseFast<std::int64_t>>(std::move(d));
    case Lanes::kNone:
      break;
  }
  return std::make_unique<DenseGeneral>(std::move(d));
}

}  // namespace nnfpga::emulate
