// The ReLU family: ReLU, LeakyReLU and Clip. Each computes its exact value from the input
// mantissa and casts it once to result_t (docs/layers.md).
#include <algorithm>

#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

// The one-element mantissa of a scalar parameter.
std::int64_t scalar_qparam(const ir::Node& node, const std::string& key) {
  const ir::QuantizedTensor& q = node.qparam(key);
  if (q.mantissa.size() != 1) {
    throw Error(ErrorKind::kInternal, "parameter '" + key + "' must hold one value",
                {.node = node.name});
  }
  return q.mantissa[0];
}

// max(x, 0) << shift: branch-free, so g++ vectorizes it (64-bit compares need AVX2's vpcmpgtq,
// hence the clone).
__attribute__((target_clones("avx2", "default"))) void relu_shift(const std::int64_t* __restrict x,
                                                                  std::int64_t* __restrict y,
                                                                  std::int64_t n, int shift) {
  for (std::int64_t k = 0; k < n; ++k) y[k] = (x[k] > 0 ? x[k] : 0) << shift;
}

class Relu : public Kernel {
 public:
  Relu(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)),
        cast_(producer_type(producer).frac(), checked_type(node, "result")) {
    const fixed::FixedType& x_t = producer_type(producer);
    shift_ = exact_cast_shift(x_t.frac(), 0, fixed::max_mantissa(x_t), node.type("result"));
  }

  void run(const KernelArgs& a) const override {
    const std::int64_t* __restrict x = a.inputs[0];
    std::int64_t* __restrict y = a.output;
    const std::int64_t n = a.rows * size_;
    if (shift_ >= 0) {
      // Proven exact: the cast is a shift, and the loop vectorizes.
      relu_shift(x, y, n, shift_);
      return;
    }
    // max(x, 0) first (vectorizes), then the whole block through the array cast, which is
    // fixed::cast value for value (a rounding or saturating ReLU of a CNN casts 10^4 values per
    // image, too many for one call per value).
    for (std::int64_t k = 0; k < n; ++k) y[k] = x[k] > 0 ? x[k] : 0;
    a.counters->result_overflows += cast_.cast_array(y, y, n);
  }

  const char* variant() const override { return shift_ >= 0 ? "fast-shift" : "general"; }

 private:
  std::int64_t size_;
  Caster cast_;
  int shift_ = -1;
};

class LeakyRelu : public Kernel {
 public:
  LeakyRelu(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)),
        x_frac_(producer_type(producer).frac()),
        alpha_(scalar_qparam(node, "alpha")),
        product_frac_(x_frac_ + node.qparam("alpha").type.frac()),
        result_t_(checked_type(node, "result")),
        cast_(x_frac_, result_t_) {
    require_exact_width(
        node, fixed::product_type(producer_type(producer), node.qparam("alpha").type).width,
        "product x*alpha");
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    const std::int64_t* x = a.inputs[0];
    for (std::int64_t k = 0; k < a.rows * size_; ++k) {
      const fixed::CastResult r =
          x[k] >= 0 ? cast_(x[k]) : fixed::cast(i128{x[k]} * alpha_, product_frac_, result_t_);
      a.output[k] = r.mantissa;
      overflows += r.overflowed;
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  int x_frac_;
  std::int64_t alpha_;
  int product_frac_;
  fixed::FixedType result_t_;
  Caster cast_;
};

class Clip : public Kernel {
 public:
  Clip(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)),
        lo_(scalar_qparam(node, "min")),
        hi_(scalar_qparam(node, "max")),
        cast_(producer_type(producer).frac(), checked_type(node, "result")) {
    for (const char* key : {"min", "max"}) {
      if (node.qparam(key).type.frac() != producer_type(producer).frac()) {
        throw Error(ErrorKind::kInternal,
                    std::string("Clip's '") + key + "' must be quantized in the input's type",
                    {.node = node.name});
      }
    }
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    const std::int64_t* x = a.inputs[0];
    for (std::int64_t k = 0; k < a.rows * size_; ++k) {
      // min is applied first, then max, so min > max yields max everywhere (as ONNX Clip does).
      const fixed::CastResult r = cast_(std::min(std::max(x[k], lo_), hi_));
      a.output[k] = r.mantissa;
      overflows += r.overflowed;
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  std::int64_t lo_, hi_;
  Caster cast_;
};

}  // namespace

std::unique_ptr<Kernel> make_relu_kernel(const ir::Node& node,
                                         const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Relu>(node, *inputs.at(0));
}

std::unique_ptr<Kernel> make_leaky_relu_kernel(const ir::Node& node,
                                               const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<LeakyRelu>(node, *inputs.at(0));
}

std::unique_ptr<Kernel> make_clip_kernel(const ir::Node& node,
                                         const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Clip>(node, *inputs.at(0));
}

}  // namespace nnfpga::emulate
