#include "ir/layout.hpp"

#include <algorithm>
#include <string>

#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

void check_permutation(const Shape& ir_shape, const SourceAxes& axes) {
  std::vector<int> sorted = axes;
  std::sort(sorted.begin(), sorted.end());
  bool ok = axes.size() == ir_shape.size();
  for (std::size_t k = 0; ok && k < sorted.size(); ++k) ok = sorted[k] == static_cast<int>(k);
  if (!ok) {
    throw Error(ErrorKind::kInternal,
                "source axes do not permute the axes of the IR shape " + to_string(ir_shape));
  }
}

// Row-major strides of `shape`.
std::vector<std::int64_t> strides(const Shape& shape) {
  std::vector<std::int64_t> s(shape.size(), 1);
  for (std::size_t k = shape.size(); k-- > 1;) s[k - 1] = s[k] * shape[k];
  return s;
}

// Walks every element of one sample in source order; `visit(source_index, ir_index)`.
template <class Visit>
void for_each_element(const Shape& ir_shape, const SourceAxes& axes, Visit visit) {
  const Shape src = source_shape(ir_shape, axes);
  const std::vector<std::int64_t> ir_strides = strides(ir_shape);
  const std::int64_t n = element_count(ir_shape);
  std::vector<std::int64_t> index(src.size(), 0);
  for (std::int64_t s = 0; s < n; ++s) {
    std::int64_t ir_index = 0;
    for (std::size_t k = 0; k < src.size(); ++k) ir_index += index[k] * ir_strides[axes[k]];
    visit(s, ir_index);
    for (std::size_t k = src.size(); k-- > 0;) {
      if (++index[k] < src[k]) break;
      index[k] = 0;
    }
  }
}

}  // namespace

std::int64_t channels(const Shape& shape) {
  return shape.empty() ? 1 : shape.back();
}

std::int64_t positions(const Shape& shape) {
  const std::int64_t c = channels(shape);
  return c == 0 ? 0 : element_count(shape) / c;
}

bool is_identity(const SourceAxes& axes) {
  for (std::size_t k = 0; k < axes.size(); ++k) {
    if (axes[k] != static_cast<int>(k)) return false;
  }
  return true;
}

Shape source_shape(const Shape& ir_shape, const SourceAxes& axes) {
  if (axes.empty()) return ir_shape;
  check_permutation(ir_shape, axes);
  Shape out(ir_shape.size());
  for (std::size_t k = 0; k < axes.size(); ++k) out[k] = ir_shape[axes[k]];
  return out;
}

namespace {

// Copies `batch` samples between the source's order and the IR's, in either direction.
void reorder(const double* from, double* to, std::int64_t batch, const Shape& ir_shape,
             const SourceAxes& axes, bool into_ir) {
  const std::int64_t n = element_count(ir_shape);
  if (is_identity(axes)) {
    std::copy(from, from + batch * n, to);
    return;
  }
  for (std::int64_t b = 0; b < batch; ++b) {
    for_each_element(ir_shape, axes, [&](std::int64_t s, std::int64_t i) {
      if (into_ir) {
        to[b * n + i] = from[b * n + s];
      } else {
        to[b * n + s] = from[b * n + i];
      }
    });
  }
}

}  // namespace

void source_to_ir(const double* from, double* to, std::int64_t batch, const Shape& ir_shape,
                  const SourceAxes& axes) {
  reorder(from, to, batch, ir_shape, axes, true);
}

void ir_to_source(const double* from, double* to, std::int64_t batch, const Shape& ir_shape,
                  const SourceAxes& axes) {
  reorder(from, to, batch, ir_shape, axes, false);
}

}  // namespace nnfpga::ir
