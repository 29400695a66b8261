// Whether a layer is small enough for io_parallel, whose HLS code unrolls a layer completely:
// every multiplication of the products computed at once gets its own operator, and every array
// (the layer's input and output tensors, a convolution's window buffer) is partitioned into
// registers. Both have a ceiling past which the vendor tool stops: Vivado and Vitis HLS refuse to
// unroll a loop into more operations than they can schedule ("XFORM 203-504 Stop unrolling loop",
// met in practice past 4096 multiplications, the limit hls4ml's users are told to stay under),
// and complete partitioning of arrays past 4096 elements is what hls4ml's own io_parallel
// convolutions are held to. One rule, used by the estimate (which flags the layer) and by the HLS
// writer (which refuses the model and suggests io_stream) so that both say the same.
#pragma once

#include <cstdint>
#include <string>

#include "ir/graph.hpp"

namespace nnfpga::plan {

inline constexpr std::int64_t kMaxUnrolledMultiplications = 4096;
inline constexpr std::int64_t kMaxPartitionedArray = 4096;

struct ParallelSize {
  // Multiplications in flight at once: a Dense's or a convolution's products (per position,
  // times the positions computed together: all of a Dense's, a convolution's parallelization
  // factor) divided by the reuse factor; 0 for an op without weights.
  std::int64_t unrolled_multiplications = 0;
  std::int64_t largest_array = 0;  // elements of the largest array partitioned into registers
  bool fits() const {
    return unrolled_multiplications <= kMaxUnrolledMultiplications &&
           largest_array <= kMaxPartitionedArray;
  }
  // Why it does not fit, for messages ("" when it fits).
  std::string why() const;
};

ParallelSize parallel_size(const ir::Node& node);

// Throws nnfpga::Error (kUnsupported) naming the node when it does not fit io_parallel: what is
// too large, the limit, and what to do (io_stream, or a larger reuse factor).
void check_fits_io_parallel(const ir::Node& node);

}  // namespace nnfpga::plan
