// The bit-accurate emulator: runs a configured (typed, quantized) graph on the CPU with integer
// arithmetic, following the layer conventions of docs/layers.md. It also runs the same graph in
// floating point without quantization, for comparison.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::emulate {

// A batch of values. shape[0] is the batch; the rest is the tensor's shape. Row-major.
struct Array {
  std::vector<std::int64_t> shape;
  std::vector<double> data;
};

// How many values of a layer's output (and of its accumulator, for layers that have one) were
// changed by overflow handling (saturated, zeroed or wrapped) over a run.
struct LayerOverflow {
  std::string layer;
  std::int64_t values = 0;            // values computed (batch x output elements)
  std::int64_t result_overflows = 0;  // casts to result_t that overflowed
  std::int64_t accum_overflows = 0;   // casts to accum_t that overflowed
  // Casts to a result type the model's own quantizer declares and saturates that clipped: the
  // model defines them (QKeras quantized_relu(6,0) tops out below 1), so they are counted here
  // and not in result_overflows, which counts what the chosen types cause.
  std::int64_t quantizer_clips = 0;
};

// The default of RunOptions::memory_budget_bytes: 256 MiB.
inline constexpr std::int64_t kDefaultMemoryBudgetBytes = std::int64_t{256} << 20;

struct RunOptions {
  bool trace = false;  // keep every layer's output
  int threads = 0;     // 0: all cores
  // The working buffers of all threads together (the layers' outputs for one block of rows, a few
  // buffers reused once their last reader ran) stay within this many bytes: the rows per block
  // (at most 64) shrink to fit. Never fewer than 1 row per block: a single sample whose buffers
  // exceed the budget still runs, over budget. Not counted: the inputs, the returned outputs and
  // trace (batch-sized by nature), and the kernels' per-thread scratch (about one layer's input
  // and output block at a time, so it shrinks with the rows per block too).
  std::int64_t memory_budget_bytes = kDefaultMemoryBudgetBytes;
};

struct RunResult {
  std::vector<Array> outputs;                        // in the graph's output order
  std::vector<std::pair<std::string, Array>> trace;  // every layer's output, in graph order
  std::vector<LayerOverflow> overflows;              // every layer, in graph order (fixed only)
};

class Emulator {
 public:
  // Plans the kernels of a configured graph. Throws nnfpga::Error (kUnsupported) naming the node
  // for an op the emulator lacks, or (kConfig) for a type it cannot compute with.
  explicit Emulator(const ir::Graph& graph);
  ~Emulator();
  Emulator(Emulator&&) noexcept;
  Emulator& operator=(Emulator&&) noexcept;

  // Bit-accurate fixed-point run. Throws nnfpga::Error (kInput) for inputs of the wrong shape or
  // holding NaN or infinity (naming the input and the row).
  RunResult run(const std::vector<Array>& inputs, const RunOptions& options = {}) const;
  // The same graph in double precision, with the trained (unquantized) parameters.
  RunResult run_float(const std::vector<Array>& inputs, const RunOptions& options = {}) const;

  std::vector<Array> predict(const std::vector<Array>& inputs) const { return run(inputs).outputs; }

  const ir::Graph& graph() const;

 private:
  struct Compiled;  // the Program (program.hpp)
  std::unique_ptr<Compiled> program_;
};

}  // namespace nnfpga::emulate
