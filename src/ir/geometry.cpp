#include "ir/geometry.hpp"

#include "ir/layout.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {

DenseGeometry dense_geometry(const Node& node) {
  if (node.op != OpKind::kDense || node.input_shapes.empty() || node.input_shapes[0].empty() ||
      node.output_shape.empty()) {
    throw Error(ErrorKind::kInternal, "Dense geometry asked of a node without Dense shapes",
                {.node = node.name});
  }
  const Shape& in = node.input_shapes[0];
  DenseGeometry g;
  g.n_in = channels(in);
  g.n_out = channels(node.output_shape);
  g.positions = positions(in);
  if (auto w = node.params.find("weight"); w != node.params.end()) {
    if (w->second.shape != Shape{g.n_in, g.n_out}) {
      throw Error(ErrorKind::kInternal,
                  "weight " + to_string(w->second.shape) + " does not match the shapes " +
                      to_string(in) + " -> " + to_string(node.output_shape),
                  {.node = node.name});
    }
  }
  return g;
}

}  // namespace nnfpga::ir
