// The io_stream plan of a CNN (issue 17 items 3 and 5): the time from the model file to its
// dataflow plan with every FIFO depth computed and its estimate; each FIFO's depth beside the
// whole-tensor depth (H*W beats) hls4ml writes for every io_stream FIFO; the estimate against
// the part.
//
// Usage: stream_plan_bench [MODEL [CONFIG...]] [--set KEY=VALUE...]
//   default: bench/models/cnn_32x32x3.json with its .yml and IOType=io_stream. Extra --set
//   assignments (Part=xc7z020clg400-1, LayerName.conv4.ReuseFactor=64) apply after the files.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "api/model_io.hpp"
#include "estimate/estimate.hpp"
#include "nnfpga/error.hpp"
#include "plan/plan.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::string model = NNFPGA_CNN_MODEL;
  std::vector<std::string> configs;
  std::vector<std::string> sets = {"IOType=io_stream"};
};

Args parse(int argc, char** argv) {
  Args a;
  bool model_given = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--set") == 0 && i + 1 < argc) {
      a.sets.emplace_back(argv[++i]);
    } else if (!model_given) {
      a.model = argv[i];
      model_given = true;
    } else {
      a.configs.emplace_back(argv[i]);
    }
  }
  if (!model_given) a.configs = {NNFPGA_CNN_CONFIG};
  return a;
}

void print_fifos(const nnfpga::plan::Plan& plan) {
  std::int64_t ours = 0, whole = 0;
  std::printf("%-40s %8s %8s %10s\n", "FIFO", "beats", "depth", "hls4ml");
  for (const nnfpga::plan::EdgePlan& e : plan.edges) {
    if (e.fifo_depth == 0) continue;
    std::printf("%-40s %8lld %8lld %10lld\n", nnfpga::plan::edge_name(e).c_str(),
                static_cast<long long>(e.beats), static_cast<long long>(e.fifo_depth),
                static_cast<long long>(e.beats));
    ours += e.fifo_depth * e.beat_width;
    whole += e.beats * e.beat_width;
  }
  std::printf("FIFO values held: %lld computed, %lld with hls4ml's whole-tensor depths (%.1fx)\n",
              static_cast<long long>(ours), static_cast<long long>(whole),
              static_cast<double>(whole) / static_cast<double>(std::max<std::int64_t>(ours, 1)));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args a = parse(argc, argv);
    nnfpga::ir::Graph graph;
    nnfpga::plan::Plan plan;
    nnfpga::estimate::ModelEstimate estimate;
    std::vector<double> times;
    for (int r = 0; r < 5; ++r) {
      const auto start = Clock::now();
      graph = nnfpga::load_model(a.model, a.configs, a.sets);
      plan = nnfpga::plan::make_plan(graph);
      estimate = nnfpga::estimate::estimate_hls(graph, plan);
      times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    std::printf("model %s\n", a.model.c_str());
    std::printf(
        "file -> configured graph -> plan with FIFO depths -> estimate: %.1f ms (median "
        "of 5)\n",
        times[2]);
    const auto start = Clock::now();
    for (int r = 0; r < 20; ++r) plan = nnfpga::plan::make_plan(graph);
    std::printf("make_plan alone (schedule and FIFO depths included): %.2f ms\n\n",
                std::chrono::duration<double, std::milli>(Clock::now() - start).count() / 20);
    print_fifos(plan);
    std::printf("\n%s", nnfpga::estimate::format_table(estimate).c_str());
    return 0;
  } catch (const nnfpga::Error& e) {
    std::fprintf(stderr, "stream_plan_bench: %s\n", e.what());
    return 1;
  }
}
