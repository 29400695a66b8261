#include "emulate/overflow.hpp"

namespace nnfpga::emulate {

void sum_counters(const std::vector<std::vector<Counters>>& per_thread,
                  std::vector<LayerOverflow>& layers) {
  for (const std::vector<Counters>& thread : per_thread) {
    for (std::size_t i = 0; i < layers.size() && i < thread.size(); ++i) {
      layers[i].result_overflows += thread[i].result_overflows;
      layers[i].accum_overflows += thread[i].accum_overflows;
    }
  }
}

}  // namespace nnfpga::emulate
