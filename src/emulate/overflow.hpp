// Overflow accounting: each thread counts into its own Counters, summed after the run, so the
// totals do not depend on the thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "emulate/emulator.hpp"
#include "ir/graph.hpp"

namespace nnfpga::emulate {

struct Counters {
  std::int64_t result_overflows = 0;
  std::int64_t accum_overflows = 0;
};

// Adds per-thread counters (one vector per thread, one entry per layer) into `layers`, whose
// names and value counts the caller has set.
void sum_counters(const std::vector<std::vector<Counters>>& per_thread,
                  std::vector<LayerOverflow>& layers);

// True when the layer's result type is the saturating type its quantizer declares (not one a
// configuration set over it): its result overflows are clipping the model defines.
bool clipping_defined_by_model(const ir::Node& node);

// Moves the result overflows of such a layer to quantizer_clips.
void separate_defined_clipping(const ir::Node& node, LayerOverflow& layer);

}  // namespace nnfpga::emulate
