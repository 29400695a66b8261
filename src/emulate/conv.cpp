// Conv1D, Conv2D. The fast path (ConvMadd), where the linear core proves the accumulation exact
// and every operand and partial sum fits 16 and 32 bits: the sample is narrowed once into a
// zero-padded int16 image and each output position's window is read there in place, as runs of
// contiguous values, by a tiled integer matrix product (conv_madd.hpp), then the bias and the
// single cast to result_t. Otherwise (Conv): each output position's window is gathered (im2col:
// [k_h][k_w][c_in], padding as zero codes) and multiplied by the weight matrix [k_h*k_w*c_in][F]
// through Dense's own kernels, so the accumulator rule, the overflow counting and the fast path's
// proof are Dense's (docs/layers.md: a padded window element adds a zero product, which no cast
// changes, so the accumulation order over the whole window is Dense's input order).
#include <algorithm>
#include <limits>

#include "emulate/conv_madd.hpp"
#include "emulate/dense.hpp"
#include "emulate/kernel.hpp"
#include "ir/geometry.hpp"

namespace nnfpga::emulate {
namespace {

class Conv : public Kernel {
 public:
  Conv(const ir::ConvGeometry& g, std::unique_ptr<Kernel> matrix)
      : g_(g.window), out_size_(g.window.out_positions() * g.filters), matrix_(std::move(matrix)) {}

  // One sample at a time, so the windows stay the size of one sample's im2col matrix whatever the
  // block of rows.
  void run(const KernelArgs& a) const override {
    const std::int64_t c = g_.channels;
    const std::int64_t n_in = g_.window() * c;
    const std::int64_t in_size = g_.in_h * g_.in_w * c;
    std::vector<std::int64_t>& windows = a.scratch->windows;
    windows.resize(static_cast<std::size_t>(g_.out_positions() * n_in));
    KernelArgs sample = a;
    sample.rows = 1;
    sample.inputs = {windows.data()};
    for (std::int64_t r = 0; r < a.rows; ++r) {
      gather(a.inputs[0] + r * in_size, windows.data());
      sample.first_row = a.first_row + r;
      sample.output = a.output + r * out_size_;
      matrix_->run(sample);
    }
  }

  const char* variant() const override { return matrix_->variant(); }

 private:
  void gather(const std::int64_t* __restrict x, std::int64_t* __restrict out) const {
    const std::int64_t c = g_.channels;
    for (std::int64_t oh = 0; oh < g_.out_h; ++oh) {
      for (std::int64_t ow = 0; ow < g_.out_w; ++ow) {
        for (std::int64_t kh = 0; kh < g_.k_h; ++kh) {
          for (std::int64_t kw = 0; kw < g_.k_w; ++kw, out += c) {
            const std::int64_t p = g_.input_position(oh, ow, kh, kw);
            if (p < 0) {
              std::fill(out, out + c, 0);
            } else {
              std::copy(x + p * c, x + (p + 1) * c, out);
            }
          }
        }
      }
    }
  }

  ir::WindowGeometry g_;
  std::int64_t out_size_ = 0;  // output values per sample
  std::unique_ptr<Kernel> matrix_;
};

// Proven exact in int16 operands and int32 sums (pmaddwd adds two products in 32 bits; -32768
// is excluded, so even the pair (-32768)^2 + (-32768)^2 cannot occur).
bool fits_madd(const std::optional<ProvenMagnitudes>& m) {
  return m && m->operand <= std::numeric_limits<std::int16_t>::max() &&
         m->sum <= std::numeric_limits<std::int32_t>::max();
}

class ConvMadd : public Kernel {
 public:
  ConvMadd(const ir::WindowGeometry& g, PreparedDense d, const ProvenMagnitudes& proven,
           MaddIsa isa)
      : g_(g), d_(std::move(d)), isa_(isa) {
    shift_ = d_.accum_t.frac() - d_.x_t.frac() - d_.w_t.frac();
    // Where every accumulator value casts to result_t exactly (a result type holding the exact
    // sum, as `result: auto` gives), the cast is a shift written straight to the output.
    i128 bias = 0;
    for (std::int64_t b : d_.bias_accum) bias = std::max<i128>(bias, b < 0 ? -i128{b} : i128{b});
    const i128 bound = proven.sum * (i128{1} << shift_) + bias;
    result_shift_ = exact_cast_shift(d_.accum_t.frac(), -bound, bound, d_.result_t);
    padded_w_ = g_.in_w + g_.pad_left + g_.pad_right;
    image_size_ = (g_.in_h + g_.pad_top + g_.pad_bottom) * padded_w_ * g_.channels;
    stride_ = (d_.n_out + kMaddLanes - 1) / kMaddLanes * kMaddLanes;
    // With dilation 1 a window row is one run of k_w * c values of the padded image.
    const bool row_runs = g_.dilation_w == 1;
    const std::int64_t run_positions = row_runs ? g_.k_w : 1;
    const std::int64_t run_length = run_positions * g_.channels;
    pairs_ = (run_length + 1) / 2;
    for (std::int64_t kh = 0; kh < g_.k_h; ++kh) {
      for (std::int64_t kw = 0; kw < g_.k_w; kw += run_positions) {
        runs_.push_back((kh * g_.dilation_h * padded_w_ + kw * g_.dilation_w) * g_.channels);
      }
    }
    for (std::int64_t oh = 0; oh < g_.out_h; ++oh) {
      for (std::int64_t ow = 0; ow < g_.out_w; ++ow) {
        positions_.push_back((oh * g_.stride_h * padded_w_ + ow * g_.stride_w) * g_.channels);
      }
    }
    // Pair q of run s holds run values 2q and 2q+1: window element (kh, kw, c) of the weight
    // matrix's row (kh * k_w + kw) * c_in + c; an odd run's last pair ends on a zero weight.
    const auto runs = static_cast<std::int64_t>(runs_.size());
    w_.assign(static_cast<std::size_t>(runs * pairs_ * stride_ * 2), 0);
    for (std::int64_t s = 0; s < runs; ++s) {
      const std::int64_t kh = s / (g_.k_w / run_positions);
      const std::int64_t kw0 = s % (g_.k_w / run_positions) * run_positions;
      for (std::int64_t v = 0; v < run_length; ++v) {
        const std::int64_t row =
            (kh * g_.k_w + kw0 + v / g_.channels) * g_.channels + v % g_.channels;
        const std::int64_t q = s * pairs_ + v / 2;
        for (std::int64_t j = 0; j < d_.n_out; ++j) {
          w_[static_cast<std::size_t>((q * stride_ + j) * 2 + v % 2)] =
              static_cast<std::int16_t>(d_.weight[row * d_.n_out + j]);
        }
      }
    }
  }

  void run(const KernelArgs& a) const override {
    const std::int64_t in_size = g_.in_h * g_.in_w * g_.channels;
    const std::int64_t out_size = g_.out_positions() * d_.n_out;
    std::vector<std::int16_t>& image = a.scratch->i16;
    // One value of slack: an odd run's last pair reads one value past the run.
    image.assign(static_cast<std::size_t>(image_size_ + 2), 0);
    std::vector<std::int32_t>& acc = a.scratch->i32;
    acc.resize(static_cast<std::size_t>(kChunk * stride_));
    std::vector<std::int64_t>& total = a.scratch->wide;
    total.resize(static_cast<std::size_t>(kChunk * d_.n_out));
    for (std::int64_t r = 0; r < a.rows; ++r) {
      narrow(a.inputs[0] + r * in_size, image.data());
      std::int64_t* out = a.output + r * out_size;
      for (std::int64_t p0 = 0; p0 < g_.out_positions(); p0 += kChunk) {
        const std::int64_t n = std::min(kChunk, g_.out_positions() - p0);
        madd_conv({.image = image.data(),
                   .weight = w_.data(),
                   .segment_offset = runs_.data(),
                   .segments = static_cast<std::int64_t>(runs_.size()),
                   .segment_pairs = pairs_,
                   .position_offset = positions_.data() + p0,
                   .positions = n,
                   .stride = stride_,
                   .acc = acc.data()},
                  isa_);
        if (result_shift_ >= 0) {
          finish(acc.data(), out + p0 * d_.n_out, n, result_shift_);
        } else {
          finish(acc.data(), total.data(), n, 0);
          a.counters->result_overflows +=
              d_.to_result.cast_array(total.data(), out + p0 * d_.n_out, n * d_.n_out);
        }
      }
    }
  }

  const char* variant() const override { return "fast-i16"; }

 private:
  // Positions per call of the hot loop: its sums and their int64 copies stay in the L1/L2 caches.
  static constexpr std::int64_t kChunk = 128;

  // The sample's codes into the interior of the padded image (the border stays zero: padding).
  void narrow(const std::int64_t* __restrict x, std::int16_t* __restrict image) const {
    const std::int64_t row = g_.in_w * g_.channels;
    for (std::int64_t h = 0; h < g_.in_h; ++h) {
      std::int16_t* dst = image + ((h + g_.pad_top) * padded_w_ + g_.pad_left) * g_.channels;
      const std::int64_t* src = x + h * row;
      for (std::int64_t k = 0; k < row; ++k) dst[k] = static_cast<std::int16_t>(src[k]);
    }
  }

  // Exact (the proof): the bias in accum_t plus the sum shifted into accum_t's units, then
  // shifted by `out_shift` (into result_t's units where that cast is exact).
  void finish(const std::int32_t* __restrict acc, std::int64_t* __restrict total, std::int64_t n,
              int out_shift) const {
    const std::int64_t* __restrict bias = d_.bias_accum.data();
    for (std::int64_t p = 0; p < n; ++p) {
      for (std::int64_t j = 0; j < d_.n_out; ++j) {
        total[p * d_.n_out + j] =
            (bias[j] + (static_cast<std::int64_t>(acc[p * stride_ + j]) << shift_)) << out_shift;
      }
    }
  }

  ir::WindowGeometry g_;
  PreparedDense d_;
  MaddIsa isa_;
  int shift_ = 0;
  int result_shift_ = -1;  // >= 0: the cast to result_t is this exact left shift
  std::int64_t padded_w_ = 0, image_size_ = 0, stride_ = 0, pairs_ = 0;
  std::vector<std::int64_t> runs_;       // each run's offset from a position's own
  std::vector<std::int64_t> positions_;  // each output position's offset in the padded image
  std::vector<std::int16_t> w_;          // [runs * pairs][stride][2] (conv_madd.hpp)
};

std::unique_ptr<Kernel> make(const ir::Node& node, const std::vector<const ir::Node*>& inputs,
                             bool general) {
  const ir::ConvGeometry g = ir::conv_geometry(node);
  PreparedDense d = prepare_dense(node, inputs);
  const std::optional<ProvenMagnitudes> proven = proven_magnitudes(d);
  if (!general && fits_madd(proven)) {
    return std::make_unique<ConvMadd>(g.window, std::move(d), *proven, MaddIsa::kBest);
  }
  return std::make_unique<Conv>(g, make_matrix_kernel(std::move(d), general));
}

}  // namespace

std::unique_ptr<Kernel> make_conv_kernel(const ir::Node& node,
                                         const std::vector<const ir::Node*>& inputs) {
  return make(node, inputs, false);
}

std::unique_ptr<Kernel> make_conv_kernel_general(const ir::Node& node,
                                                 const std::vector<const ir::Node*>& inputs) {
  return make(node, inputs, true);
}

}  // namespace nnfpga::emulate
