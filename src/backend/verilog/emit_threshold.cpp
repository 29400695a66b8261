// Threshold: y = values[number of thresholds x passes], with the emulator's integer steps
// (emulate::threshold_steps: bounds ascending, as input codes), as one priority multiplexer from
// the highest bound down.
#include <fmt/format.h>

#include "arith/delay.hpp"
#include "backend/verilog/emitter.hpp"
#include "emulate/threshold_steps.hpp"

namespace nnfpga::backend::verilog {

std::vector<NetId> emit_threshold(LayerContext& ctx) {
  const TensorSignals& in = ctx.inputs.at(0);
  const fixed::FixedType& r = result_type(ctx);
  const emulate::ThresholdSteps steps = emulate::threshold_steps(ctx.node, in.type, r);
  const int wr = code_width(r);
  std::vector<std::string> values;
  for (std::int64_t v : steps.values)
    values.push_back(signed_literal(fixed::mantissa_value(v, r), wr));
  std::vector<std::string> bounds;
  for (std::int64_t b : steps.bounds) bounds.push_back(signed_literal(b, signed_bits(b, b)));
  const std::size_t first = static_cast<std::size_t>(steps.first);
  std::vector<NetId> y;
  for (const Signal& x : in.elements) {
    const int width = ctx.nl.width(x.net);
    y.push_back(ctx.nl.op(
        "y", wr, {x.net},
        arith::adder_ns(width) + arith::kMuxNs * static_cast<double>(bounds.size()),
        Logic::compare_select(static_cast<int>(bounds.size()), width, true),
        [values, bounds, first](const std::vector<std::string>& n) {
          std::string e = values.at(first);
          for (std::size_t i = 0; i < bounds.size(); ++i) {
            e = fmt::format("({} >= {}) ? {} : ({})", n[0], bounds[i], values.at(first + i + 1), e);
          }
          return e;
        }));
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
