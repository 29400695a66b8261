// Dense: acc = cast(bias, accum_t); acc = cast(acc + cast(x_i * w_ij, accum_t), accum_t) in input
// order; y = cast(acc, result_t) (docs/layers.md). The general kernel does exactly that with one
// exact cast per step. The fast kernel applies when the layer's types and weights prove that no
// accumulator cast can round or overflow; the sum is then a plain integer dot product.
#include <algorithm>
#include <limits>

#include "emulate/dense.hpp"
#include "emulate/kernel.hpp"
#include "ir/geometry.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

DenseLayout make_layout(const ir::Node& node, const std::vector<const ir::Node*>& inputs) {
  DenseLayout d;
  d.x_t = producer_type(*inputs.at(0));
  d.w_t = checked_type(node, "weight");
  d.accum_t = checked_type(node, "accum");
  d.result_t = checked_type(node, "result");
  const ir::DenseGeometry g = ir::dense_geometry(node);
  d.n_in = g.n_in;
  d.n_out = g.n_out;
  d.positions = g.positions;
  d.weight = node.qparam("weight").mantissa;
  if (static_cast<std::int64_t>(d.weight.size()) != d.n_in * d.n_out) {
    throw Error(ErrorKind::kInternal, "quantized weight has the wrong size", {.node = node.name});
  }
  require_exact_width(node, fixed::product_type(d.x_t, d.w_t).width, "product x*w");
  d.bias_accum.assign(static_cast<std::size_t>(d.n_out), 0);
  d.bias_overflowed.assign(static_cast<std::size_t>(d.n_out), 0);
  if (node.qparams.count("bias")) {
    const ir::QuantizedTensor& b = node.qparam("bias");
    for (std::int64_t j = 0; j < d.n_out; ++j) {
      const fixed::CastResult c = fixed::cast(b.mantissa.at(j), b.type.frac(), d.accum_t);
      d.bias_accum[j] = c.mantissa;
      d.bias_overflowed[j] = c.overflowed;
    }
  }
  d.to_result = Caster(d.accum_t.frac(), d.result_t);
  return d;
}

class DenseGeneral : public Kernel {
 public:
  explicit DenseGeneral(DenseLayout d) : d_(std::move(d)) {}

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
  DenseLayout d_;
};

// Which integer lanes the fast path may use, from the proven range of every partial sum.
enum class Lanes { kNone, kI32, kI64 };

Lanes choose_lanes(const DenseLayout& d) {
  const int fp = d.x_t.frac() + d.w_t.frac();
  const int shift = d.accum_t.frac() - fp;
  if (shift < 0 || shift > 62) return Lanes::kNone;  // products would round in accum_t
  for (std::int64_t j = 0; j < d.n_out; ++j) {
    if (d.bias_overflowed[j]) return Lanes::kNone;
  }
  // Guards the i128 bound arithmetic below: |x*w| < 2^(Wx+Ww), n_in terms.
  if (d.x_t.width + d.w_t.width + 1 + 64 - __builtin_clzll(d.n_in) > 120) return Lanes::kNone;
  const i128 x_min = fixed::min_mantissa(d.x_t);
  const i128 x_max = fixed::max_mantissa(d.x_t);
  const i128 acc_min = fixed::min_mantissa(d.accum_t);
  const i128 acc_max = fixed::max_mantissa(d.accum_t);
  i128 widest = std::max(-x_min, x_max);
  for (std::int64_t j = 0; j < d.n_out; ++j) {
    // Each term's range contains 0, so every partial sum lies in [lo, hi] of the full sums.
    i128 lo = 0, hi = 0;
    for (std::int64_t i = 0; i < d.n_in; ++i) {
      const i128 w = d.weight[i * d.n_out + j];
      lo += std::min(x_min * w, x_max * w);
      hi += std::max(x_min * w, x_max * w);
      widest = std::max(widest, w < 0 ? -w : w);
    }
    widest = std::max({widest, -lo, hi});
    if (std::max(-lo, hi) >= (i128{1} << (62 - shift))) return Lanes::kNone;
    const i128 b = d.bias_accum[j];
    if (b + (lo << shift) < acc_min || b + (hi << shift) > acc_max) return Lanes::kNone;
  }
  return widest <= std::numeric_limits<std::int32_t>::max() ? Lanes::kI32 : Lanes::kI64;
}

template <typename Lane>
class DenseFast : public Kernel {
 public:
  static constexpr int kLanes = sizeof(Lane) == 4 ? kDenseLanes32 : kDenseLanes64;

  explicit DenseFast(DenseLayout d) : d_(std::move(d)) {
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

  DenseLayout d_;
  int shift_ = 0;
  std::int64_t stride_ = 0;
  std::vector<Lane> w_;
};

}  // namespace

std::unique_ptr<Kernel> make_dense_kernel_general(const ir::Node& node,
                                                  const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<DenseGeneral>(make_layout(node, inputs));
}

std::unique_ptr<Kernel> make_dense_kernel(const ir::Node& node,
                                          const std::vector<const ir::Node*>& inputs) {
  DenseLayout d = make_layout(node, inputs);
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
