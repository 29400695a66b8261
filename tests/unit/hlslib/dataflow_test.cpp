// hlslib/nnfpga/dataflow.h with nnfpga's bounded hls::stream: hand-written processes run as
// threads. A residual diamond (a clone, a path that looks D beats ahead, an add of the path and
// the bypass) runs at the depth src/schedule/ computes for its bypass FIFO and at the smallest
// deadlock-free depth D, and one beat less is a deadlock reported by name with exit status 1.
// Outside a region a stream keeps AMD's unbounded model (the MLP tops and testbenches).
#include <gtest/gtest.h>

#include <vector>

#include "../../../hlslib/nnfpga/dataflow.h"
#include "hls_stream.h"
#include "schedule/schedule.hpp"

namespace {

void clone_process(hls::stream<int>& in, hls::stream<int>& path, hls::stream<int>& bypass, int n) {
  for (int i = 0; i < n; ++i) {
    const int v = in.read();
    path.write(v);
    bypass.write(v);
  }
}

// Output o is x[o] + x[min(o + d, n - 1)]: it is written once beat min(o + d, n - 1) is read, as a
// line buffer holding d beats does.
void lookahead_process(hls::stream<int>& in, hls::stream<int>& out, int n, int d) {
  std::vector<int> seen;
  for (int o = 0; o < n; ++o) {
    const int last = std::min(o + d, n - 1);
    while (static_cast<int>(seen.size()) <= last) seen.push_back(in.read());
    out.write(seen[static_cast<std::size_t>(o)] + seen[static_cast<std::size_t>(last)]);
  }
}

void add_process(hls::stream<int>& a, hls::stream<int>& b, hls::stream<int>& out, int n) {
  for (int p = 0; p < n; ++p) {
    const int x = a.read();
    const int y = b.read();
    out.write(x + y);
  }
}

std::vector<int> run_diamond(const std::vector<int>& x, int d, std::size_t bypass_depth) {
  const int n = static_cast<int>(x.size());
  hls::stream<int> in("input"), out("output");
  for (int v : x) in.write(v);
  hls::stream<int> path("clone_to_lookahead"), bypass("clone_to_add"), lagged("lookahead_to_add");
  NNF_DATAFLOW_BEGIN
  NNF_STREAM_DEPTH(path, 2);
  NNF_STREAM_DEPTH(bypass, bypass_depth);
  NNF_STREAM_DEPTH(lagged, 2);
  NNF_PROCESS(clone_process(in, path, bypass, n));
  NNF_PROCESS(lookahead_process(path, lagged, n, d));
  NNF_PROCESS(add_process(lagged, bypass, out, n));
  NNF_DATAFLOW_END
  std::vector<int> y;
  while (!out.empty()) y.push_back(out.read());
  return y;
}

std::vector<int> expected(const std::vector<int>& x, int d) {
  const int n = static_cast<int>(x.size());
  std::vector<int> y;
  for (int o = 0; o < n; ++o) {
    y.push_back(2 * x[static_cast<std::size_t>(o)] +
                x[static_cast<std::size_t>(std::min(o + d, n - 1))]);
  }
  return y;
}

// The same diamond as src/schedule/ sees it; the bypass FIFO's computed depth.
std::int64_t computed_bypass_depth(int n, int d) {
  using nnfpga::schedule::kPort;
  nnfpga::schedule::Network net;
  net.streams = {{"input", kPort, 0, n},
                 {"clone_to_lookahead", 0, 1, n},
                 {"clone_to_add", 0, 2, n},
                 {"lookahead_to_add", 1, 2, n},
                 {"output", 2, kPort, n}};
  std::vector<std::int64_t> one(static_cast<std::size_t>(n)), ahead(static_cast<std::size_t>(n));
  for (int o = 0; o < n; ++o) {
    one[static_cast<std::size_t>(o)] = o + 1;
    ahead[static_cast<std::size_t>(o)] = std::min(o + d, n - 1) + 1;
  }
  net.processes = {{"clone", {0}, {1, 2}, n, {one}, 1, 1},
                   {"lookahead", {1}, {3}, n, {ahead}, 1, 1},
                   {"add", {3, 2}, {4}, n, {one, one}, 1, 1}};
  return nnfpga::schedule::compute_schedule(net).fifo_depth[2];
}

std::vector<int> samples(int n) {
  std::vector<int> x;
  for (int i = 0; i < n; ++i) x.push_back((i * 37) % 101 - 50);
  return x;
}

TEST(Dataflow, DiamondRunsAtTheComputedBypassDepth) {
  for (int d : {1, 5, 12}) {
    const std::vector<int> x = samples(40);
    const std::int64_t depth = computed_bypass_depth(40, d);
    EXPECT_GE(depth, d);
    EXPECT_EQ(run_diamond(x, d, static_cast<std::size_t>(depth)), expected(x, d)) << "d = " << d;
  }
}

TEST(Dataflow, DiamondRunsAtTheSmallestDeadlockFreeDepth) {
  // The clone writes beat d to the path before the bypass; the lookahead then writes output 0 and
  // the add frees a place in the bypass: a bypass of d beats is enough.
  const std::vector<int> x = samples(30);
  EXPECT_EQ(run_diamond(x, 6, 6), expected(x, 6));
}

TEST(DataflowDeathTest, BypassOneBeatTooShallowIsAReportedDeadlock) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const std::vector<int> x = samples(30);
  EXPECT_EXIT(run_diamond(x, 6, 5), ::testing::ExitedWithCode(1),
              "process '0: clone_process' waits to write FIFO 'clone_to_add' \\(full at depth "
              "5\\)");
}

TEST(Dataflow, OutsideARegionAStreamIsUnboundedAndAnEmptyReadWarns) {
  hls::stream<int> s("plain", 2);
  for (int i = 0; i < 5; ++i) s.write(i);  // no process thread: the depth does not bind
  EXPECT_EQ(s.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(s.read(), i);
  testing::internal::CaptureStderr();
  EXPECT_EQ(s.read(), 0);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("'plain' is read while empty"),
            std::string::npos);
}

}  // namespace
