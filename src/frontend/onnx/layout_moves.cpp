#include "frontend/onnx/layout_moves.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "ir/layout.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// Appends an IR node of `kind` on `input`, named after it, and returns its name.
std::string append_move(ReaderContext& ctx, ir::OpKind kind, const std::string& input,
                        const std::string& suffix, ir::Attributes attrs) {
  ir::Node n;
  n.name = ctx.unique_name(input + suffix);
  n.op = kind;
  n.source_op = kind == ir::OpKind::kTranspose ? "Transpose" : "Reshape";
  n.inputs = {input};
  n.attrs = std::move(attrs);
  const std::string name = n.name;
  ctx.append_node(std::move(n));
  return name;
}

std::string append_reshape(ReaderContext& ctx, const std::string& input, const ir::Shape& shape,
                           const std::string& suffix) {
  ir::Attributes a;
  a.set("shape", shape);
  return append_move(ctx, ir::OpKind::kReshape, input, suffix, std::move(a));
}

}  // namespace

TensorLayout complete_layout(const TensorLayout& layout, std::size_t ir_rank, int onnx_rank) {
  std::vector<int> axes = layout.axes;
  if (axes.empty()) {
    axes.resize(ir_rank);
    std::iota(axes.begin(), axes.end(), 0);
  }
  // ONNX broadcasting aligns shapes on their last axes: missing leading axes are size-1 ones.
  if (static_cast<int>(axes.size()) < onnx_rank) {
    axes.insert(axes.begin(), static_cast<std::size_t>(onnx_rank) - axes.size(),
                TensorLayout::kAbsent);
  }
  // Present axes keep their relative order; an absent one sorts right after the present axis
  // before it (or first), so that holding it as a size-1 IR axis moves no data.
  std::vector<std::tuple<int, int, std::size_t>> keys;
  int before = -1;
  for (std::size_t k = 0; k < axes.size(); ++k) {
    if (axes[k] != TensorLayout::kAbsent) {
      before = axes[k];
      keys.emplace_back(axes[k], -1, k);
    } else {
      keys.emplace_back(before, static_cast<int>(k), k);
    }
  }
  std::sort(keys.begin(), keys.end());
  TensorLayout out;
  out.axes.resize(axes.size());
  for (std::size_t rank = 0; rank < keys.size(); ++rank) {
    out.axes[std::get<2>(keys[rank])] = static_cast<int>(rank);
  }
  return out;
}

ir::Shape shape_in_layout(const ir::Shape& onnx, const TensorLayout& target) {
  const std::size_t r = target.axes.size();
  ir::Shape padded(r - std::min(r, onnx.size()), 1);
  padded.insert(padded.end(), onnx.begin(), onnx.end());
  ir::Shape out(r, 1);
  for (std::size_t k = 0; k < r; ++k) {
    out[static_cast<std::size_t>(target.axes[k])] = padded[k];
  }
  return out;
}

std::optional<std::string> rearranged(ReaderContext& ctx, const ::onnx::NodeProto& node,
                                      const Value& v, const TensorLayout& target) {
  const ir::Shape onnx = onnx_shape(*v.shape, v.layout);
  const std::size_t r = target.axes.size();
  const std::size_t offset = r - onnx.size();
  const ir::Shape want = shape_in_layout(onnx, target);
  if (!v.layout.order.empty() && ir::element_count(*v.shape) > 1) {
    ctx.refuse(node, "its input '" + v.node +
                         "' is a flattened feature map held in the IR's channels-last element "
                         "order, which no IR op can bring back to the file's order");
    return std::nullopt;
  }
  // The ONNX axes that hold data (size above 1), in the order `v` stores them and in the
  // order `target` wants them: data moves only when the two differ.
  std::vector<std::size_t> stored, wanted;
  for (std::size_t k = 0; k < onnx.size(); ++k) {
    if (onnx[k] != 1) stored.push_back(k + offset);
  }
  wanted = stored;
  std::stable_sort(stored.begin(), stored.end(), [&](std::size_t a, std::size_t b) {
    return ir_axis(v.layout, static_cast<int>(a - offset)) <
           ir_axis(v.layout, static_cast<int>(b - offset));
  });
  std::stable_sort(wanted.begin(), wanted.end(),
                   [&](std::size_t a, std::size_t b) { return target.axes[a] < target.axes[b]; });
  std::string current = v.node;
  ir::Shape shape = *v.shape;
  if (stored != wanted) {
    ir::Shape squeezed, moved;
    std::vector<std::int64_t> perm;
    for (std::size_t k : stored) squeezed.push_back(onnx[k - offset]);
    for (std::size_t k : wanted) {
      moved.push_back(onnx[k - offset]);
      perm.push_back(std::find(stored.begin(), stored.end(), k) - stored.begin());
    }
    if (shape != squeezed) current = append_reshape(ctx, current, squeezed, "_squeezed");
    ir::Attributes a;
    a.set("perm", perm);
    current = append_move(ctx, ir::OpKind::kTranspose, current, "_transposed", std::move(a));
    shape = moved;
  }
  if (shape != want) current = append_reshape(ctx, current, want, "_reshaped");
  return current;
}

std::optional<InPlaceReshape> reshape_in_place(const Value& x, const ir::Shape& to) {
  if (!x.layout.order.empty()) return std::nullopt;
  const ir::Shape from = onnx_shape(*x.shape, x.layout);
  const TensorLayout full =
      complete_layout(x.layout, x.shape->size(), static_cast<int>(from.size()));
  // Runs of ONNX axes with equal products on both sides: [a0, a1) of `from`, [b0, b1) of `to`.
  struct Run {
    std::size_t a0, a1, b0, b1;
  };
  std::vector<Run> runs;
  std::size_t i = 0, j = 0;
  while (i < from.size() && j < to.size()) {
    Run run{i, i, j, j};
    std::int64_t p = from[i++], q = to[j++];
    while (p != q) {
      if (p < q && i < from.size()) {
        p *= from[i++];
      } else if (q < p && j < to.size()) {
        q *= to[j++];
      } else {
        return std::nullopt;
      }
    }
    run.a1 = i;
    run.b1 = j;
    runs.push_back(run);
  }
  // Leftover axes (size 1 on one side only) have no run to sit in: the general path takes them.
  if (i != from.size() || j != to.size()) return std::nullopt;
  for (const Run& run : runs) {
    for (std::size_t a = run.a0 + 1; a < run.a1; ++a) {
      if (full.axes[a] != full.axes[a - 1] + 1) return std::nullopt;
    }
  }
  std::sort(runs.begin(), runs.end(),
            [&](const Run& l, const Run& r) { return full.axes[l.a0] < full.axes[r.a0]; });
  InPlaceReshape out;
  out.layout.axes.resize(to.size());
  for (const Run& run : runs) {
    for (std::size_t b = run.b0; b < run.b1; ++b) {
      out.layout.axes[b] = static_cast<int>(out.ir_shape.size());
      out.ir_shape.push_back(to[b]);
    }
  }
  out.layout = normalized(std::move(out.layout));
  return out;
}

TensorLayout plain_layout(std::size_t onnx_rank) {
  TensorLayout out;
  out.axes.resize(onnx_rank);
  std::iota(out.axes.begin(), out.axes.end(), 0);
  return out;
}

TensorLayout normalized(TensorLayout layout) {
  if (layout.order.empty() && ir::is_identity(layout.axes)) layout.axes.clear();
  return layout;
}

}  // namespace nnfpga::frontend::onnx
