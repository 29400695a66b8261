// Runs a plan: the batch is split into one contiguous range of rows per thread, and each thread
// pushes blocks of rows through every layer with its own buffers and overflow counters. Rows are
// independent, so results do not depend on the thread count.
#include <algorithm>
#include <cmath>
#include <exception>
#include <thread>

#include "emulate/plan.hpp"
#include "fixed/fast_double.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

// Rows per block: large enough to amortize the per-layer call, small enough for L1/L2.
constexpr std::int64_t kBlockRows = 64;
// Below this many rows per thread, another thread costs more than it saves.
constexpr std::int64_t kMinRowsPerThread = 256;

Array make_array(std::int64_t batch, const ir::Shape& shape) {
  Array a;
  a.shape.push_back(batch);
  a.shape.insert(a.shape.end(), shape.begin(), shape.end());
  a.data.assign(static_cast<std::size_t>(batch * ir::element_count(shape)), 0.0);
  return a;
}

struct ThreadWork {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::vector<Counters> counters;
  std::exception_ptr error;
};

void to_doubles(const std::int64_t* m, std::int64_t n, int frac, double* out) {
  fixed::to_double_array(m, static_cast<std::size_t>(n), frac, out);
}

void run_rows(const ExecPlan& plan, const std::vector<Array>& inputs, RunResult& result,
              ThreadWork& work) {
  const std::size_t n_layers = plan.layers.size();
  std::vector<std::vector<std::int64_t>> buffers(n_layers);
  for (std::size_t l = 0; l < n_layers; ++l) {
    buffers[l].resize(static_cast<std::size_t>(kBlockRows * plan.layers[l].row_size));
  }
  work.counters.assign(n_layers, Counters{});
  Scratch scratch;
  KernelArgs args;
  args.scratch = &scratch;
  for (std::int64_t row = work.begin; row < work.end; row += kBlockRows) {
    args.first_row = row;
    args.rows = std::min(kBlockRows, work.end - row);
    for (std::size_t l = 0; l < n_layers; ++l) {
      const LayerPlan& layer = plan.layers[l];
      args.inputs.clear();
      for (int in : layer.inputs) args.inputs.push_back(buffers[in].data());
      args.raw = layer.graph_input >= 0
                     ? inputs[layer.graph_input].data.data() + row * layer.row_size
                     : nullptr;
      args.output = buffers[l].data();
      args.counters = &work.counters[l];
      layer.kernel->run(args);
      if (!result.trace.empty()) {
        to_doubles(buffers[l].data(), args.rows * layer.row_size, layer.result_frac,
                   result.trace[l].second.data.data() + row * layer.row_size);
      }
    }
    for (std::size_t o = 0; o < plan.outputs.size(); ++o) {
      const LayerPlan& layer = plan.layers[plan.outputs[o]];
      to_doubles(buffers[plan.outputs[o]].data(), args.rows * layer.row_size, layer.result_frac,
                 result.outputs[o].data.data() + row * layer.row_size);
    }
  }
}

}  // namespace

int thread_count(const RunOptions& options, std::int64_t batch) {
  std::int64_t t = options.threads > 0 ? options.threads : std::thread::hardware_concurrency();
  t = std::min(t, (batch + kMinRowsPerThread - 1) / kMinRowsPerThread);
  return static_cast<int>(std::max<std::int64_t>(1, t));
}

RunResult execute(const ExecPlan& plan, const std::vector<Array>& inputs,
                  const RunOptions& options) {
  const std::int64_t batch = check_inputs(plan.graph, inputs, true);
  RunResult result;
  for (int o : plan.outputs) {
    result.outputs.push_back(make_array(batch, plan.layers[o].node->output_shape));
  }
  for (const LayerPlan& layer : plan.layers) {
    if (options.trace) {
      result.trace.emplace_back(layer.node->name, make_array(batch, layer.node->output_shape));
    }
    result.overflows.push_back({.layer = layer.node->name, .values = batch * layer.row_size});
  }
  const int n_threads = thread_count(options, batch);
  std::vector<ThreadWork> work(static_cast<std::size_t>(n_threads));
  for (int t = 0; t < n_threads; ++t) {
    work[t].begin = batch * t / n_threads;
    work[t].end = batch * (t + 1) / n_threads;
  }
  auto body = [&](ThreadWork& w) {
    try {
      run_rows(plan, inputs, result, w);
    } catch (...) {
      w.error = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < n_threads; ++t) threads.emplace_back(body, std::ref(work[t]));
  body(work[0]);
  for (std::thread& th : threads) th.join();
  std::vector<std::vector<Counters>> counters;
  for (ThreadWork& w : work) {
    if (w.error) std::rethrow_exception(w.error);
    counters.push_back(std::move(w.counters));
  }
  sum_counters(counters, result.overflows);
  for (std::size_t i = 0; i < plan.layers.size(); ++i) {
    separate_defined_clipping(*plan.layers[i].node, result.overflows[i]);
  }
  return result;
}

Emulator::Emulator(const ir::Graph& graph) : plan_(std::make_unique<Plan>()) {
  build_plan(graph, false, *plan_);
}
Emulator::~Emulator() = default;
Emulator::Emulator(Emulator&&) noexcept = default;
Emulator& Emulator::operator=(Emulator&&) noexcept = default;

RunResult Emulator::run(const std::vector<Array>& inputs, const RunOptions& options) const {
  return execute(*plan_, inputs, options);
}

const ir::Graph& Emulator::graph() const {
  return plan_->graph;
}

}  // namespace nnfpga::emulate
