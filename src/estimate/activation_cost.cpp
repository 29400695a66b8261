// Element-wise and table layers: the ReLU family, sigmoid/tanh, softmax, batch normalization,
// and the layers that are only wiring.
#include "emulate/lookup_table.hpp"
#include "estimate/cost.hpp"
#include "estimate/delay_model.hpp"
#include "ir/element_types.hpp"
#include "ir/layout.hpp"

namespace nnfpga::estimate {

LayerEstimate free_cost(const CostInput&) {
  return {};
}

// A cast: wiring when it only drops or adds bits; otherwise a rounding increment and a saturation
// mux per output bit, merged into the next register stage.
static std::int64_t cast_lut(const fixed::FixedType& x, const fixed::FixedType& y) {
  const bool rounds = y.frac() < x.frac() && y.quant != fixed::Quantization::kTrn;
  const bool saturates = (y.integer < x.integer || (x.is_signed && !y.is_signed)) &&
                         y.overflow != fixed::Overflow::kWrap;
  return (rounds ? y.width : 0) + (saturates ? y.width : 0);
}

LayerEstimate quantize_cost(const CostInput& in) {
  LayerEstimate e;
  const fixed::FixedType& x = in.input_type(0);
  const std::vector<std::optional<fixed::FixedType>> types = ir::element_types(in.node);
  if (types.empty()) {
    e.lut = ir::element_count(in.node.output_shape) * cast_lut(x, in.node.type("result"));
  }
  for (const std::optional<fixed::FixedType>& t : types) e.lut += t ? cast_lut(x, *t) : 0;
  return e;
}

// A comparator per threshold (about one LUT per two input bits, as the ReLU family's sign test)
// and a mux of the values per output bit; merged into the next register stage.
LayerEstimate threshold_cost(const CostInput& in) {
  LayerEstimate e;
  const std::int64_t n = ir::element_count(in.node.output_shape);
  const auto thresholds = static_cast<std::int64_t>(in.node.attrs.get_floats("thresholds").size());
  e.lut = n * (thresholds * ((in.input_type(0).width + 1) / 2) +
               thresholds * in.node.type("result").width);
  return e;
}

// A mux per output bit after a sign or bound test: merged into the next register stage.
LayerEstimate relu_family_cost(const CostInput& in) {
  LayerEstimate e;
  const std::int64_t n = ir::element_count(in.node.output_shape);
  const int comparisons = in.node.op == ir::OpKind::kClip ? 2 : 1;
  e.lut = n * (comparisons * (in.input_type(0).width + 1) / 2 + in.node.type("result").width);
  if (in.node.op == ir::OpKind::kLeakyRelu) {
    e.multipliers = e.lut_multipliers = n;
    e.lut += n * lut_per_product(in.input_type(0).width, in.node.qparam("alpha").type.width);
    e.latency_cycles = 1;
  }
  return e;
}

// One registered ROM read per element.
LayerEstimate table_function_cost(const CostInput& in) {
  LayerEstimate e;
  const std::int64_t n = ir::element_count(in.node.output_shape);
  const Storage s = rom(emulate::checked_table_size(in.node), in.node.type("table").width, n);
  e.bram18 = s.bram18;
  e.lut = s.lut;
  e.latency_cycles = 1;
  return e;
}

// Max tree, exponent ROM, sum tree, reciprocal ROM, then one product per element.
LayerEstimate softmax_cost(const CostInput& in) {
  LayerEstimate e;
  const std::int64_t axis = in.node.output_shape.back();
  const std::int64_t positions = ir::positions(in.node.output_shape);
  const std::int64_t size = emulate::checked_table_size(in.node);
  const int x_bits = in.input_type(0).width;
  const int t_bits = in.node.type("table").width;
  const int acc_bits = in.node.type("accum").width;
  const Storage exp = rom(size, t_bits, axis);
  const Storage recip = rom(size, t_bits, 1);
  e.bram18 = positions * (exp.bram18 + recip.bram18);
  e.lut = positions * (exp.lut + recip.lut + (axis - 1) * x_bits);  // comparators of the max tree
  e.adders = positions * ((axis - 1) + axis);                       // the sum, and the differences
  e.multipliers = positions * axis;
  const bool dsp = uses_dsp(t_bits, t_bits);
  if (dsp) {
    e.dsp = e.multipliers * dsp_per_product(in.family, t_bits, t_bits);
  } else {
    e.lut_multipliers = e.multipliers;
    e.lut += e.multipliers * lut_per_product(t_bits, t_bits);
  }
  const double period = in.clock_period_ns;
  const int depth = tree_depth(axis);
  const double multiply = dsp ? dsp_multiply_ns(in.family) : lut_multiply_ns(t_bits);
  e.latency_cycles =
      positions * (stages(depth * add_ns(x_bits) + add_ns(x_bits), period) + 1 +
                   stages(depth * add_ns(acc_bits), period) + 1 + stages(multiply, period));
  return e;
}

// x * scale + bias per element, scale a constant.
LayerEstimate batchnorm_cost(const CostInput& in) {
  LayerEstimate e;
  const std::int64_t n = ir::element_count(in.node.output_shape);
  const int x_bits = in.input_type(0).width;
  const int s_bits = in.node.qparam("scale").type.width;
  e.multipliers = n;
  e.adders = n;
  const bool dsp = uses_dsp(x_bits, s_bits);
  if (dsp) {
    e.dsp = n * dsp_per_product(in.family, x_bits, s_bits);
  } else {
    e.lut_multipliers = n;
    e.lut = n * lut_per_product(x_bits, s_bits);
  }
  const double multiply = dsp ? dsp_multiply_ns(in.family) : lut_multiply_ns(s_bits);
  e.latency_cycles =
      stages(multiply + add_ns(in.node.type("result").width + 2), in.clock_period_ns);
  return e;
}

}  // namespace nnfpga::estimate
