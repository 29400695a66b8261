// Quantize: the cast of its input to the result type (the reshape kernel's cast), or, with
// per-element types (ir/element_types.hpp), each element cast to its own type first and then
// into the result type, which holds them all exactly when it is inferred (docs/layers.md).
#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "ir/element_types.hpp"

namespace nnfpga::emulate {
namespace {

class QuantizePerElement : public Kernel {
 public:
  QuantizePerElement(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)) {
    const int x_frac = producer_type(producer).frac();
    const fixed::FixedType& result = checked_type(node, "result");
    for (const std::optional<fixed::FixedType>& t : ir::element_types(node)) {
      // A zeroed element: cast nothing, hold 0.
      to_element_.push_back(t ? Caster(x_frac, *t) : Caster());
      to_result_.push_back(t ? Caster(t->frac(), result) : Caster());
      zeroed_.push_back(!t);
    }
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    for (std::int64_t r = 0; r < a.rows; ++r) {
      const std::int64_t* x = a.inputs[0] + r * size_;
      std::int64_t* y = a.output + r * size_;
      for (std::int64_t k = 0; k < size_; ++k) {
        const auto e = static_cast<std::size_t>(k);
        if (zeroed_[e]) {
          y[k] = 0;
          continue;
        }
        const fixed::CastResult q = to_element_[e](x[k]);
        const fixed::CastResult c = to_result_[e](q.mantissa);
        y[k] = c.mantissa;
        overflows += q.overflowed || c.overflowed;
      }
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  std::vector<Caster> to_element_, to_result_;
  std::vector<bool> zeroed_;
};

}  // namespace

std::unique_ptr<Kernel> make_quantize_kernel(const ir::Node& node,
                                             const std::vector<const ir::Node*>& inputs) {
  if (!node.attrs.has(ir::kElementTypes)) return make_reshape_kernel(node, inputs);
  return std::make_unique<QuantizePerElement>(node, *inputs.at(0));
}

}  // namespace nnfpga::emulate
