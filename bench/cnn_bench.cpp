// The CNN benchmark (issue 16 item 7): the emulator on the 8-bit 32x32x3 CNN of
// bench/models/make_cnn_bench.py (6.4 million multiply-accumulates per image). One run measures:
//  - images per second on one thread (wall) and per CPU-second, and on all threads;
//  - the multiply-accumulates per second this achieves against the CPU's integer roofline,
//    measured here (bench/int_roofline.hpp);
//  - the time from the model file to a ready emulator (read, configure, build the program);
//  - bit-exactness: the fast path's outputs against the general path's (every cast done exactly
//    in the defined order) on the same images.
// Times are medians of repeats (CPU time too: on a shared machine it measures the per-core rate).
// `--tsv` prints the figures as `name<TAB>value` lines for bench/cnn_vs_hls4ml.py; `--layers`
// prints instead each layer's kernel time per image, to see where the time goes.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "api/model_io.hpp"
#include "emulate/conv_madd.hpp"
#include "emulate/emulator.hpp"
#include "emulate/program.hpp"
#include "int_roofline.hpp"
#include "nnfpga/error.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double median_seconds(int repeats, const std::function<void()>& work) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    work();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return median(times);
}

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
  return median(times);
}

// Multiply-accumulates per image of the graph's convolutions and Dense layers, padding included
// (the products a padded window element adds are still computed by the hardware and by us).
double macs_per_image(const nnfpga::ir::Graph& g) {
  double total = 0;
  for (const auto& n : g.nodes) {
    if (n.op != nnfpga::ir::OpKind::kConv2D && n.op != nnfpga::ir::OpKind::kConv1D &&
        n.op != nnfpga::ir::OpKind::kDense) {
      continue;
    }
    const auto& w = n.param("weight").shape;
    double window = 1;
    for (std::int64_t d : w) window *= static_cast<double>(d);  // n_in * filters
    double positions = 1;
    for (std::size_t k = 0; k + 1 < n.output_shape.size(); ++k) {
      positions *= static_cast<double>(n.output_shape[k]);
    }
    total += window * positions;
  }
  return total;
}

// Random images on the input type's grid (ap_ufixed<8,0>: k/256), as the hls4ml side reads them.
nnfpga::emulate::Array images(std::int64_t n, std::int64_t size, unsigned seed) {
  nnfpga::emulate::Array x{{n, 32, 32, 3}, std::vector<double>(static_cast<std::size_t>(n * size))};
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> code(0, 255);
  for (double& v : x.data) v = code(rng) / 256.0;
  return x;
}

// Where the time goes: each step's kernel timed alone on `rows` images (its inputs taken from a
// traced run), CPU microseconds per image, median of repeats, with the variant it runs.
void print_layers(const nnfpga::emulate::Program& program, const nnfpga::emulate::Array& x) {
  namespace emu = nnfpga::emulate;
  const std::int64_t rows = x.shape[0];
  const emu::RunResult traced = emu::execute(program, {x}, {.trace = true, .threads = 1});
  std::vector<std::vector<std::int64_t>> codes(program.steps.size());
  for (std::size_t s = 0; s < program.steps.size(); ++s) {
    const double scale = std::ldexp(1.0, program.steps[s].result_frac);
    for (double v : traced.trace[s].second.data) {
      codes[s].push_back(static_cast<std::int64_t>(std::llround(v * scale)));
    }
  }
  std::printf("%-16s %-10s %14s\n", "layer", "variant", "us per image");
  emu::Scratch scratch;
  double total = 0;
  for (std::size_t s = 0; s < program.steps.size(); ++s) {
    const emu::ProgramStep& step = program.steps[s];
    emu::Counters counters;
    std::vector<std::int64_t> out(static_cast<std::size_t>(rows * step.row_size));
    emu::KernelArgs a;
    for (int in : step.inputs) a.inputs.push_back(codes[static_cast<std::size_t>(in)].data());
    a.raw = step.graph_input >= 0 ? x.data.data() : nullptr;
    a.rows = rows;
    a.output = out.data();
    a.counters = &counters;
    a.scratch = &scratch;
    const double us = median_cpu_seconds(5, [&] { step.kernel->run(a); }) * 1e6 / rows;
    total += us;
    std::printf("%-16s %-10s %14.1f\n", step.node->name.c_str(), step.kernel->variant(), us);
  }
  std::printf("%-16s %-10s %14.1f\n", "all kernels", "", total);
}

}  // namespace

int main(int argc, char** argv) {
  bool tsv = false, layers = false;
  std::vector<std::string> paths;
  for (int k = 1; k < argc; ++k) {
    if (std::strcmp(argv[k], "--tsv") == 0) {
      tsv = true;
    } else if (std::strcmp(argv[k], "--layers") == 0) {
      layers = true;
    } else {
      paths.emplace_back(argv[k]);
    }
  }
  const std::string model = paths.size() > 0 ? paths[0] : NNFPGA_CNN_MODEL;
  const std::string config = paths.size() > 1 ? paths[1] : NNFPGA_CNN_CONFIG;
  constexpr std::int64_t kBatch = 1000;
  constexpr std::int64_t kExactImages = 16;
  constexpr double kTargetPerCore = 2000;  // images per second per core
  constexpr double kTargetLoadMs = 50.0;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  namespace emu = nnfpga::emulate;

  try {
    nnfpga::ir::Graph graph;
    const double load_s = median_seconds(15, [&] {
      graph = nnfpga::load_model(model, {config}, {});
      emu::Emulator ready(graph);
    });
    const emu::Emulator fast(graph);
    const double macs = macs_per_image(graph);
    if (layers) {
      emu::Program program;
      emu::build_program(graph, false, program);
      print_layers(program, images(64, 32 * 32 * 3, 7));
      return 0;
    }

    const std::vector<emu::Array> inputs{images(kBatch, 32 * 32 * 3, 1234)};
    emu::RunOptions one;
    one.threads = 1;
    emu::RunOptions all;
    all.threads = cores;
    auto check = [](const emu::RunResult& r) {
      if (r.outputs.front().data.empty()) std::abort();
    };
    const double wall_1 = median_seconds(5, [&] { check(fast.run(inputs, one)); });
    const double cpu_1 = median_cpu_seconds(5, [&] { check(fast.run(inputs, one)); });
    const double wall_all = median_seconds(5, [&] { check(fast.run(inputs, all)); });
    const double rate_1 = kBatch / wall_1, rate_cpu = kBatch / cpu_1;
    const double rate_all = kBatch / wall_all;

    // The general path: every product and sum cast in the defined order, no fast kernel.
    const std::vector<emu::Array> few{images(kExactImages, 32 * 32 * 3, 99)};
    emu::Program general;
    emu::build_program(graph, /*general=*/true, general);
    const emu::RunResult want = emu::execute(general, few, one);
    const emu::RunResult got = fast.run(few, one);
    std::int64_t differ = 0;
    for (std::size_t k = 0; k < want.outputs[0].data.size(); ++k) {
      differ += want.outputs[0].data[k] != got.outputs[0].data[k];
    }
    const auto values = static_cast<std::int64_t>(want.outputs[0].data.size());

    const nnfpga::bench::Roofline roof = nnfpga::bench::measure_int16_roofline();
    const double gmac = rate_cpu * macs / 1e9;

    if (tsv) {
      std::printf("images_per_s_1_thread\t%.3f\nimages_per_cpu_s\t%.3f\n", rate_1, rate_cpu);
      std::printf("images_per_s_all_threads\t%.3f\nmacs_per_image\t%.0f\n", rate_all, macs);
      std::printf("roofline_gmac_s\t%.3f\nload_ms\t%.3f\n", roof.gmac_per_cpu_second, load_s * 1e3);
      std::printf("fast_vs_general_differ\t%lld\n", static_cast<long long>(differ));
      return differ == 0 ? 0 : 1;
    }
    std::printf("nnfpga CNN benchmark: %s, batch %lld, %.0f MAC/image, %d cores, conv path %s\n",
                model.c_str(), static_cast<long long>(kBatch), macs, cores,
                emu::madd_isa_name(emu::MaddIsa::kBest));
    std::printf("%-44s %12s %10s %7s\n", "measure", "value", "target", "ratio");
    std::printf("%-44s %12.0f %10.0f %7.2f\n", "images/s, 1 thread", rate_1, kTargetPerCore,
                rate_1 / kTargetPerCore);
    std::printf("%-44s %12.0f %10.0f %7.2f\n", "images per CPU-second", rate_cpu, kTargetPerCore,
                rate_cpu / kTargetPerCore);
    std::printf("%-44s %12.0f %10s %7s\n", "images/s/core, all threads", rate_all / cores, "", "");
    std::printf("%-44s %12.2f %10s %7s\n", "GMAC per CPU-second", gmac, "", "");
    std::printf("%-44s %12.2f %10s %7s\n",
                ("roofline GMAC/CPU-s (" + roof.instruction + ")").c_str(),
                roof.gmac_per_cpu_second, "", "");
    std::printf("%-44s %11.1f%% %10s %7s\n", "share of the roofline",
                100 * gmac / roof.gmac_per_cpu_second, "", "");
    std::printf("%-44s %12.2f %10.1f %7.2f\n", "model file to ready emulator, ms", load_s * 1e3,
                kTargetLoadMs, load_s * 1e3 / kTargetLoadMs);
    std::printf("fast path vs general path on %lld images: %lld of %lld outputs differ\n",
                static_cast<long long>(kExactImages), static_cast<long long>(differ),
                static_cast<long long>(values));
    const bool ok = rate_cpu >= kTargetPerCore && load_s * 1e3 <= kTargetLoadMs && differ == 0;
    std::printf("targets %s\n", ok ? "met" : "NOT met");
    return differ == 0 ? 0 : 1;
  } catch (const nnfpga::Error& e) {
    std::fprintf(stderr, "cnn_bench: error: %s\n", e.what());
    return 2;
  }
}
