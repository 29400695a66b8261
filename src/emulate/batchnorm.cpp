// BatchNormalization that was not folded away: y = cast(x * scale + bias, result_t) element-wise,
// the product and the sum exact (docs/layers.md).
#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

class BatchNorm : public Kernel {
 public:
  BatchNorm(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)),
        scale_(node.qparam("scale").mantissa),
        bias_(node.qparam("bias").mantissa),
        result_t_(checked_type(node, "result")) {
    const fixed::FixedType& x_t = producer_type(producer);
    const fixed::FixedType& scale_t = node.qparam("scale").type;
    const fixed::FixedType& bias_t = node.qparam("bias").type;
    if (static_cast<std::int64_t>(scale_.size()) != size_ ||
        static_cast<std::int64_t>(bias_.size()) != size_) {
      throw Error(ErrorKind::kInternal, "scale and bias must have the input's shape",
                  {.node = node.name});
    }
    const fixed::FixedType product_t = fixed::product_type(x_t, scale_t);
    require_exact_width(node, fixed::sum_type(product_t, bias_t).width, "x*scale + bias");
    frac_ = std::max(product_t.frac(), bias_t.frac());
    product_shift_ = frac_ - product_t.frac();
    bias_shift_ = frac_ - bias_t.frac();
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    const std::int64_t* x = a.inputs[0];
    for (std::int64_t r = 0; r < a.rows; ++r) {
      for (std::int64_t k = 0; k < size_; ++k) {
        const std::int64_t at = r * size_ + k;
        const i128 value =
            ((i128{x[at]} * scale_[k]) << product_shift_) + (i128{bias_[k]} << bias_shift_);
        const fixed::CastResult c = fixed::cast(value, frac_, result_t_);
        a.output[at] = c.mantissa;
        overflows += c.overflowed;
      }
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  std::vector<std::int64_t> scale_;
  std::vector<std::int64_t> bias_;
  fixed::FixedType result_t_;
  int frac_ = 0;
  int product_shift_ = 0;
  int bias_shift_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> make_batchnorm_kernel(const ir::Node& node,
                                              const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<BatchNorm>(node, *inputs.at(0));
}

}  // namespace nnfpga::emulate
