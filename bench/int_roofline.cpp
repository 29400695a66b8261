// Six independent accumulator chains keep pmaddwd's latency hidden behind its throughput; the
// empty asm statements stop the compiler from hoisting the (loop-invariant) products out.
#include "int_roofline.hpp"

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace nnfpga::bench {
namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

#if defined(__x86_64__)

__attribute__((target("avx2"), noinline)) std::int32_t chains_avx2(std::int64_t n) {
  __m256i w = _mm256_set1_epi16(5);
  __m256i x0 = _mm256_set1_epi16(1), x1 = _mm256_set1_epi16(2), x2 = _mm256_set1_epi16(3);
  __m256i x3 = _mm256_set1_epi16(4), x4 = _mm256_set1_epi16(6), x5 = _mm256_set1_epi16(7);
  __m256i a0 = w, a1 = w, a2 = w, a3 = w, a4 = w, a5 = w;
  for (std::int64_t i = 0; i < n; ++i) {
    __asm__ volatile("" : "+x"(x0), "+x"(x1), "+x"(x2), "+x"(x3), "+x"(x4), "+x"(x5), "+x"(w));
    a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(x0, w));
    a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(x1, w));
    a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(x2, w));
    a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(x3, w));
    a4 = _mm256_add_epi32(a4, _mm256_madd_epi16(x4, w));
    a5 = _mm256_add_epi32(a5, _mm256_madd_epi16(x5, w));
  }
  const __m256i s = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(a0, a1), a2),
                                     _mm256_add_epi32(_mm256_add_epi32(a3, a4), a5));
  return _mm256_extract_epi32(s, 0);
}

__attribute__((noinline)) std::int32_t chains_sse2(std::int64_t n) {
  __m128i w = _mm_set1_epi16(5);
  __m128i x0 = _mm_set1_epi16(1), x1 = _mm_set1_epi16(2), x2 = _mm_set1_epi16(3);
  __m128i x3 = _mm_set1_epi16(4), x4 = _mm_set1_epi16(6), x5 = _mm_set1_epi16(7);
  __m128i a0 = w, a1 = w, a2 = w, a3 = w, a4 = w, a5 = w;
  for (std::int64_t i = 0; i < n; ++i) {
    __asm__ volatile("" : "+x"(x0), "+x"(x1), "+x"(x2), "+x"(x3), "+x"(x4), "+x"(x5), "+x"(w));
    a0 = _mm_add_epi32(a0, _mm_madd_epi16(x0, w));
    a1 = _mm_add_epi32(a1, _mm_madd_epi16(x1, w));
    a2 = _mm_add_epi32(a2, _mm_madd_epi16(x2, w));
    a3 = _mm_add_epi32(a3, _mm_madd_epi16(x3, w));
    a4 = _mm_add_epi32(a4, _mm_madd_epi16(x4, w));
    a5 = _mm_add_epi32(a5, _mm_madd_epi16(x5, w));
  }
  const __m128i s = _mm_add_epi32(_mm_add_epi32(_mm_add_epi32(a0, a1), a2),
                                  _mm_add_epi32(_mm_add_epi32(a3, a4), a5));
  return _mm_cvtsi128_si32(s);
}

#endif

}  // namespace

Roofline measure_int16_roofline(int repeats) {
  Roofline r;
#if defined(__x86_64__)
  const bool avx2 = __builtin_cpu_supports("avx2");
  r.instruction = avx2 ? "vpmaddwd ymm + vpaddd" : "pmaddwd xmm + paddd";
  const double macs_per_iteration = 6.0 * (avx2 ? 16 : 8);
  constexpr std::int64_t kIterations = 10'000'000;
  std::vector<double> rates;
  volatile std::int32_t sink = 0;
  for (int k = 0; k < repeats; ++k) {
    const double start = thread_cpu_seconds();
    sink = sink + (avx2 ? chains_avx2(kIterations) : chains_sse2(kIterations));
    const double s = thread_cpu_seconds() - start;
    rates.push_back(static_cast<double>(kIterations) * macs_per_iteration / s / 1e9);
  }
  // A peak: the best run is the one least disturbed by other processes.
  r.gmac_per_cpu_second = *std::max_element(rates.begin(), rates.end());
#else
  (void)repeats;
  r.instruction = "not measured (not x86-64)";
#endif
  return r;
}

}  // namespace nnfpga::bench
