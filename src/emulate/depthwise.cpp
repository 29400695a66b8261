// DepthwiseConv1D, DepthwiseConv2D: output channel j = c*M + m of each position sums the products
// of input channel c's window with column j of the weight matrix [k_h*k_w][C*M]
// (ir::DepthwiseGeometry), in window order (kh, kw), exactly as Dense sums a column
// (docs/layers.md). The operands, the accumulator rule and the fast path's proof are Dense's over
// that matrix (linear::dense_operands), because each column still sums n_in = k_h*k_w products of
// inputs of the input type; only which input a product reads differs, so the loops are this
// file's. A padded window element adds a zero product, which no cast changes: both kernels skip it.
#include <algorithm>

#include "emulate/dense.hpp"
#include "emulate/kernel.hpp"
#include "ir/geometry.hpp"

namespace nnfpga::emulate {
namespace {

class DepthwiseGeneral : public Kernel {
 public:
  DepthwiseGeneral(const ir::DepthwiseGeometry& g, PreparedDense d)
      : g_(g.window), m_(g.multiplier), d_(std::move(d)) {}

  void run(const KernelArgs& a) const override {
    const std::int64_t c_in = g_.channels, c_out = d_.n_out;
    const std::int64_t in_size = g_.in_h * g_.in_w * c_in;
    const int fa = d_.accum_t.frac();
    const int fp = d_.x_t.frac() + d_.w_t.frac();
    Counters& counters = *a.counters;
    std::int64_t* y = a.output;
    for (std::int64_t r = 0; r < a.rows; ++r) {
      const std::int64_t* x = a.inputs[0] + r * in_size;
      for (std::int64_t oh = 0; oh < g_.out_h; ++oh) {
        for (std::int64_t ow = 0; ow < g_.out_w; ++ow, y += c_out) {
          for (std::int64_t j = 0; j < c_out; ++j) {
            std::int64_t acc = d_.bias_accum[j];
            counters.accum_overflows += d_.bias_overflowed[j];
            for (std::int64_t kh = 0; kh < g_.k_h; ++kh) {
              for (std::int64_t kw = 0; kw < g_.k_w; ++kw) {
                const std::int64_t p = g_.input_position(oh, ow, kh, kw);
                if (p < 0) continue;
                const i128 product =
                    i128{x[p * c_in + j / m_]} * d_.weight[(kh * g_.k_w + kw) * c_out + j];
                const fixed::CastResult pc = fixed::cast(product, fp, d_.accum_t);
                const fixed::CastResult s = fixed::cast(i128{acc} + pc.mantissa, fa, d_.accum_t);
                counters.accum_overflows += pc.overflowed + s.overflowed;
                acc = s.mantissa;
              }
            }
            const fixed::CastResult out = d_.to_result(acc);
            y[j] = out.mantissa;
            counters.result_overflows += out.overflowed;
          }
        }
      }
    }
  }

 private:
  ir::WindowGeometry g_;
  std::int64_t m_ = 1;
  PreparedDense d_;
};

// Where the linear core proved that no accumulator cast changes a value: integer sums in `Lane`,
// vectorized over the output channels of a position, the bias added and one cast to result_t.
template <typename Lane>
class DepthwiseFast : public Kernel {
 public:
  DepthwiseFast(const ir::DepthwiseGeometry& g, PreparedDense d)
      : g_(g.window), m_(g.multiplier), d_(std::move(d)) {
    shift_ = d_.accum_t.frac() - d_.x_t.frac() - d_.w_t.frac();
    w_.assign(d_.weight.begin(), d_.weight.end());
  }

  void run(const KernelArgs& a) const override {
    const std::int64_t c_in = g_.channels, c_out = d_.n_out, m = m_;
    const std::int64_t in_size = g_.in_h * g_.in_w * c_in;
    const std::int64_t out_size = g_.out_positions() * c_out;
    std::vector<Lane>& acc_buffer = lanes(a.scratch);
    acc_buffer.resize(static_cast<std::size_t>(c_out));
    Lane* __restrict acc = acc_buffer.data();
    std::vector<std::int64_t>& total = a.scratch->wide;
    total.resize(static_cast<std::size_t>(a.rows * out_size));
    std::int64_t* __restrict t = total.data();
    const std::int64_t* __restrict bias = d_.bias_accum.data();
    for (std::int64_t r = 0; r < a.rows; ++r) {
      const std::int64_t* __restrict x = a.inputs[0] + r * in_size;
      for (std::int64_t oh = 0; oh < g_.out_h; ++oh) {
        for (std::int64_t ow = 0; ow < g_.out_w; ++ow, t += c_out) {
          std::fill(acc, acc + c_out, Lane{0});
          for (std::int64_t kh = 0; kh < g_.k_h; ++kh) {
            for (std::int64_t kw = 0; kw < g_.k_w; ++kw) {
              const std::int64_t p = g_.input_position(oh, ow, kh, kw);
              if (p < 0) continue;
              const std::int64_t* __restrict xp = x + p * c_in;
              const Lane* __restrict w = w_.data() + (kh * g_.k_w + kw) * c_out;
              if (m == 1) {
                for (std::int64_t c = 0; c < c_in; ++c) acc[c] += static_cast<Lane>(xp[c]) * w[c];
              } else {
                for (std::int64_t c = 0; c < c_in; ++c) {
                  const Lane xv = static_cast<Lane>(xp[c]);
                  for (std::int64_t k = 0; k < m; ++k) acc[c * m + k] += xv * w[c * m + k];
                }
              }
            }
          }
          // Exact: every partial sum was proven to fit accum_t, so only the final cast remains.
          for (std::int64_t j = 0; j < c_out; ++j) {
            t[j] = bias[j] + (static_cast<std::int64_t>(acc[j]) << shift_);
          }
        }
      }
    }
    a.counters->result_overflows +=
        d_.to_result.cast_array(total.data(), a.output, a.rows * out_size);
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

  ir::WindowGeometry g_;
  std::int64_t m_ = 1;
  PreparedDense d_;
  int shift_ = 0;
  std::vector<Lane> w_;
};

std::unique_ptr<Kernel> make_depthwise(const ir::Node& node,
                                       const std::vector<const ir::Node*>& inputs, bool general) {
  const ir::DepthwiseGeometry g = ir::depthwise_geometry(node);
  PreparedDense d = prepare_dense(node, inputs);
  if (!general) {
    switch (choose_lanes(d)) {
      case Lanes::kI32:
        return std::make_unique<DepthwiseFast<std::int32_t>>(g, std::move(d));
      case Lanes::kI64:
        return std::make_unique<DepthwiseFast<std::int64_t>>(g, std::move(d));
      case Lanes::kNone:
        break;
    }
  }
  return std::make_unique<DepthwiseGeneral>(g, std::move(d));
}

}  // namespace

std::unique_ptr<Kernel> make_depthwise_kernel(const ir::Node& node,
                                              const std::vector<const ir::Node*>& inputs) {
  return make_depthwise(node, inputs, false);
}

std::unique_ptr<Kernel> make_depthwise_kernel_general(const ir::Node& node,
                                                      const std::vector<const ir::Node*>& inputs) {
  return make_depthwise(node, inputs, true);
}

}  // namespace nnfpga::emulate
