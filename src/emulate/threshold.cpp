// Threshold: y = values[k], k = the number of thresholds x passes (docs/layers.md). Exact by
// construction: the thresholds become integer bounds on the input mantissas once
// (threshold_steps.cpp), and the values are constants of the result type.
#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "emulate/threshold_steps.hpp"

namespace nnfpga::emulate {
namespace {

class Threshold : public Kernel {
 public:
  Threshold(const ir::Node& node, const ir::Node& producer)
      : size_(ir::element_count(node.output_shape)),
        steps_(threshold_steps(node, producer_type(producer), checked_type(node, "result"))) {}

  void run(const KernelArgs& a) const override {
    const std::int64_t* x = a.inputs[0];
    for (std::int64_t k = 0; k < a.rows * size_; ++k) {
      std::int64_t passed = steps_.first;
      for (std::int64_t b : steps_.bounds) passed += x[k] >= b;
      a.output[k] = steps_.values[static_cast<std::size_t>(passed)];
    }
  }

 private:
  std::int64_t size_;
  ThresholdSteps steps_;
};

}  // namespace

std::unique_ptr<Kernel> make_threshold_kernel(const ir::Node& node,
                                              const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Threshold>(node, *inputs.at(0));
}

}  // namespace nnfpga::emulate
