// Flatten and Reshape move no values: the mantissas are copied in row-major order. A configured
// result type that differs from the input's is honoured with a cast. A Quantize with one type is
// that cast alone (quantize.cpp).
#include <algorithm>

#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"

namespace nnfpga::emulate {
namespace {

class Reshape : public Kernel {
 public:
  Reshape(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)) {
    const fixed::FixedType& x_t = producer_type(producer);
    const fixed::FixedType& result_t =
        node.types.count("result") ? checked_type(node, "result") : x_t;
    copy_ = result_t == x_t;
    cast_ = Caster(x_t.frac(), result_t);
  }

  void run(const KernelArgs& a) const override {
    const std::int64_t n = a.rows * size_;
    if (copy_) {
      std::copy(a.inputs[0], a.inputs[0] + n, a.output);
      return;
    }
    std::int64_t overflows = 0;
    for (std::int64_t k = 0; k < n; ++k) {
      const fixed::CastResult c = cast_(a.inputs[0][k]);
      a.output[k] = c.mantissa;
      overflows += c.overflowed;
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  bool copy_ = true;
  Caster cast_;
};

}  // namespace

std::unique_ptr<Kernel> make_reshape_kernel(const ir::Node& node,
                                            const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Reshape>(node, *inputs.at(0));
}

}  // namespace nnfpga::emulate
