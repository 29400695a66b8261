#include "passes/affine.hpp"

#include "nnfpga/error.hpp"
#include "passes/graph_edit.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;

ir::Tensor filled(const ir::Shape& shape, double v) {
  return ir::Tensor{shape,
                    std::vector<double>(static_cast<std::size_t>(ir::element_count(shape)), v)};
}

ir::Tensor map(ir::Tensor t, double (*f)(double)) {
  for (double& v : t.data) v = f(v);
  return t;
}

}  // namespace

bool is_affine_node(const ir::Node& n) {
  switch (n.op) {
    case OpKind::kAddConstant:
    case OpKind::kSubConstant:
    case OpKind::kMulConstant:
    case OpKind::kDivConstant:
      return n.inputs.size() == 1 && n.params.count("value") != 0;
    case OpKind::kBatchNorm:
      return n.inputs.size() == 1;
    default:
      return false;
  }
}

Affine affine_of(const ir::Node& n, const ir::Shape& shape) {
  if (n.op == OpKind::kBatchNorm) {
    return {ir::broadcast_to(n.param("scale"), shape), ir::broadcast_to(n.param("bias"), shape)};
  }
  const ir::Tensor c =
      ir::broadcast_to(drop_leading_unit_axes(n.param("value"), shape.size()), shape);
  switch (n.op) {
    case OpKind::kAddConstant:
      return {filled(shape, 1.0), c};
    case OpKind::kSubConstant:
      if (n.attrs.get_int_or("constant_first", 0) == 1) return {filled(shape, -1.0), c};
      return {filled(shape, 1.0), map(c, [](double v) { return -v; })};
    case OpKind::kMulConstant:
      return {c, filled(shape, 0.0)};
    case OpKind::kDivConstant:
      for (double v : c.data) {
        if (v == 0.0) {
          throw Error(ErrorKind::kInput, "division by a constant that contains 0",
                      {.node = n.name});
        }
      }
      return {map(c, [](double v) { return 1.0 / v; }), filled(shape, 0.0)};
    default:
      throw Error(ErrorKind::kInternal, "not an element-wise affine node", {.node = n.name});
  }
}

Affine compose(const Affine& first, const Affine& then) {
  Affine out = then;
  for (std::size_t i = 0; i < out.scale.data.size(); ++i) {
    out.scale.data[i] = then.scale.data[i] * first.scale.data[i];
    out.shift.data[i] = then.scale.data[i] * first.shift.data[i] + then.shift.data[i];
  }
  return out;
}

void make_batchnorm(ir::Node& n, Affine a) {
  n.op = OpKind::kBatchNorm;
  n.attrs = {};
  n.params = {{"scale", std::move(a.scale)}, {"bias", std::move(a.shift)}};
}

void fold_into_dense(ir::Node& dense, const std::vector<double>& scale,
                     const std::vector<double>& shift) {
  std::vector<double>& b = dense_bias(dense);
  std::vector<double>& w = dense.params["weight"].data;
  const std::size_t n_out = b.size();
  for (std::size_t k = 0; k < w.size(); ++k) w[k] *= scale[k % n_out];
  for (std::size_t j = 0; j < n_out; ++j) b[j] = b[j] * scale[j] + shift[j];
}

bool try_fold_into_dense(ir::Graph& graph, ir::Node& dense, const ir::Node& after) {
  if (dense.op != OpKind::kDense || sole_consumer(graph, dense.name) != &after) return false;
  // Folding would change parameters whose types a quantizer declared: they would no longer be
  // the values the model was trained (and quantized) with.
  if (!dense.declared_types.empty() || !after.declared_types.empty()) return false;
  const Affine a = affine_of(after, dense.output_shape);
  const auto scale = per_last_axis(a.scale, dense.output_shape);
  const auto shift = per_last_axis(a.shift, dense.output_shape);
  if (!scale || !shift) return false;
  fold_into_dense(dense, *scale, *shift);
  const std::string after_name = after.name;
  replace_uses(graph, after_name, dense.name);
  erase_node(graph, after_name, dense.name);
  return true;
}

}  // namespace nnfpga::passes
