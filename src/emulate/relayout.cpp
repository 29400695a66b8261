// ZeroPadding, Cropping, UpSampling (1-D, 2-D): each output position copies the input position
// ir::RelayoutGeometry maps it to, its channels cast to result_t (the input's type unless one is
// configured), or writes zeros (docs/layers.md).
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

}  // namespace

std::unique_ptr<Kernel> make_relayout_kernel(const ir::Node& node,
                                             const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Relayout>(
      ir::relayout_geometry(node),
      Caster(producer_type(*inputs.at(0)).frac(), checked_type(node, "result")));
}

}  // namespace nnfpga::emulate
