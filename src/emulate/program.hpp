// The executor's program: the configured graph compiled to one step (a kernel) per node, wired by
// step index. Internal to emulate/; tests use build_program(…, general = true) to run the general
// exact kernels against the fast ones. (Not the implementation plan of src/plan/: this is only how
// the emulator runs the graph on the CPU.)
#pragma once

#include <memory>
#include <vector>

#include "emulate/emulator.hpp"
#include "emulate/kernel.hpp"

namespace nnfpga::emulate {

struct ProgramStep {
  const ir::Node* node = nullptr;
  std::unique_ptr<Kernel> kernel;
  std::vector<int> inputs;    // indices of the producing steps
  int graph_input = -1;       // for Input nodes: the position in graph.inputs
  std::int64_t row_size = 0;  // output values per batch row
  int result_frac = 0;        // to turn mantissas back into doubles
};

// Not movable once built: steps point into `graph`.
struct Program {
  Program() = default;
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  ir::Graph graph;
  std::vector<ProgramStep> steps;  // graph order
  std::vector<int> outputs;        // layer index of each graph output
};

struct Emulator::Compiled : Program {};

// Compiles a configured graph into `program` (empty). With `general`, Dense and the convolutions
// (depthwise included) use the general kernel even where the fast one applies.
void build_program(const ir::Graph& graph, bool general, Program& program);

// Runs a program (fixed point).
RunResult execute(const Program& program, const std::vector<Array>& inputs,
                  const RunOptions& options);

// How one thread's working memory is laid out: each step writes its block of rows into one of a
// few reusable buffers. A buffer is free again once the last step reading it (its last use, over
// the graph order) has run; graph outputs and traced layers are copied out right after their step
// runs, so they need no longer life. A step never writes into a buffer one of its inputs is in.
struct BufferAssignment {
  std::vector<int> buffer_of;             // per step: the buffer it writes
  std::vector<std::int64_t> buffer_size;  // per buffer: values per row (its largest step's)
  std::int64_t values_per_row() const;    // all buffers together
};

BufferAssignment assign_buffers(const Program& program);

// The rows per block of a run: at most 64, fewer when the buffers of all threads would exceed
// options.memory_budget_bytes or one thread's would exceed 1 MiB (cache-sized blocks), never
// fewer than 1.
std::int64_t block_rows(const BufferAssignment& buffers, std::int64_t batch,
                        const RunOptions& options);

// The bytes of working buffers a run of `batch` rows with these options allocates, over all its
// threads (thread_count(options, batch)); within options.memory_budget_bytes unless one row per
// block does not fit.
std::int64_t peak_buffer_bytes(const Program& program, std::int64_t batch,
                               const RunOptions& options);

// Checks the inputs against the graph's Input nodes: count, shapes, one batch size, and (when
// `finite`) no NaN or infinity. Returns the batch size. Throws nnfpga::Error (kInput).
std::int64_t check_inputs(const ir::Graph& graph, const std::vector<Array>& inputs, bool finite);

// The number of threads a run uses for `batch` rows.
int thread_count(const RunOptions& options, std::int64_t batch);

}  // namespace nnfpga::emulate
