// Emulator benchmark (issue: core). One run measures, side by side:
//  - fixed-point predict throughput on the 16->64->32->32->5 ReLU MLP at ap_fixed<16,6>, batch
//    10,000, on one thread and on all threads, and the float path on one thread;
//  - time from the ONNX file to a model ready to emulate (read, canonicalize, configure, plan).
// Every figure is the median of several repeats, printed beside its target and as ratios, since
// absolute times on a shared machine are noisy.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "api/model_io.hpp"
#include "emulate/emulator.hpp"
#include "nnfpga/error.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double median_seconds(int repeats, const std::function<void()>& work) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    work();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// Seconds of CPU time this process used while running `work` (median of repeats): on a shared
// machine, time taken by other processes does not count, so this measures the per-core rate.
double median_cpu_seconds(int repeats, const std::function<void()>& work) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    timespec a{}, b{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    work();
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    times.push_back(static_cast<double>(b.tv_sec - a.tv_sec) +
                    1e-9 * static_cast<double>(b.tv_nsec - a.tv_nsec));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string model = argc > 1 ? argv[1] : NNFPGA_BENCH_MODEL;
  constexpr std::int64_t kBatch = 10000;
  constexpr double kTargetPerCore = 1e6;  // inferences per second per core
  constexpr double kTargetLoadMs = 50.0;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  try {
    nnfpga::config::Tree cfg;
    cfg["Model"]["Precision"] = "ap_fixed<16,6>";

    nnfpga::ir::Graph graph;
    const double load_s = median_seconds(15, [&] {
      graph = nnfpga::load_configured(model, cfg);
      nnfpga::emulate::Emulator ready(graph);
    });
    nnfpga::emulate::Emulator emu(graph);

    const auto& input = graph.at(graph.inputs.front());
    const std::int64_t width = nnfpga::ir::element_count(input.output_shape);
    nnfpga::emulate::Array x{{kBatch, width}, std::vector<double>(kBatch * width)};
    std::mt19937_64 rng(1234);
    std::normal_distribution<double> dist(0.0, 2.0);
    for (double& v : x.data) v = dist(rng);

    const std::vector<nnfpga::emulate::Array> inputs{x};  // built once, as a caller holds them
    auto rate = [&](int threads, bool fixed_point) {
      nnfpga::emulate::RunOptions opts;
      opts.threads = threads;
      const double s = median_seconds(7, [&] {
        auto r = fixed_point ? emu.run(inputs, opts) : emu.run_float(inputs, opts);
        if (r.outputs.front().data.empty()) std::abort();
      });
      return kBatch / s;
    };
    const double fixed_1 = rate(1, true);
    nnfpga::emulate::RunOptions one_thread;
    one_thread.threads = 1;
    const double fixed_cpu = kBatch / median_cpu_seconds(7, [&] {
                               if (emu.run(inputs, one_thread).outputs.front().data.empty()) {
                                 std::abort();
                               }
                             });
    const double fixed_all = rate(cores, true);
    const double float_1 = rate(1, false);

    std::printf("nnfpga emulator benchmark: %s, batch %lld, ap_fixed<16,6>, %d cores\n",
                model.c_str(), static_cast<long long>(kBatch), cores);
    std::printf("%-40s %14s %14s %8s\n", "measure", "value", "target", "ratio");
    std::printf("%-40s %14.0f %14.0f %8.2f\n", "fixed-point inferences/s, 1 thread", fixed_1,
                kTargetPerCore, fixed_1 / kTargetPerCore);
    std::printf("%-40s %14.0f %14.0f %8.2f\n", "fixed-point inferences per CPU-second", fixed_cpu,
                kTargetPerCore, fixed_cpu / kTargetPerCore);
    std::printf("%-40s %14.0f %14.0f %8.2f\n", "fixed-point inferences/s/core, all threads",
                fixed_all / cores, kTargetPerCore, fixed_all / cores / kTargetPerCore);
    std::printf("%-40s %14.2f %14s %8s\n", "all threads / 1 thread", fixed_all / fixed_1, "", "");
    std::printf("%-40s %14.2f %14s %8s\n", "fixed-point / float path (1 thread)", fixed_1 / float_1,
                "", "");
    std::printf("%-40s %14.2f %14.1f %8.2f\n", "ONNX file to ready emulator, ms", load_s * 1e3,
                kTargetLoadMs, load_s * 1e3 / kTargetLoadMs);
    const bool ok = fixed_1 >= kTargetPerCore && load_s * 1e3 <= kTargetLoadMs;
    std::printf("targets %s\n", ok ? "met" : "NOT met");
    return 0;
  } catch (const nnfpga::Error& e) {
    std::fprintf(stderr, "emulator_bench: error: %s\n", e.what());
    return 2;
  }
}
