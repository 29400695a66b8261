// The sliding-window layers: Conv1D/2D and DepthwiseConv1D/2D (hlslib/nnfpga/conv.h under
// io_parallel, conv_stream.h's line buffer under io_stream), MaxPool/AveragePool 1-D/2-D and the
// global pools. Every one writes window.h's geometry members; the per-pixel product is Dense's
// (reuse factor, multiplier limit, strategy from the plan).
#include <algorithm>

#include "backend/hls/config_struct.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/library_call.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

void window_members(ConfigStruct& c, const ir::WindowGeometry& g) {
  c.int_constant("in_h", g.in_h)
      .int_constant("in_w", g.in_w)
      .int_constant("n_chan", g.channels)
      .int_constant("k_h", g.k_h)
      .int_constant("k_w", g.k_w)
      .int_constant("stride_h", g.stride_h)
      .int_constant("stride_w", g.stride_w)
      .int_constant("dilation_h", g.dilation_h)
      .int_constant("dilation_w", g.dilation_w)
      .int_constant("pad_top", g.pad_top)
      .int_constant("pad_left", g.pad_left)
      .int_constant("out_h", g.out_h)
      .int_constant("out_w", g.out_w);
}

// Output positions computed side by side under io_parallel: the configured factor, which divides
// the positions (config/ checks it), and 1 under io_stream, where one position follows another.
std::int64_t parallel_positions(const LayerInput& in, const ir::WindowGeometry& g) {
  if (in.stream) return 1;
  const std::int64_t pf = in.node.settings.parallelization_factor;
  if (pf < 1 || g.out_positions() % pf != 0) {
    throw Error(ErrorKind::kConfig,
                "ParallelizationFactor " + std::to_string(pf) + " does not divide the " +
                    std::to_string(g.out_positions()) + " output positions",
                {.node = in.node.name});
  }
  return pf;
}

// Multipliers left after sharing: the plan's limit, or the products that need a multiplier (a
// weight neither 0 nor +-2^k, as for Dense) over the reuse factor.
std::int64_t multiplier_limit(const LayerInput& in) {
  if (in.plan.multiplier_limit > 0) return in.plan.multiplier_limit;
  std::int64_t real = 0;
  for (std::int64_t m : in.node.qparam("weight").mantissa) {
    const std::uint64_t u = m < 0 ? -static_cast<std::uint64_t>(m) : static_cast<std::uint64_t>(m);
    real += u != 0 && (u & (u - 1)) != 0;
  }
  const std::int64_t rf = std::max(1, in.plan.reuse_factor);
  return std::max<std::int64_t>(1, (real + rf - 1) / rf);
}

// Dense's members of the per-pixel product; `strategy` false for depthwise, whose one loop serves
// both strategies (reuse factor 1 unrolls it completely).
void product_members(ConfigStruct& c, const LayerInput& in, const ir::DenseGeometry& m,
                     const fixed::FixedType& bias_t, bool strategy) {
  const ir::Node& node = in.node;
  if (m.products() % std::max(1, in.plan.reuse_factor) != 0) {
    throw Error(ErrorKind::kConfig,
                "ReuseFactor " + std::to_string(in.plan.reuse_factor) + " does not divide the " +
                    std::to_string(m.products()) + " products of one output position",
                {.node = node.name});
  }
  c.int_constant("reuse_factor", in.plan.reuse_factor)
      .int_constant("multiplier_limit", multiplier_limit(in));
  if (strategy) c.bool_constant("resource", in.plan.strategy == ir::Strategy::kResource);
  c.type("weight_t", type_spelling(node.type("weight")))
      .type("bias_t", type_spelling(bias_t))
      .type("accum_t", type_spelling(node.type("accum")));
}

// The weight and the bias (zeros when the layer has none, so the library has one code path).
std::pair<std::string, std::string> weight_and_bias(const LayerInput& in, std::int64_t n_bias,
                                                    LayerCode& code) {
  const ir::Node& node = in.node;
  const std::string w = constant_array(in, "w", node.qparam("weight"), code.constants);
  if (node.qparams.count("bias")) {
    return {w, constant_array(in, "b", node.qparam("bias"), code.constants)};
  }
  const ir::QuantizedTensor zeros{node.type("bias"), std::vector<std::int64_t>(n_bias, 0), 0};
  return {w, constant_array(in, "b", zeros, code.constants)};
}

// What the average pools add: the exact window sum's type, accum_t and the quotient's shift
// (window.h's exact_mean, the emulator's rule).
void average_members(ConfigStruct& c, const LayerInput& in, std::int64_t window) {
  const ir::Node& node = in.node;
  const fixed::FixedType& x_t = in.graph.at(node.inputs.at(0)).type("result");
  const fixed::FixedType& accum_t = node.type("accum");
  const fixed::FixedType& result_t = node.type("result");
  int grow = 0;
  while ((std::int64_t{1} << grow) < window) ++grow;
  const fixed::FixedType sum_t =
      fixed::make_fixed(x_t.width + grow, x_t.integer + grow, x_t.is_signed);
  const int shift = std::max(0, result_t.frac() + 1 - accum_t.frac());
  if (accum_t.frac() < 0 || accum_t.width + shift + 2 > 62 || sum_t.width > 64) {
    throw Error(ErrorKind::kUnsupported,
                "the HLS average pool divides accum_t's mantissa in 64 bits: accum_t " +
                    fixed::to_string(accum_t) + " with result_t " + fixed::to_string(result_t) +
                    " needs " + std::to_string(accum_t.width + shift + 2) +
                    " bits (at most 62) and no negative fraction; narrow accum_t or result_t",
                {.node = node.name});
  }
  c.type("sum_t", type_spelling(sum_t))
      .type("accum_t", type_spelling(accum_t))
      .int_constant("accum_width", accum_t.width)
      .int_constant("accum_frac", accum_t.frac())
      .int_constant("mean_shift", shift);
}

LayerCode window_call(const LayerInput& in, const std::string& function, const std::string& cfg,
                      std::vector<std::string> constants, LayerCode code) {
  const TensorRef& x = in.inputs.at(0);
  std::vector<std::string> args = {x.var, in.output.var};
  args.insert(args.end(), constants.begin(), constants.end());
  code.call = library_call(in.stream ? function + "_stream" : function,
                           {x.type, in.output.type, cfg}, args);
  return code;
}

}  // namespace

LayerCode emit_conv(const LayerInput& in) {
  const ir::Node& node = in.node;
  const bool depthwise =
      node.op == ir::OpKind::kDepthwiseConv1D || node.op == ir::OpKind::kDepthwiseConv2D;
  LayerCode code;
  const std::string cfg = config_name(in);
  ConfigStruct c(cfg);
  ir::WindowGeometry g;
  ir::DenseGeometry m;
  std::int64_t n_out = 0;
  if (depthwise) {
    const ir::DepthwiseGeometry d = ir::depthwise_geometry(node);
    g = d.window;
    m = d.matrix();
    n_out = d.out_channels();
    window_members(c, g);
    c.int_constant("n_mult", d.multiplier);
  } else {
    const ir::ConvGeometry cg = ir::conv_geometry(node);
    g = cg.window;
    m = cg.matrix();
    n_out = cg.filters;
    window_members(c, g);
    c.int_constant("n_in", m.n_in).int_constant("n_out", m.n_out);
  }
  if (!in.stream) c.int_constant("parallelization_factor", parallel_positions(in, g));
  const auto [w, b] = weight_and_bias(in, n_out, code);
  product_members(c, in, m, node.type("bias"), !depthwise);
  code.config = c.text();
  return window_call(in, depthwise ? "depthwise_conv" : "conv", cfg, {w, b}, std::move(code));
}

LayerCode emit_pool(const LayerInput& in) {
  const ir::Node& node = in.node;
  const ir::WindowGeometry g = ir::pool_geometry(node);
  const bool average = ir::op_info(node.op).accum_rule == ir::AccumRule::kWindowSum;
  LayerCode code;
  const std::string cfg = config_name(in);
  ConfigStruct c(cfg);
  std::string function = average ? "average_pool" : "max_pool";
  if (!g.keeps_positions && in.stream) {
    // A global pool streams through no line buffer: it folds every beat into per-channel state.
    function = "global_" + function;
    c.int_constant("in_h", g.in_h).int_constant("in_w", g.in_w).int_constant("n_chan", g.channels);
  } else {
    window_members(c, g);
    if (in.stream) {
      c.int_constant("reuse_factor", 1);
    } else {
      c.int_constant("parallelization_factor", parallel_positions(in, g));
    }
    if (average) {
      c.bool_constant("count_include_pad", node.attrs.get_int_or("count_include_pad", 0) != 0);
    }
  }
  if (average) average_members(c, in, g.window());
  code.config = c.text();
  return window_call(in, function, cfg, {}, std::move(code));
}

LayerCode emit_relayout(const LayerInput& in) {
  const ir::RelayoutGeometry g = ir::relayout_geometry(in.node);
  LayerCode code;
  const std::string cfg = config_name(in);
  code.config = ConfigStruct(cfg)
                    .int_constant("in_h", g.in_h)
                    .int_constant("in_w", g.in_w)
                    .int_constant("n_chan", g.channels)
                    .int_constant("out_h", g.out_h)
                    .int_constant("out_w", g.out_w)
                    .int_constant("shift_h", g.shift_h)
                    .int_constant("shift_w", g.shift_w)
                    .int_constant("div_h", g.div_h)
                    .int_constant("div_w", g.div_w)
                    .text();
  return window_call(in, "relayout", cfg, {}, std::move(code));
}

}  // namespace nnfpga::backend::hls
