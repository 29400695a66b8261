// QONNX's channels-last ops (domain qonnx.custom_op.channels_last): the Conv, MaxPool and
// BatchNormalization that qonnx's ConvertToChannelsLast writes. They take and give NHWC tensors
// and otherwise mean what the standard op means (same attributes, Conv weights still
// [F, C, kh, kw]). Each is read by the standard converter on its input seen as NCHW (a rename of
// axes, tensor_layout.hpp), and its output seen as NHWC again: no data moves.
#include "frontend/onnx/input_layout.hpp"
#include "frontend/onnx/op_converters.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// perm (batch included) taking a rank-(n+1) tensor from channels-last to channels-first, or back.
std::vector<std::int64_t> channels_perm(std::size_t n, bool to_first) {
  std::vector<std::int64_t> perm{0};
  if (to_first) {
    perm.push_back(static_cast<std::int64_t>(n));
    for (std::size_t k = 1; k < n; ++k) perm.push_back(static_cast<std::int64_t>(k));
  } else {
    for (std::size_t k = 2; k <= n; ++k) perm.push_back(static_cast<std::int64_t>(k));
    perm.push_back(1);
  }
  return perm;
}

void convert_channels_last(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Converter standard = find_converter(node.op_type());
  const Value* x = activation_input(ctx, node, 0);
  if (!x) return;
  const std::size_t n = onnx_shape(*x->shape, x->layout).size();
  if (n < 2 || !x->layout.order.empty()) {
    return ctx.refuse(node, "its input is not a (H, W, C) or (W, C) feature map");
  }
  Value nchw = *x;
  nchw.layout = transposed(x->layout, static_cast<int>(n), channels_perm(n, true));
  ::onnx::NodeProto standard_node = node;
  standard_node.clear_domain();
  standard_node.set_input(0, node.input(0) + "#channels_first");
  standard_node.set_output(0, node.output(0) + "#channels_first");
  ctx.define(standard_node.input(0), std::move(nchw));
  standard(ctx, standard_node);
  const Value& y = ctx.value(standard_node.output(0));
  if (y.poisoned) return ctx.poison_outputs(node);  // refused under the node's own name
  Value nhwc = y;
  const std::size_t out_rank = onnx_shape(*y.shape, y.layout).size();
  nhwc.layout = transposed(y.layout, static_cast<int>(out_rank), channels_perm(out_rank, false));
  ctx.define(node.output(0), std::move(nhwc));
}

}  // namespace

Converter find_channels_last_converter(const std::string& domain, const std::string& op_type) {
  if (!is_channels_last_domain(domain)) return nullptr;
  if (op_type == "Conv" || op_type == "MaxPool" || op_type == "BatchNormalization") {
    return convert_channels_last;
  }
  return nullptr;
}

}  // namespace nnfpga::frontend::onnx
