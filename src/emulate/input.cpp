// Input: each float value is cast into the Input node's result type, exactly as
// fixed::cast_double (through its fast equivalent, fixed::FastDoubleCast).
#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "fixed/fast_double.hpp"

namespace nnfpga::emulate {
namespace {

class Input : public Kernel {
 public:
  explicit Input(const ir::Node& node)
      : size_(ir::element_count(node.output_shape)), cast_(checked_type(node, "result")) {}

  // NaN and infinity were refused before the run (executor.cpp), with the input and row named.
  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    for (std::int64_t k = 0; k < a.rows * size_; ++k) {
      const fixed::CastResult c = cast_(a.raw[k]);
      a.output[k] = c.mantissa;
      overflows += c.overflowed;
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  fixed::FastDoubleCast cast_;
};

}  // namespace

std::unique_ptr<Kernel> make_input_kernel(const ir::Node& node,
                                          const std::vector<const ir::Node*>&) {
  return std::make_unique<Input>(node);
}

}  // namespace nnfpga::emulate
