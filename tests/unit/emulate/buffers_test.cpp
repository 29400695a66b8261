// The executor's working memory: buffers reused after their last reader, rows per block chosen
// for the memory budget, and results that depend on neither.
#include <gtest/gtest.h>

#include "emulate/program.hpp"
#include "graph_builder.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::make_fixed;
using testing::GraphBuilder;
using K = ir::OpKind;

const fixed::FixedType kT = make_fixed(16, 6);
const fixed::FixedType kAcc = make_fixed(40, 20);

// x[8] -> d1[16] -> relu -> d3[16] -> relu -> add(d1, relu) -> d6[4] -> relu, with d1 also a
// graph output: a value read long after it was made (the skip connection), fan-out, two outputs.
ir::Graph skip_graph(std::mt19937_64& rng) {
  GraphBuilder b({8}, kT);
  b.dense(16, testing::normal(128, 0.5, rng), testing::normal(16, 0.1, rng), kT, kT, kAcc, kT);
  const std::string d1 = b.last().name;
  b.unary(K::kRelu, kT)
      .dense(16, testing::normal(256, 0.3, rng), testing::normal(16, 0.1, rng), kT, kT, kAcc, kT)
      .unary(K::kRelu, kT);
  const std::string r4 = b.last().name;
  b.merge(K::kAdd, {d1, r4}, kT)
      .dense(4, testing::normal(64, 0.3, rng), testing::normal(4, 0.1, rng), kT, kT, kAcc, kT)
      .unary(K::kRelu, kT);
  ir::Graph g = b.build();
  g.outputs.push_back(d1);
  return g;
}

// The buffer of each step is none of the buffers holding a value still to be read.
void expect_no_live_value_overwritten(const Program& program, const BufferAssignment& a) {
  const std::size_t n = program.steps.size();
  ASSERT_EQ(a.buffer_of.size(), n);
  std::vector<std::size_t> last(n);
  for (std::size_t s = 0; s < n; ++s) {
    last[s] = s;
    for (int in : program.steps[s].inputs) last[in] = std::max(last[in], s);
  }
  for (std::size_t s = 0; s < n; ++s) {
    EXPECT_GE(a.buffer_size.at(a.buffer_of[s]), program.steps[s].row_size);
    for (std::size_t p = 0; p < s; ++p) {
      if (last[p] >= s) {
        EXPECT_NE(a.buffer_of[p], a.buffer_of[s]) << "step " << s << " overwrites step " << p;
      }
    }
  }
}

TEST(Buffers, ReusedAfterTheLastReader) {
  std::mt19937_64 rng(1);
  Program program;
  build_program(skip_graph(rng), false, program);
  const BufferAssignment a = assign_buffers(program);
  expect_no_live_value_overwritten(program, a);
  // 8 steps; at most three values are live at once (d1 held for the merge, a relu and a dense).
  EXPECT_EQ(program.steps.size(), 8u);
  EXPECT_LE(a.buffer_size.size(), 3u);
  std::int64_t all_steps = 0;
  for (const ProgramStep& s : program.steps) all_steps += s.row_size;
  EXPECT_LT(a.values_per_row(), all_steps);
}

TEST(Buffers, BudgetDoesNotChangeResults) {
  std::mt19937_64 rng(2);
  const Emulator em(skip_graph(rng));
  const std::vector<Array> in = {testing::batch(700, {8}, testing::normal(5600, 2, rng))};
  const RunResult reference = em.run(in, {.trace = true, .threads = 1});
  for (int threads : {1, 3}) {
    for (std::int64_t budget :
         std::initializer_list<std::int64_t>{1, 3000, 100000, kDefaultMemoryBudgetBytes}) {
      const RunResult r =
          em.run(in, {.trace = true, .threads = threads, .memory_budget_bytes = budget});
      ASSERT_EQ(r.outputs.size(), 2u);
      for (std::size_t o = 0; o < r.outputs.size(); ++o) {
        EXPECT_EQ(r.outputs[o].data, reference.outputs[o].data) << budget << " " << threads;
      }
      for (std::size_t l = 0; l < r.trace.size(); ++l) {
        EXPECT_EQ(r.trace[l].second.data, reference.trace[l].second.data) << r.trace[l].first;
      }
      for (std::size_t l = 0; l < r.overflows.size(); ++l) {
        EXPECT_EQ(r.overflows[l].result_overflows, reference.overflows[l].result_overflows);
        EXPECT_EQ(r.overflows[l].accum_overflows, reference.overflows[l].accum_overflows);
      }
    }
  }
  // The outputs are the trace's layers: the last relu and d1.
  EXPECT_EQ(reference.outputs[0].data, reference.trace.back().second.data);
  EXPECT_EQ(reference.outputs[1].data, reference.trace[1].second.data);
}

TEST(Buffers, PeakBytesStayWithinTheBudget) {
  std::mt19937_64 rng(3);
  Program program;
  build_program(skip_graph(rng), false, program);
  const std::int64_t row_bytes = assign_buffers(program).values_per_row() * 8;
  const std::int64_t batch = 5000;
  for (int threads : {1, 2, 4}) {
    const std::int64_t one_row = row_bytes * threads;
    for (std::int64_t budget : std::initializer_list<std::int64_t>{
             one_row, one_row + 1, 7 * one_row + 5, 64 * one_row, kDefaultMemoryBudgetBytes}) {
      const RunOptions options{.threads = threads, .memory_budget_bytes = budget};
      const std::int64_t peak = peak_buffer_bytes(program, batch, options);
      EXPECT_LE(peak, budget) << threads << " threads, budget " << budget;
      // As many rows as fit: one more would not (unless already at the 64-row maximum).
      if (peak < 64 * one_row) {
        EXPECT_GT(peak + one_row, budget) << budget;
      }
    }
    // The default: 64 rows per block, far below 256 MiB.
    EXPECT_EQ(peak_buffer_bytes(program, batch, {.threads = threads}), 64 * one_row);
    // Below one row per block the run still goes on, one row at a time, over budget.
    EXPECT_EQ(peak_buffer_bytes(program, batch, {.threads = threads, .memory_budget_bytes = 1}),
              one_row);
  }
  // A small batch allocates only its rows.
  EXPECT_EQ(peak_buffer_bytes(program, 3, {.threads = 1}), 3 * row_bytes);
}

TEST(Buffers, WideRowsGoInCacheSizedBlocks) {
  // 1 MiB per thread where a row allows: 64 rows of 1,000 codes (512 KiB), 13 of 10,000
  // (80,000 bytes each), and one row of 200,000 (1.6 MB, over it) whatever the budget.
  BufferAssignment b;
  b.buffer_size = {1000};
  EXPECT_EQ(block_rows(b, 1000, {.threads = 1}), 64);
  b.buffer_size = {4000, 6000};
  EXPECT_EQ(block_rows(b, 1000, {.threads = 1}), 13);
  EXPECT_EQ(block_rows(b, 1000, {.threads = 2}), 13);  // per thread
  EXPECT_EQ(block_rows(b, 1000, {.threads = 1, .memory_budget_bytes = 3 * 80000}), 3);
  b.buffer_size = {200000};
  EXPECT_EQ(block_rows(b, 1000, {.threads = 1}), 1);
}

}  // namespace
}  // namespace nnfpga::emulate
