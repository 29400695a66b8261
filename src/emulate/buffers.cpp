// The executor's working memory: liveness of each step's output over the graph order, a few
// reusable buffers instead of one per layer, and the rows per block that keep all threads' buffers
// within the memory budget. Big tensors (wide convolution-like Dense layers, long flattened
// inputs) would otherwise hold every layer's block for the whole run.
#include <algorithm>

#include "emulate/program.hpp"

namespace nnfpga::emulate {
namespace {

// Rows per block: large enough to amortize the per-layer call, small enough for L1/L2.
constexpr std::int64_t kMaxBlockRows = 64;
// One thread's buffers for a block stay within this many bytes where a row allows it, so that a
// layer's input and output blocks stay in the core's caches between steps: a CNN image's rows
// (about 0.5 MiB of 64-bit codes each) then go one or two at a time, which the CNN benchmark
// measured 19 % faster per CPU-second than 64 rows streaming through memory; an MLP's rows are
// small enough to keep 64.
constexpr std::int64_t kCacheBytes = std::int64_t{1} << 20;
constexpr std::int64_t kValueBytes = sizeof(std::int64_t);

// The last step that reads each step's output (the step itself when nothing reads it).
std::vector<std::size_t> last_uses(const Program& program) {
  std::vector<std::size_t> last(program.steps.size());
  for (std::size_t s = 0; s < program.steps.size(); ++s) {
    last[s] = s;
    for (int in : program.steps[s].inputs) last[in] = std::max(last[in], s);
  }
  return last;
}

// The free buffer that fits `size` most tightly, else the largest free one (it grows); -1 when
// none is free.
int pick(const std::vector<bool>& busy, const std::vector<std::int64_t>& sizes, std::int64_t size) {
  int best = -1;
  for (std::size_t b = 0; b < sizes.size(); ++b) {
    if (busy[b]) continue;
    const bool fits = sizes[b] >= size;
    if (best < 0) {
      best = static_cast<int>(b);
      continue;
    }
    const bool best_fits = sizes[best] >= size;
    if ((fits && (!best_fits || sizes[b] < sizes[best])) ||
        (!fits && !best_fits && sizes[b] > sizes[best])) {
      best = static_cast<int>(b);
    }
  }
  return best;
}

}  // namespace

std::int64_t BufferAssignment::values_per_row() const {
  std::int64_t n = 0;
  for (std::int64_t size : buffer_size) n += size;
  return n;
}

BufferAssignment assign_buffers(const Program& program) {
  const std::vector<std::size_t> last = last_uses(program);
  std::vector<std::vector<std::size_t>> read_last_by(program.steps.size());
  for (std::size_t p = 0; p < last.size(); ++p) read_last_by[last[p]].push_back(p);
  BufferAssignment out;
  std::vector<bool> busy;
  for (std::size_t s = 0; s < program.steps.size(); ++s) {
    // The inputs of step s are still busy here (their last use is s or later), so the step never
    // writes over what it reads.
    const std::int64_t size = program.steps[s].row_size;
    int b = pick(busy, out.buffer_size, size);
    if (b < 0) {
      b = static_cast<int>(out.buffer_size.size());
      out.buffer_size.push_back(0);
      busy.push_back(false);
    }
    out.buffer_size[b] = std::max(out.buffer_size[b], size);
    busy[b] = true;
    out.buffer_of.push_back(b);
    // Free every buffer whose value was read for the last time by step s (s's own when unread).
    for (std::size_t p : read_last_by[s]) busy[out.buffer_of[p]] = false;
  }
  return out;
}

std::int64_t block_rows(const BufferAssignment& buffers, std::int64_t batch,
                        const RunOptions& options) {
  const std::int64_t thread_row_bytes =
      std::max<std::int64_t>(1, buffers.values_per_row() * kValueBytes);
  const std::int64_t row_bytes = thread_row_bytes * thread_count(options, batch);
  const std::int64_t rows =
      std::min(options.memory_budget_bytes / row_bytes, kCacheBytes / thread_row_bytes);
  return std::clamp<std::int64_t>(rows, 1, kMaxBlockRows);
}

std::int64_t peak_buffer_bytes(const Program& program, std::int64_t batch,
                               const RunOptions& options) {
  const BufferAssignment buffers = assign_buffers(program);
  const std::int64_t rows = block_rows(buffers, batch, options);
  const int n_threads = thread_count(options, batch);
  std::int64_t bytes = 0;
  for (int t = 0; t < n_threads; ++t) {
    const std::int64_t thread_rows = batch * (t + 1) / n_threads - batch * t / n_threads;
    bytes += std::min(rows, thread_rows) * buffers.values_per_row() * kValueBytes;
  }
  return bytes;
}

}  // namespace nnfpga::emulate
