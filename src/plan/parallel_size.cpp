// parallel_size: the io_parallel size rule of parallel_size.hpp.
#include "plan/parallel_size.hpp"

#include <algorithm>

#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::plan {

std::string ParallelSize::why() const {
  std::string s;
  if (unrolled_multiplications > kMaxUnrolledMultiplications) {
    s = std::to_string(unrolled_multiplications) +
        " multiplications unrolled at once (the HLS tools stop unrolling past " +
        std::to_string(kMaxUnrolledMultiplications) + ")";
  }
  if (largest_array > kMaxPartitionedArray) {
    if (!s.empty()) s += " and ";
    s += "an array of " + std::to_string(largest_array) +
         " values partitioned into registers (past " + std::to_string(kMaxPartitionedArray) +
         " the HLS tools do not partition completely)";
  }
  return s;
}

ParallelSize parallel_size(const ir::Node& node) {
  ParallelSize size;
  size.largest_array = ir::element_count(node.output_shape);
  for (const ir::Shape& in : node.input_shapes) {
    size.largest_array = std::max(size.largest_array, ir::element_count(in));
  }
  if (!ir::op_info(node.op).shares_multipliers) return size;
  const ir::DenseGeometry g = ir::weighted_sum_geometry(node);
  // A Dense computes every position at once; a convolution `parallelization_factor` of them,
  // each through a window buffer of n_in values.
  const bool slides = ir::op_info(node.op).slides_window;
  const std::int64_t together = slides ? node.settings.parallelization_factor : g.positions;
  size.unrolled_multiplications = g.products() * together / std::max(1, node.settings.reuse_factor);
  if (slides) size.largest_array = std::max(size.largest_array, g.n_in * together);
  return size;
}

void check_fits_io_parallel(const ir::Node& node) {
  const ParallelSize size = parallel_size(node);
  if (size.fits()) return;
  throw Error(ErrorKind::kUnsupported,
              std::string(ir::op_name(node.op)) + " layer '" + node.name +
                  "' is too large for io_parallel: " + size.why() +
                  ". Use io_stream (IOType: io_stream), which computes one position at a time, "
                  "or a larger ReuseFactor",
              {.node = node.name});
}

}  // namespace nnfpga::plan
