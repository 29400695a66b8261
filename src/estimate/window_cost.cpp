// The window ops (convolutions, pools) and the moves of positions (padding, cropping, upsampling,
// transpose). A convolution is a Dense over its window (docs/estimates.md): the same multiplier,
// adder and DSP/LUT rules per output position. Streaming, one position at a time, the window
// comes from a line buffer of (K_h - 1) rows; io_parallel computes `ParallelizationFactor`
// positions at once from registers.
#include <algorithm>

#include "estimate/cost.hpp"
#include "estimate/delay_model.hpp"
#include "ir/geometry.hpp"
#include "ir/layout.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::estimate {
namespace {

std::int64_t window_ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

std::int64_t nonzero_window_weights(const ir::Node& node) {
  std::int64_t n = 0;
  for (std::int64_t m : node.qparam("weight").mantissa) n += m != 0 ? 1 : 0;
  return n;
}

// The streaming line buffer of a window: K_h - 1 rows of in_w positions of C values (each row one
// buffer, bound as FIFOs are), and the K_h x K_w x C window registers.
void add_line_buffer(LayerEstimate& e, const ir::WindowGeometry& g, int x_bits) {
  if (g.k_h > 1) {
    const BufferStorage row = buffer_storage(g.in_w, g.channels * x_bits);
    e.lut += (g.k_h - 1) * row.lut;
    e.bram18 += (g.k_h - 1) * row.bram18;
  }
  e.ff += g.window() * g.channels * x_bits;
}

// The window of a layer that conv_cost or pool_cost costs; any other family is a bug.
ir::WindowGeometry window_of(const ir::Node& node) {
  switch (ir::op_family(node.op)) {
    case ir::OpFamily::kConvolution:
      return ir::conv_geometry(node).window;
    case ir::OpFamily::kDepthwise:
      return ir::depthwise_geometry(node).window;
    case ir::OpFamily::kPool:
      return ir::pool_geometry(node);
    case ir::OpFamily::kNotComputed:
    case ir::OpFamily::kPerPosition:
    case ir::OpFamily::kRelayout:
    case ir::OpFamily::kRegroup:
    case ir::OpFamily::kTranspose:
    case ir::OpFamily::kElementwiseMerge:
    case ir::OpFamily::kConcatenate:
      break;
  }
  throw Error(ErrorKind::kInternal, "no sliding window", {.node = node.name});
}

}  // namespace

LayerEstimate conv_cost(const CostInput& in) {
  const ir::Node& node = in.node;
  LayerEstimate e;
  const ir::DenseGeometry g = ir::weighted_sum_geometry(node);
  const std::int64_t rf = in.layer.reuse_factor;
  const int x_bits = in.input_type(0).width;
  const int w_bits = node.type("weight").width;
  const int acc_bits = node.type("accum").width;
  const int y_bits = node.type("result").width;
  const bool resource = in.layer.strategy == ir::Strategy::kResource;
  const std::int64_t products = resource ? g.products() : plan::dense_real_products(node);
  const std::int64_t additions = resource ? g.products() : nonzero_window_weights(node);
  // Positions computed at once: one streaming, the parallelization factor in io_parallel.
  const std::int64_t copies = in.streaming ? 1 : node.settings.parallelization_factor;
  // Latency: the plan's multiplier limit where it sets one (a dataflow plan does), as for Dense.
  const std::int64_t shared = resource || in.layer.multiplier_limit == 0
                                  ? std::max<std::int64_t>(1, window_ceil_div(products, rf))
                                  : in.layer.multiplier_limit;
  e.multipliers = copies * (products == 0 ? 0 : shared);
  e.adders = copies * window_ceil_div(additions, rf);
  const bool dsp = uses_dsp(x_bits, w_bits);
  if (dsp) {
    e.dsp = e.multipliers * dsp_per_product(in.family, x_bits, w_bits);
  } else {
    e.lut_multipliers = e.multipliers;
    e.lut = e.multipliers * lut_per_product(x_bits, w_bits);
  }
  // The adders' carry chains, one LUT per accumulator bit: counted here because a CNN's adders
  // weigh as much as its multipliers when the part's capacity is the question.
  e.lut += e.adders * acc_bits;
  e.ff = e.multipliers * (x_bits + w_bits) + e.adders * acc_bits + copies * g.n_out * y_bits;
  const double multiply = dsp ? dsp_multiply_ns(in.family) : lut_multiply_ns(w_bits);
  const std::int64_t terms = resource ? window_ceil_div(g.n_in, rf) : g.n_in;
  const double path = multiply + tree_depth(terms + 1) * add_ns(acc_bits);
  const std::int64_t per_position = stages(path, in.clock_period_ns) + 1 + (rf - 1);
  e.latency_cycles =
      in.streaming ? per_position : window_ceil_div(g.positions, copies) * per_position;
  if (resource && rf >= 32) {
    const std::int64_t word_bits = window_ceil_div(g.products(), rf) * w_bits;
    e.bram18 =
        std::max(window_ceil_div(g.products() * w_bits, 18432), window_ceil_div(word_bits, 36));
  }
  if (in.streaming) add_line_buffer(e, window_of(node), x_bits);
  return e;
}

// A comparison tree (max) or an adder tree (average) over the window, per channel.
LayerEstimate pool_cost(const CostInput& in) {
  const ir::Node& node = in.node;
  LayerEstimate e;
  const ir::WindowGeometry g = ir::pool_geometry(node);
  const int x_bits = in.input_type(0).width;
  const int y_bits = node.type("result").width;
  const bool average =
      node.op == ir::OpKind::kAveragePool1D || node.op == ir::OpKind::kAveragePool2D ||
      node.op == ir::OpKind::kGlobalAveragePool1D || node.op == ir::OpKind::kGlobalAveragePool2D;
  // Streaming, a global pool folds one position a cycle into C running values.
  const bool global = !g.keeps_positions;
  const std::int64_t terms = global && in.streaming ? 1 : g.window() - 1;
  const std::int64_t positions = in.streaming || global ? 1 : g.out_positions();
  const std::int64_t ops = positions * g.channels * std::max<std::int64_t>(terms, 1);
  const int sum_bits = x_bits + tree_depth(g.window());
  if (average) {
    e.adders = ops;
    e.lut = ops * sum_bits;
  } else {
    e.lut = ops * ((x_bits + 1) / 2 + x_bits);  // a comparator and a mux
  }
  e.ff = positions * g.channels * (average ? sum_bits : x_bits) + g.channels * y_bits;
  e.latency_cycles = 1 + stages(tree_depth(g.window()) * add_ns(sum_bits), in.clock_period_ns);
  if (in.streaming && !global) add_line_buffer(e, g, x_bits);
  return e;
}

// Padding and cropping are a mux per output value; upsampling holds one input row; a transpose
// the whole tensor.
LayerEstimate relayout_cost(const CostInput& in) {
  const ir::Node& node = in.node;
  LayerEstimate e;
  const int x_bits = in.input_type(0).width;
  const int y_bits = node.type("result").width;
  const std::int64_t values =
      in.streaming ? ir::channels(node.output_shape) : ir::element_count(node.output_shape);
  e.lut = values * y_bits;
  e.ff = values * y_bits;
  e.latency_cycles = 1;
  if (!in.streaming) return e;
  const ir::Shape& input = node.input_shapes.at(0);
  if (node.op == ir::OpKind::kTranspose) {
    const BufferStorage all = buffer_storage(ir::positions(input), ir::channels(input) * x_bits);
    e.lut += all.lut;
    e.bram18 += all.bram18;
  } else if (node.op == ir::OpKind::kUpSampling1D || node.op == ir::OpKind::kUpSampling2D) {
    const ir::RelayoutGeometry g = ir::relayout_geometry(node);
    const BufferStorage row = buffer_storage(g.in_w, g.channels * x_bits);
    e.lut += row.lut;
    e.bram18 += row.bram18;
  }
  return e;
}

}  // namespace nnfpga::estimate
