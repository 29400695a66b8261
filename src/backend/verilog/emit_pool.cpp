// MaxPool and GlobalMaxPool for one output position of a streaming layer (stream_build.cpp): the
// maximum, per channel, of the window's elements, cast once into result_t (src/emulate/pool.cpp).
// The window arrives with padding replaced by the input type's smallest code, which no maximum
// over a real element can pick, so padding takes no part, as in the emulator.
#include "backend/verilog/emitter.hpp"
#include "ir/layout.hpp"

namespace nnfpga::backend::verilog {

std::vector<NetId> emit_window_max(LayerContext& ctx) {
  const TensorSignals& in = ctx.inputs.at(0);
  const auto channels = static_cast<std::size_t>(ir::channels(ctx.node.output_shape));
  const std::size_t elements = in.elements.size() / channels;
  std::vector<NetId> y;
  for (std::size_t c = 0; c < channels; ++c) {
    // A balanced tree of compare-selects, so the depth grows with log2 of the window.
    std::vector<Signal> level;
    for (std::size_t e = 0; e < elements; ++e) level.push_back(in.elements[e * channels + c]);
    while (level.size() > 1) {
      std::vector<Signal> next;
      for (std::size_t k = 0; k + 1 < level.size(); k += 2) {
        next.push_back(select_signal(ctx.nl, level[k], level[k + 1], true));
      }
      if (level.size() % 2 == 1) next.push_back(level.back());
      level = std::move(next);
    }
    y.push_back(emit_cast(ctx.nl, {level.front().net, in.type.frac()}, result_type(ctx), "y"));
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
