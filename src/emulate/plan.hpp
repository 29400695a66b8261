// The executor's plan: one kernel per node, wired by node index. Internal to emulate/; tests use
// build_plan(…, general = true) to run the general exact kernels against the fast ones.
#pragma once

#include <memory>
#include <vector>

#include "emulate/emulator.hpp"
#include "emulate/kernel.hpp"

namespace nnfpga::emulate {

struct LayerPlan {
  const ir::Node* node = nullptr;
  std::unique_ptr<Kernel> kernel;
  std::vector<int> inputs;    // indices of the producing layers
  int graph_input = -1;       // for Input nodes: the position in graph.inputs
  std::int64_t row_size = 0;  // output values per batch row
  int result_frac = 0;        // to turn mantissas back into doubles
};

// Not movable once built: layers point into `graph`.
struct ExecPlan {
  ExecPlan() = default;
  ExecPlan(const ExecPlan&) = delete;
  ExecPlan& operator=(const ExecPlan&) = delete;

  ir::Graph graph;
  std::vector<LayerPlan> layers;  // graph order
  std::vector<int> outputs;       // layer index of each graph output
};

struct Emulator::Plan : ExecPlan {};

// Plans a configured graph into `plan` (empty). With `general`, Dense uses its general kernel
// even where the fast one applies.
void build_plan(const ir::Graph& graph, bool general, ExecPlan& plan);

// Runs a plan (fixed point).
RunResult execute(const ExecPlan& plan, const std::vector<Array>& inputs,
                  const RunOptions& options);

// Checks the inputs against the graph's Input nodes: count, shapes, one batch size, and (when
// `finite`) no NaN or infinity. Returns the batch size. Throws nnfpga::Error (kInput).
std::int64_t check_inputs(const ir::Graph& graph, const std::vector<Array>& inputs, bool finite);

// The number of threads a run uses for `batch` rows.
int thread_count(const RunOptions& options, std::int64_t batch);

}  // namespace nnfpga::emulate
