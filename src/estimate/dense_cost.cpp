// Dense: multipliers, adders, memories and latency for the Latency and Resource strategies, at
// the reuse factor the plan chose (its interval, positions * reuse factor, is the plan's too).
#include "estimate/cost.hpp"
#include "estimate/delay_model.hpp"
#include "ir/geometry.hpp"

namespace nnfpga::estimate {
namespace {

std::int64_t nonzero_weights(const ir::Node& node) {
  std::int64_t n = 0;
  for (std::int64_t m : node.qparam("weight").mantissa) n += m != 0 ? 1 : 0;
  return n;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

LayerEstimate dense_cost(const CostInput& in) {
  const ir::Node& node = in.node;
  LayerEstimate e;
  const ir::DenseGeometry g = ir::dense_geometry(node);
  const std::int64_t n_in = g.n_in;
  const std::int64_t n_out = g.n_out;
  const std::int64_t positions = g.positions;
  const std::int64_t rf = in.layer.reuse_factor;
  const int x_bits = in.input_type(0).width;
  const int w_bits = node.type("weight").width;
  const int acc_bits = node.type("accum").width;
  const bool resource = in.layer.strategy == ir::Strategy::kResource;
  // Latency: constant weights, so zeros vanish and powers of two become shifts. Resource: the
  // weights are read from memory, so every product needs a multiplier.
  const std::int64_t products = resource ? n_in * n_out : plan::dense_real_products(node);
  const std::int64_t additions = resource ? n_in * n_out : nonzero_weights(node);
  // Latency: the plan's multiplier limit (its real products shared by the reuse factor) is what
  // the firmware allocates, per position.
  const std::int64_t shared = resource ? ceil_div(products, rf) : in.layer.multiplier_limit;
  e.multipliers = positions * (products == 0 ? 0 : shared);
  e.adders = positions * ceil_div(additions, rf);
  const bool dsp = uses_dsp(x_bits, w_bits);
  if (dsp) {
    e.dsp = e.multipliers * dsp_per_product(in.family, x_bits, w_bits);
  } else {
    e.lut_multipliers = e.multipliers;
    e.lut = e.multipliers * lut_per_product(x_bits, w_bits);
  }
  const double multiply = dsp ? dsp_multiply_ns(in.family) : lut_multiply_ns(w_bits);
  const std::int64_t terms_per_output = resource ? ceil_div(n_in, rf) : n_in;
  const double path = multiply + tree_depth(terms_per_output + 1) * add_ns(acc_bits);
  e.latency_cycles = positions * (stages(path, in.clock_period_ns) + 1 + (rf - 1));
  if (resource && rf >= 32) {
    // Deep enough to be worth a memory: one word per step, n_in*n_out/rf weights wide.
    const std::int64_t word_bits = ceil_div(n_in * n_out, rf) * w_bits;
    const std::int64_t total_bits = n_in * n_out * w_bits;
    e.bram18 = std::max(ceil_div(total_bits, 18432), ceil_div(word_bits, 36));
  }
  return e;
}

}  // namespace nnfpga::estimate
