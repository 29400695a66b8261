// Merge layers (Add, Subtract, Average, Multiply, Maximum, Minimum) and the parametric
// activations PReLU and HardSigmoid: element-wise operators on the inputs, no memory.
// Concatenate is wiring only (free_cost).
#include "emulate/merge.hpp"
#include "estimate/cost.hpp"
#include "estimate/delay_model.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::estimate {
namespace {

// One product of a-bit by b-bit per element: DSPs when wide enough, LUTs otherwise.
void add_products(LayerEstimate& e, const CostInput& in, std::int64_t n, int a_bits, int b_bits) {
  e.multipliers += n;
  if (uses_dsp(a_bits, b_bits)) {
    e.dsp += n * dsp_per_product(in.family, a_bits, b_bits);
  } else {
    e.lut_multipliers += n;
    e.lut += n * lut_per_product(a_bits, b_bits);
  }
}

double multiply_ns(const CostInput& in, int a_bits, int b_bits) {
  return uses_dsp(a_bits, b_bits) ? dsp_multiply_ns(in.family) : lut_multiply_ns(b_bits);
}

}  // namespace

// The firmware folds the inputs left to right through exact intermediate types: k - 1 operators
// per element, in a chain of k - 1 steps.
LayerEstimate merge_cost(const CostInput& in) {
  LayerEstimate e;
  const std::int64_t n = ir::element_count(in.node.output_shape);
  std::vector<fixed::FixedType> types;
  for (std::size_t i = 0; i < in.node.inputs.size(); ++i) types.push_back(in.input_type(i));
  const std::vector<fixed::FixedType> chain = emulate::merge_chain_types(in.node.op, types);
  double ns = 0;
  for (std::size_t s = 0; s < chain.size(); ++s) {
    const fixed::FixedType& acc = s == 0 ? types[0] : chain[s - 1];
    const int a_bits = acc.width;
    const int b_bits = types[s + 1].width;
    switch (ir::merge_op(in.node.op)) {
      case ir::MergeOp::kMultiply:
        add_products(e, in, n, a_bits, b_bits);
        ns += multiply_ns(in, a_bits, b_bits);
        break;
      case ir::MergeOp::kMaximum:
      case ir::MergeOp::kMinimum:
        // A comparator (a subtraction's carry chain) and a mux per bit.
        e.lut += n * ((chain[s].width + 1) / 2 + chain[s].width);
        ns += add_ns(chain[s].width) + 0.3;
        break;
      case ir::MergeOp::kAdd:
      case ir::MergeOp::kSubtract:
      case ir::MergeOp::kAverage:
        e.adders += n;
        e.lut += n * chain[s].width;
        ns += add_ns(chain[s].width);
        break;
      case ir::MergeOp::kNone:
        throw Error(ErrorKind::kInternal, "not a merge op", {.node = in.node.name});
    }
  }
  e.latency_cycles = stages(ns, in.clock_period_ns);
  return e;
}

// A sign test, the product alpha * x and a mux per element.
LayerEstimate prelu_cost(const CostInput& in) {
  LayerEstimate e;
  const std::int64_t n = ir::element_count(in.node.output_shape);
  const int x_bits = in.input_type(0).width;
  const int a_bits = in.node.qparam("alpha").type.width;
  add_products(e, in, n, x_bits, a_bits);
  e.lut += n * in.node.type("result").width;
  e.latency_cycles = stages(multiply_ns(in, x_bits, a_bits), in.clock_period_ns);
  return e;
}

// slope * x + offset, two bound tests and a mux per element.
LayerEstimate hard_sigmoid_cost(const CostInput& in) {
  LayerEstimate e;
  const std::int64_t n = ir::element_count(in.node.output_shape);
  const int x_bits = in.input_type(0).width;
  const int p_bits = in.node.qparam("slope").type.width;
  add_products(e, in, n, x_bits, p_bits);
  e.adders = n;
  const int v_bits = x_bits + p_bits + 1;
  e.lut += n * (v_bits + in.node.type("result").width);
  e.latency_cycles =
      stages(multiply_ns(in, x_bits, p_bits) + 2 * add_ns(v_bits), in.clock_period_ns);
  return e;
}

}  // namespace nnfpga::estimate
