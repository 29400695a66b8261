// Conv1D, Conv2D: each output position's window is gathered (im2col: [k_h][k_w][c_in], padding as
// zero codes) and multiplied by the weight matrix [k_h*k_w*c_in][F] through Dense's own kernels,
// so the accumulator rule, the overflow counting and the fast path's register tiling and proof
// are Dense's (docs/layers.md: a padded window element adds a zero product, which no cast
// changes, so the accumulation order over the whole window is Dense's input order).
#include <algorithm>

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

std::unique_ptr<Kernel> make(const ir::Node& node, const std::vector<const ir::Node*>& inputs,
                             bool general) {
  return std::make_unique<Conv>(ir::conv_geometry(node),
                                make_matrix_kernel(prepare_dense(node, inputs), general));
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
