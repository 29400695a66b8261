// This CPU's integer multiply-accumulate roofline, measured: the benchmarks print their achieved
// rate against it.
#pragma once

#include <string>

namespace nnfpga::bench {

struct Roofline {
  double gmac_per_cpu_second = 0;  // 16-bit multiply-accumulates, 10^9 per CPU-second
  std::string instruction;         // what was timed, e.g. "vpmaddwd ymm"
};

// Times independent chains of pmaddwd + paddd (16 multiply-accumulates of 16-bit operands into
// 32-bit sums per AVX2 instruction pair, 8 with SSE2): the peak the emulator's convolution path
// can reach on one core. The best of `repeats` runs of 10^7 iterations, in thread CPU time.
Roofline measure_int16_roofline(int repeats = 5);

}  // namespace nnfpga::bench
