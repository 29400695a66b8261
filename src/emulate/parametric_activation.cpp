// Activations with trained or configured parameters: PReLU (alpha per element) and HardSigmoid
// (slope and offset quantized into param_t). Each forms its exact value and casts it once to
// result_t (docs/layers.md).
#include <algorithm>

#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

// y = x >= 0 ? x : alpha[k] * x, the product exact.
class PRelu : public Kernel {
 public:
  PRelu(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)),
        alpha_(node.qparam("alpha").mantissa),
        product_frac_(producer_type(producer).frac() + node.qparam("alpha").type.frac()),
        result_t_(checked_type(node, "result")),
        cast_(producer_type(producer).frac(), result_t_) {
    if (static_cast<std::int64_t>(alpha_.size()) != size_) {
      throw Error(ErrorKind::kInternal, "alpha must have the input's shape", {.node = node.name});
    }
    require_exact_width(
        node, fixed::product_type(producer_type(producer), node.qparam("alpha").type).width,
        "product x*alpha");
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    const std::int64_t* x = a.inputs[0];
    for (std::int64_t r = 0; r < a.rows; ++r) {
      for (std::int64_t k = 0; k < size_; ++k) {
        const std::int64_t v = x[r * size_ + k];
        const fixed::CastResult c =
            v >= 0 ? cast_(v) : fixed::cast(i128{v} * alpha_[k], product_frac_, result_t_);
        a.output[r * size_ + k] = c.mantissa;
        overflows += c.overflowed;
      }
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  std::vector<std::int64_t> alpha_;
  int product_frac_;
  fixed::FixedType result_t_;
  Caster cast_;
};

// v = slope * x + offset exactly; y = 0 when v < 0, cast(1) when v > 1, else cast(v).
class HardSigmoid : public Kernel {
 public:
  HardSigmoid(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)), result_t_(checked_type(node, "result")) {
    const fixed::FixedType& x_t = producer_type(producer);
    const ir::QuantizedTensor& slope = node.qparam("slope");
    const ir::QuantizedTensor& offset = node.qparam("offset");
    if (slope.mantissa.size() != 1 || offset.mantissa.size() != 1) {
      throw Error(ErrorKind::kInternal, "slope and offset must be scalars", {.node = node.name});
    }
    const fixed::FixedType product_t = fixed::product_type(x_t, slope.type);
    // One fraction for the product, the offset and the bound 1 (so at least 0).
    frac_ = std::max({product_t.frac(), offset.type.frac(), 0});
    require_exact_width(node,
                        fixed::sum_type(product_t, offset.type).width +
                            (frac_ - std::max(product_t.frac(), offset.type.frac())),
                        "slope*x + offset");
    slope_ = i128{slope.mantissa[0]} << (frac_ - product_t.frac());
    offset_ = i128{offset.mantissa[0]} << (frac_ - offset.type.frac());
    one_ = i128{1} << frac_;
    cast_one_ = fixed::cast(1, 0, result_t_);
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    const std::int64_t* x = a.inputs[0];
    for (std::int64_t k = 0; k < a.rows * size_; ++k) {
      const i128 v = x[k] * slope_ + offset_;
      fixed::CastResult r{0, false};
      if (v > one_) {
        r = cast_one_;
      } else if (v > 0) {
        r = fixed::cast(v, frac_, result_t_);
      }
      a.output[k] = r.mantissa;
      overflows += r.overflowed;
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  fixed::FixedType result_t_;
  int frac_ = 0;
  i128 slope_ = 0;   // the slope mantissa, pre-shifted so that x * slope_ is at frac_
  i128 offset_ = 0;  // at frac_
  i128 one_ = 0;     // 1 at frac_
  fixed::CastResult cast_one_{0, false};
};

}  // namespace

std::unique_ptr<Kernel> make_prelu_kernel(const ir::Node& node,
                                          const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<PRelu>(node, *inputs.at(0));
}

std::unique_ptr<Kernel> make_hard_sigmoid_kernel(const ir::Node& node,
                                                 const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<HardSigmoid>(node, *inputs.at(0));
}

}  // namespace nnfpga::emulate
