// ZeroPadding, Cropping, UpSampling (1-D, 2-D): each output position copies the input position
// ir::RelayoutGeometry maps it to, its channels cast to result_t (the input's type unless one is
// configured), or writes zeros (docs/layers.md). Transpose moves single values the same way.
#include <algorithm>

#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "ir/geometry.hpp"

namespace nnfpga::emulate {
namespace {

class Relayout : public Kernel {
 public:
  Relayout(const ir::RelayoutGeometry& g, const Caster& to_result) : g_(g), to_result_(to_result) {}

  void run(const KernelArgs& a) const override {
    const std::int64_t c = g_.channels, in_size = g_.in_h * g_.in_w * c;
    std::int64_t* y = a.output;
    for (std::int64_t r = 0; r < a.rows; ++r) {
      const std::int64_t* x = a.inputs[0] + r * in_size;
      for (std::int64_t oh = 0; oh < g_.out_h; ++oh) {
        for (std::int64_t ow = 0; ow < g_.out_w; ++ow, y += c) {
          const std::int64_t p = g_.input_position(oh, ow);
          if (p < 0) {
            std::fill(y, y + c, 0);  // zero is a code of every type: no cast can change it
          } else {
            a.counters->result_overflows += to_result_.cast_array(x + p * c, y, c);
          }
        }
      }
    }
  }

 private:
  ir::RelayoutGeometry g_;
  Caster to_result_;
};

// Transpose: output element k copies input element ir::TransposeGeometry::input_index(k), cast
// to result_t; the index table is computed once per layer.
class Transpose : public Kernel {
 public:
  Transpose(const ir::TransposeGeometry& g, const Caster& to_result) : to_result_(to_result) {
    size_ = ir::element_count(g.output);
    index_.resize(static_cast<std::size_t>(size_));
    for (std::int64_t k = 0; k < size_; ++k) index_[static_cast<std::size_t>(k)] = g.input_index(k);
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    for (std::int64_t r = 0; r < a.rows; ++r) {
      const std::int64_t* x = a.inputs[0] + r * size_;
      std::int64_t* y = a.output + r * size_;
      for (std::int64_t k = 0; k < size_; ++k) {
        const fixed::CastResult c = to_result_(x[index_[static_cast<std::size_t>(k)]]);
        y[k] = c.mantissa;
        overflows += c.overflowed;
      }
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_ = 0;
  std::vector<std::int64_t> index_;
  Caster to_result_;
};

}  // namespace

std::unique_ptr<Kernel> make_transpose_kernel(const ir::Node& node,
                                              const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Transpose>(
      ir::transpose_geometry(node),
      Caster(producer_type(*inputs.at(0)).frac(), checked_type(node, "result")));
}

std::unique_ptr<Kernel> make_relayout_kernel(const ir::Node& node,
                                             const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Relayout>(
      ir::relayout_geometry(node),
      Caster(producer_type(*inputs.at(0)).frac(), checked_type(node, "result")));
}

}  // namespace nnfpga::emulate
