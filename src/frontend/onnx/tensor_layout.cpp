#include "frontend/onnx/tensor_layout.hpp"

#include <numeric>

#include "ir/layout.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// The permutation of the IR's axes that `layout` holds once its absent axes are left out.
std::vector<int> present_axes(const TensorLayout& layout) {
  std::vector<int> axes;
  for (int a : layout.axes) {
    if (a != TensorLayout::kAbsent) axes.push_back(a);
  }
  return axes;
}

}  // namespace

bool is_plain(const TensorLayout& layout, const ir::Shape& ir_shape) {
  if (!layout.order.empty()) return false;
  if (layout.axes.empty()) return true;
  return layout.axes.size() == ir_shape.size() && ir::is_identity(layout.axes);
}

int ir_axis(const TensorLayout& layout, int k) {
  return layout.axes.empty() ? k : layout.axes.at(static_cast<std::size_t>(k));
}

ir::Shape onnx_shape(const ir::Shape& ir_shape, const TensorLayout& layout) {
  if (layout.axes.empty()) return ir_shape;
  ir::Shape out;
  for (int a : layout.axes) {
    out.push_back(a == TensorLayout::kAbsent ? 1 : ir_shape.at(static_cast<std::size_t>(a)));
  }
  return out;
}

TensorLayout channels_first_as_last(int rank) {
  TensorLayout l;
  l.axes.push_back(rank - 1);
  for (int k = 0; k + 1 < rank; ++k) l.axes.push_back(k);
  return l;
}

bool is_channels_first_as_last(const TensorLayout& layout, const ir::Shape& ir_shape) {
  const auto rank = static_cast<int>(ir_shape.size());
  return layout.order.empty() && layout.axes == channels_first_as_last(rank).axes;
}

TensorLayout transposed(const TensorLayout& layout, int rank,
                        const std::vector<std::int64_t>& perm) {
  TensorLayout out;
  for (std::size_t k = 1; k < perm.size(); ++k) {
    const int from = static_cast<int>(perm[k]) - 1;
    out.axes.push_back(layout.axes.empty() ? from : layout.axes.at(static_cast<std::size_t>(from)));
  }
  if (out.axes.size() != static_cast<std::size_t>(rank)) {
    throw Error(ErrorKind::kInternal, "a transpose of the wrong rank");
  }
  return out;
}

std::optional<std::vector<int>> source_axes(const TensorLayout& layout) {
  if (!layout.order.empty()) return std::nullopt;
  for (int a : layout.axes) {
    if (a == TensorLayout::kAbsent) return std::nullopt;
  }
  return layout.axes;
}

ir::Tensor to_ir_order(const ir::Tensor& onnx_order, const ir::Shape& ir_shape,
                       const TensorLayout& layout) {
  ir::Tensor out{ir_shape, std::vector<double>(onnx_order.data.size())};
  if (!layout.order.empty()) {
    for (std::size_t i = 0; i < layout.order.size(); ++i) {
      out.data[i] = onnx_order.data.at(static_cast<std::size_t>(layout.order[i]));
    }
    return out;
  }
  ir::source_to_ir(onnx_order.data.data(), out.data.data(), 1, ir_shape, present_axes(layout));
  return out;
}

std::vector<std::int64_t> flat_order(const ir::Shape& ir_shape, const TensorLayout& layout) {
  if (!layout.order.empty()) return layout.order;
  const std::int64_t n = ir::element_count(ir_shape);
  ir::Tensor onnx_index{onnx_shape(ir_shape, layout),
                        std::vector<double>(static_cast<std::size_t>(n))};
  std::iota(onnx_index.data.begin(), onnx_index.data.end(), 0.0);
  const ir::Tensor in_ir = to_ir_order(onnx_index, ir_shape, layout);
  std::vector<std::int64_t> order(in_ir.data.size());
  bool identity = true;
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = static_cast<std::int64_t>(in_ir.data[i]);
    identity = identity && order[i] == static_cast<std::int64_t>(i);
  }
  if (identity) order.clear();
  return order;
}

}  // namespace nnfpga::frontend::onnx
