// Runs a program: the batch is split into one contiguous range of rows per thread, and each thread
// pushes blocks of rows through every layer with its own buffers and overflow counters. Rows are
// independent, so results depend neither on the thread count nor on the rows per block (chosen
// for the memory budget, buffers.cpp).
#include <algorithm>
#include <cmath>
#include <exception>
#include <thread>

#include "emulate/program.hpp"
#include "fixed/fast_double.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

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

// Where each step's block goes once computed: the graph output positions it fills.
std::vector<std::vector<std::size_t>> outputs_by_step(const Program& program) {
  std::vector<std::vector<std::size_t>> by_step(program.steps.size());
  for (std::size_t o = 0; o < program.outputs.size(); ++o) {
    by_step[program.outputs[o]].push_back(o);
  }
  return by_step;
}

// How a run uses memory: which buffer each step writes, and the samples per block.
struct RunMemory {
  BufferAssignment buffers;
  std::int64_t block_rows = 0;
  std::vector<std::vector<std::size_t>> outputs_by_step;
};

void run_rows(const Program& program, const RunMemory& memory, const std::vector<Array>& inputs,
              RunResult& result, ThreadWork& work) {
  const std::size_t n_steps = program.steps.size();
  const std::int64_t block = std::min(memory.block_rows, work.end - work.begin);
  std::vector<std::vector<std::int64_t>> buffers(memory.buffers.buffer_size.size());
  for (std::size_t b = 0; b < buffers.size(); ++b) {
    buffers[b].resize(static_cast<std::size_t>(block * memory.buffers.buffer_size[b]));
  }
  work.counters.assign(n_steps, Counters{});
  Scratch scratch;
  KernelArgs args;
  args.scratch = &scratch;
  for (std::int64_t row = work.begin; row < work.end; row += block) {
    args.first_row = row;
    args.rows = std::min(block, work.end - row);
    for (std::size_t l = 0; l < n_steps; ++l) {
      const ProgramStep& step = program.steps[l];
      args.inputs.clear();
      for (int in : step.inputs) {
        args.inputs.push_back(buffers[memory.buffers.buffer_of[in]].data());
      }
      args.raw = step.graph_input >= 0 ? inputs[step.graph_input].data.data() + row * step.row_size
                                       : nullptr;
      std::int64_t* out = buffers[memory.buffers.buffer_of[l]].data();
      args.output = out;
      args.counters = &work.counters[l];
      step.kernel->run(args);
      // Copied out now: the buffer is reused once the step's last reader has run.
      const std::int64_t n = args.rows * step.row_size;
      if (!result.trace.empty()) {
        to_doubles(out, n, step.result_frac,
                   result.trace[l].second.data.data() + row * step.row_size);
      }
      for (std::size_t o : memory.outputs_by_step[l]) {
        to_doubles(out, n, step.result_frac, result.outputs[o].data.data() + row * step.row_size);
      }
    }
  }
}

}  // namespace

int thread_count(const RunOptions& options, std::int64_t batch) {
  std::int64_t t = options.threads > 0 ? options.threads : std::thread::hardware_concurrency();
  t = std::min(t, (batch + kMinRowsPerThread - 1) / kMinRowsPerThread);
  return static_cast<int>(std::max<std::int64_t>(1, t));
}

RunResult execute(const Program& program, const std::vector<Array>& inputs,
                  const RunOptions& options) {
  const std::int64_t batch = check_inputs(program.graph, inputs, true);
  RunResult result;
  for (int o : program.outputs) {
    result.outputs.push_back(make_array(batch, program.steps[o].node->output_shape));
  }
  for (const ProgramStep& layer : program.steps) {
    if (options.trace) {
      result.trace.emplace_back(layer.node->name, make_array(batch, layer.node->output_shape));
    }
    result.overflows.push_back({.layer = layer.node->name, .values = batch * layer.row_size});
  }
  RunMemory memory;
  memory.buffers = assign_buffers(program);
  memory.block_rows = block_rows(memory.buffers, batch, options);
  memory.outputs_by_step = outputs_by_step(program);
  const int n_threads = thread_count(options, batch);
  std::vector<ThreadWork> work(static_cast<std::size_t>(n_threads));
  for (int t = 0; t < n_threads; ++t) {
    work[t].begin = batch * t / n_threads;
    work[t].end = batch * (t + 1) / n_threads;
  }
  auto body = [&](ThreadWork& w) {
    try {
      run_rows(program, memory, inputs, result, w);
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
  for (std::size_t i = 0; i < program.steps.size(); ++i) {
    separate_defined_clipping(*program.steps[i].node, result.overflows[i]);
  }
  return result;
}

Emulator::Emulator(const ir::Graph& graph) : program_(std::make_unique<Compiled>()) {
  build_program(graph, false, *program_);
}
Emulator::~Emulator() = default;
Emulator::Emulator(Emulator&&) noexcept = default;
Emulator& Emulator::operator=(Emulator&&) noexcept = default;

RunResult Emulator::run(const std::vector<Array>& inputs, const RunOptions& options) const {
  return execute(*program_, inputs, options);
}

const ir::Graph& Emulator::graph() const {
  return program_->graph;
}

}  // namespace nnfpga::emulate
