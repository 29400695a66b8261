// Softmax: nnf::softmax with the emulator's own exponent and reciprocal tables.
#include <bit>

#include "backend/hls/config_struct.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/library_call.hpp"
#include "emulate/lookup_table.hpp"
#include "emulate/table_index.hpp"
#include "ir/layout.hpp"

namespace nnfpga::backend::hls {

LayerCode emit_softmax(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::string cfg = config_name(in);
  const std::int64_t axis = node.output_shape.back();
  const std::int64_t positions = per_call(in, ir::positions(node.output_shape));
  const std::int64_t size = emulate::checked_table_size(node);
  const int log2_size = emulate::log2_exact(size);
  const int sum_log2 = emulate::log2_exact(
      std::max<std::int64_t>(1, std::bit_ceil(static_cast<std::uint64_t>(axis))));
  const fixed::FixedType& table_t = node.type("table");
  const ir::QuantizedTensor exp{table_t, emulate::exp_table(size, table_t), 0};
  const ir::QuantizedTensor recip{table_t, emulate::reciprocal_table(size, sum_log2, table_t), 0};
  const std::string e = constant_array(in, "exp_table", exp, code.constants);
  const std::string r = constant_array(in, "recip_table", recip, code.constants);
  constexpr int kExpRangeLog2 = 3;  // the exponent table spans differences in [0, 8]
  code.config = ConfigStruct(cfg)
                    .int_constant("n_in", axis)
                    .int_constant("n_positions", positions)
                    .int_constant("log2_table_size", log2_size)
                    .type("table_t", type_spelling(table_t))
                    .type("accum_t", type_spelling(node.type("accum")))
                    .pow2("exp_scale", log2_size - kExpRangeLog2)
                    .pow2("recip_scale", log2_size - sum_log2)
                    .text();
  const TensorRef& x = in.inputs.at(0);
  code.call = library_call("softmax", {x.type, in.output.type, cfg}, {x.var, in.output.var, e, r});
  return code;
}

}  // namespace nnfpga::backend::hls
