// CMVM optimizer benchmark (issue: Verilog backend). One run measures, side by side, on the four
// weight matrices of a 16->64->32->32->5 MLP with random 8-bit and 6-bit weights (fixed seed),
// inputs signed 8-bit:
//  - adders and adder bits of optimize_cmvm relative to the no-sharing CSD baseline, at the
//    minimal depth (slack 0) and unconstrained (slack -1), and the maximal adder depth of each;
//  - the CPU time to optimize the whole MLP (median of repeats) against the 2 s target.
// `--json FILE` also writes the matrices and the results, which bench/cmvm_vs_da4ml.py reads to
// run da4ml's solver on the same matrices.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "arith/cmvm.hpp"
#include "arith/value_ranges.hpp"
#include "nnfpga/error.hpp"

namespace {

namespace v = nnfpga::arith;

constexpr int kLayerSizes[] = {16, 64, 32, 32, 5};
constexpr int kSlacks[] = {0, -1};
constexpr double kTargetSeconds = 2.0;
const v::IntRange kInput{-128, 127};

// Median CPU seconds of this process over `repeats` runs of `work`: on a machine shared with
// builds, time given to other processes does not count.
double median_seconds(int repeats, const std::function<void()>& work) {
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

std::vector<v::ConstantMatrix> mlp_weights(int bits, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::int64_t half = std::int64_t{1} << (bits - 1);
  std::uniform_int_distribution<std::int64_t> dist(-half, half - 1);
  std::vector<v::ConstantMatrix> layers;
  for (size_t k = 0; k + 1 < std::size(kLayerSizes); ++k) {
    v::ConstantMatrix m(static_cast<size_t>(kLayerSizes[k]),
                        std::vector<std::int64_t>(static_cast<size_t>(kLayerSizes[k + 1])));
    for (auto& row : m)
      for (auto& w : row) w = dist(rng);
    layers.push_back(std::move(m));
  }
  return layers;
}

struct Figures {
  size_t adders = 0;
  long long bits = 0;
  int depth = 0;
};

Figures measure(const v::AdderGraph& g, size_t n_in) {
  const std::vector<v::IntRange> in(n_in, kInput);
  const auto depths = v::output_depths(g);
  return {g.adders.size(), v::adder_bits(g, in),
          depths.empty() ? 0 : *std::max_element(depths.begin(), depths.end())};
}

nlohmann::json run_width(int bits, const std::vector<v::ConstantMatrix>& layers) {
  nlohmann::json out = nlohmann::json::array();
  std::printf("%d-bit weights\n%-8s %6s %7s %6s | %5s %8s %8s %6s | %5s %8s %8s %6s\n", bits,
              "layer", "csd", "bits", "depth", "slack", "adders", "bits", "depth", "slack",
              "adders", "bits", "depth");
  for (const v::ConstantMatrix& m : layers) {
    const size_t n_in = m.size(), n_out = m.front().size();
    const Figures base = measure(v::csd_adder_graph(m), n_in);
    const std::string name = std::to_string(n_in) + "x" + std::to_string(n_out);
    std::printf("%-8s %6zu %7lld %6d", name.c_str(), base.adders, base.bits, base.depth);
    nlohmann::json entry{{"bits", bits},
                         {"matrix", m},
                         {"input_range", {-128, 127}},
                         {"csd", {{"adders", base.adders}, {"bits", base.bits}}}};
    for (int slack : kSlacks) {
      const v::CmvmOptions o{.input_ranges = std::vector<v::IntRange>(n_in, kInput),
                             .depth_slack = slack};
      v::AdderGraph g;
      const double seconds = median_seconds(3, [&] { g = v::optimize_cmvm(m, o); });
      const Figures f = measure(g, n_in);
      std::printf(" | %5d %8.3f %8.3f %6d", slack,
                  static_cast<double>(f.adders) / static_cast<double>(base.adders),
                  static_cast<double>(f.bits) / static_cast<double>(base.bits), f.depth);
      entry["ours"][std::to_string(slack)] = {
          {"adders", f.adders}, {"bits", f.bits}, {"depth", f.depth}, {"seconds", seconds}};
    }
    std::printf("\n");
    out.push_back(entry);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    nlohmann::json dump = nlohmann::json::array();
    std::printf(
        "optimize_cmvm on a 16->64->32->32->5 MLP, inputs int8; adders and bits are\n"
        "ratios to the CSD baseline (no sharing, minimal depth); depth = max adder depth\n");
    std::vector<std::vector<v::ConstantMatrix>> all;
    for (int bits : {8, 6}) {
      all.push_back(mlp_weights(bits, 20251125 + static_cast<std::uint64_t>(bits)));
      for (auto& e : run_width(bits, all.back())) dump.push_back(e);
    }
    for (int slack : kSlacks) {
      for (size_t w = 0; w < all.size(); ++w) {
        const double s = median_seconds(5, [&] {
          for (const auto& m : all[w]) {
            const v::CmvmOptions o{.input_ranges = std::vector<v::IntRange>(m.size(), kInput),
                                   .depth_slack = slack};
            if (v::optimize_cmvm(m, o).outputs.empty()) std::abort();
          }
        });
        std::printf(
            "whole MLP, %d-bit weights, slack %2d: %8.1f ms CPU (median of 5) = %.3f of the "
            "%.0f s target\n",
            w == 0 ? 8 : 6, slack, s * 1e3, s / kTargetSeconds, kTargetSeconds);
      }
    }
    if (argc > 2 && std::string(argv[1]) == "--json") std::ofstream(argv[2]) << dump.dump();
    return 0;
  } catch (const nnfpga::Error& e) {
    std::fprintf(stderr, "cmvm_bench: error: %s\n", e.what());
    return 2;
  }
}
