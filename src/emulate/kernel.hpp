// The interface every op kernel implements, and the table that maps an op kind to its kernel
// factory. One file per op family implements the factories (dense.cpp, activation.cpp, ...).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "emulate/overflow.hpp"
#include "ir/graph.hpp"

namespace nnfpga::emulate {

// Per-thread scratch memory, reused by every layer so the hot loops never allocate.
struct Scratch {
  std::vector<std::int16_t> i16;
  std::vector<std::int32_t> i32;
  std::vector<std::int64_t> i64;
  std::vector<std::int64_t> wide;     // a second int64 buffer, for kernels that need two
  std::vector<std::int64_t> windows;  // a convolution's im2col windows, read by the matrix kernel
};

// One call computes `rows` batch rows of a layer. Tensors are int64 mantissas in the producing
// node's result type, row-major, `row_size` values per row.
struct KernelArgs {
  std::vector<const std::int64_t*> inputs;  // one per node input
  const double* raw = nullptr;              // Input nodes only: the float values of the rows
  std::int64_t first_row = 0;               // index of the first row in the batch (for messages)
  std::int64_t rows = 0;
  std::int64_t* output = nullptr;
  Counters* counters = nullptr;
  Scratch* scratch = nullptr;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual void run(const KernelArgs& args) const = 0;
  // Which implementation was chosen ("general", "fast-i32", ...), for tests and diagnostics.
  virtual const char* variant() const { return "general"; }
};

// Builds the kernel of one node of a configured graph; `inputs` are its producers. Throws
// nnfpga::Error (kConfig) naming the node for types the kernel cannot compute with.
using KernelFactory = std::unique_ptr<Kernel> (*)(const ir::Node& node,
                                                  const std::vector<const ir::Node*>& inputs);

// The factory of an op kind, or nullptr when the emulator does not support it.
KernelFactory kernel_factory(ir::OpKind kind);

// The factories, one per op family file.
std::unique_ptr<Kernel> make_input_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_dense_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_relu_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_leaky_relu_kernel(const ir::Node&,
                                               const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_clip_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_lookup_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_softmax_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_batchnorm_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_merge_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_concatenate_kernel(const ir::Node&,
                                                const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_prelu_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_hard_sigmoid_kernel(const ir::Node&,
                                                 const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_reshape_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_quantize_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_threshold_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_conv_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_pool_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_relayout_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_transpose_kernel(const ir::Node&, const std::vector<const ir::Node*>&);

// Dense's general (exact, cast per product) kernel, even when the fast one applies: tests compare
// the two.
std::unique_ptr<Kernel> make_dense_kernel_general(const ir::Node&,
                                                  const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_conv_kernel_general(const ir::Node&,
                                                 const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_depthwise_kernel(const ir::Node&, const std::vector<const ir::Node*>&);
std::unique_ptr<Kernel> make_depthwise_kernel_general(const ir::Node&,
                                                      const std::vector<const ir::Node*>&);

}  // namespace nnfpga::emulate
