#include "emulate/overflow.hpp"

#include "fixed/fixed_type.hpp"
#include "nnfpga/error.hpp"

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

bool clipping_defined_by_model(const ir::Node& node) {
  const auto declared = node.declared_types.find("result");
  const auto type = node.types.find("result");
  if (declared == node.declared_types.end() || type == node.types.end()) return false;
  if (type->second.overflow == fixed::Overflow::kWrap ||
      type->second.overflow == fixed::Overflow::kWrapSm) {
    return false;  // wrapping is no clipping, whoever asked for it
  }
  try {
    return fixed::parse_type(declared->second) == type->second;
  } catch (const Error&) {
    return false;  // "auto" or another spelling that is no exact type
  }
}

void separate_defined_clipping(const ir::Node& node, LayerOverflow& layer) {
  if (!clipping_defined_by_model(node)) return;
  layer.quantizer_clips += layer.result_overflows;
  layer.result_overflows = 0;
}

}  // namespace nnfpga::emulate
