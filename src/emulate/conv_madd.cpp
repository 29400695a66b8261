// The instruction sets are chosen at run time, not at build time: the library is built for any
// x86-64 (no -march=native), SSE2 is part of x86-64 itself, and AVX2 code is compiled for its
// functions alone (the pragma below) and run only where the CPU reports it.
#include "emulate/conv_madd.hpp"

#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace nnfpga::emulate {
namespace {

// Two neighbouring 16-bit values as one 32-bit word, at any alignment.
inline std::int32_t load_pair(const std::int16_t* p) {
  std::int32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void madd_scalar(const MaddProblem& m) {
  for (std::int64_t p = 0; p < m.positions; ++p) {
    const std::int16_t* x = m.image + m.position_offset[p];
    for (std::int64_t j = 0; j < m.stride; ++j) {
      std::int32_t sum = 0;
      for (std::int64_t s = 0; s < m.segments; ++s) {
        const std::int16_t* xs = x + m.segment_offset[s];
        const std::int16_t* w = m.weight + (s * m.segment_pairs * m.stride + j) * 2;
        for (std::int64_t q = 0; q < m.segment_pairs; ++q, w += m.stride * 2) {
          sum += xs[2 * q] * w[0] + xs[2 * q + 1] * w[1];
        }
      }
      m.acc[p * m.stride + j] = sum;
    }
  }
}

// Positions in blocks of kRows, each block against the columns in groups of 2 * kLanes (one
// kLanes group where the stride leaves it): Dense's register tile.
template <int kLanes, void (*Tile2x4)(const MaddProblem&, std::int64_t, std::int64_t),
          void (*Tile1x4)(const MaddProblem&, std::int64_t, std::int64_t),
          void (*Tile2x1)(const MaddProblem&, std::int64_t, std::int64_t),
          void (*Tile1x1)(const MaddProblem&, std::int64_t, std::int64_t)>
void blocks(const MaddProblem& m) {
  std::int64_t p = 0;
  for (; p + 4 <= m.positions; p += 4) {
    std::int64_t j = 0;
    for (; j + 2 * kLanes <= m.stride; j += 2 * kLanes) Tile2x4(m, p, j);
    if (j < m.stride) Tile1x4(m, p, j);
  }
  for (; p < m.positions; ++p) {
    std::int64_t j = 0;
    for (; j + 2 * kLanes <= m.stride; j += 2 * kLanes) Tile2x1(m, p, j);
    if (j < m.stride) Tile1x1(m, p, j);
  }
}

#if defined(__x86_64__)

// kRows positions from p0 by kTiles vectors of 4 columns from j0, in registers over the window.
template <int kTiles, int kRows>
void tile_sse2(const MaddProblem& m, std::int64_t p0, std::int64_t j0) {
  __m128i sum[kRows][kTiles];
  for (auto& row : sum) {
    for (auto& v : row) v = _mm_setzero_si128();
  }
  for (std::int64_t s = 0; s < m.segments; ++s) {
    const std::int16_t* x[kRows];
    for (int r = 0; r < kRows; ++r)
      x[r] = m.image + m.position_offset[p0 + r] + m.segment_offset[s];
    const std::int16_t* w = m.weight + (s * m.segment_pairs * m.stride + j0) * 2;
    for (std::int64_t q = 0; q < m.segment_pairs; ++q, w += m.stride * 2) {
      __m128i wv[kTiles];
      for (int t = 0; t < kTiles; ++t) {
        wv[t] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 8 * t));
      }
      for (int r = 0; r < kRows; ++r) {
        const __m128i xv = _mm_set1_epi32(load_pair(x[r] + 2 * q));
        for (int t = 0; t < kTiles; ++t) {
          sum[r][t] = _mm_add_epi32(sum[r][t], _mm_madd_epi16(xv, wv[t]));
        }
      }
    }
  }
  for (int r = 0; r < kRows; ++r) {
    for (int t = 0; t < kTiles; ++t) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(m.acc + (p0 + r) * m.stride + j0 + 4 * t),
                       sum[r][t]);
    }
  }
}

void madd_sse2(const MaddProblem& m) {
  blocks<4, tile_sse2<2, 4>, tile_sse2<1, 4>, tile_sse2<2, 1>, tile_sse2<1, 1>>(m);
}

#pragma GCC push_options
#pragma GCC target("avx2")

template <int kTiles, int kRows>
void tile_avx2(const MaddProblem& m, std::int64_t p0, std::int64_t j0) {
  __m256i sum[kRows][kTiles];
  for (auto& row : sum) {
    for (auto& v : row) v = _mm256_setzero_si256();
  }
  for (std::int64_t s = 0; s < m.segments; ++s) {
    const std::int16_t* x[kRows];
    for (int r = 0; r < kRows; ++r)
      x[r] = m.image + m.position_offset[p0 + r] + m.segment_offset[s];
    const std::int16_t* w = m.weight + (s * m.segment_pairs * m.stride + j0) * 2;
    for (std::int64_t q = 0; q < m.segment_pairs; ++q, w += m.stride * 2) {
      __m256i wv[kTiles];
      for (int t = 0; t < kTiles; ++t) {
        wv[t] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 16 * t));
      }
      for (int r = 0; r < kRows; ++r) {
        const __m256i xv = _mm256_set1_epi32(load_pair(x[r] + 2 * q));
        for (int t = 0; t < kTiles; ++t) {
          sum[r][t] = _mm256_add_epi32(sum[r][t], _mm256_madd_epi16(xv, wv[t]));
        }
      }
    }
  }
  for (int r = 0; r < kRows; ++r) {
    for (int t = 0; t < kTiles; ++t) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(m.acc + (p0 + r) * m.stride + j0 + 8 * t),
                          sum[r][t]);
    }
  }
}

void madd_avx2(const MaddProblem& m) {
  blocks<8, tile_avx2<2, 4>, tile_avx2<1, 4>, tile_avx2<2, 1>, tile_avx2<1, 1>>(m);
}

#pragma GCC pop_options

#endif

}  // namespace

MaddIsa best_madd_isa() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx2") ? MaddIsa::kAvx2 : MaddIsa::kSse2;
#else
  return MaddIsa::kScalar;
#endif
}

const char* madd_isa_name(MaddIsa isa) {
  switch (isa) {
    case MaddIsa::kScalar:
      return "scalar";
    case MaddIsa::kSse2:
      return "sse2";
    case MaddIsa::kAvx2:
      return "avx2";
    case MaddIsa::kBest:
      return madd_isa_name(best_madd_isa());
  }
  return "?";
}

void madd_conv(const MaddProblem& problem, MaddIsa isa) {
  const MaddIsa best = best_madd_isa();
  // An instruction set the CPU lacks is never run: asking for it gets the best one there is.
  if (isa == MaddIsa::kBest || (isa == MaddIsa::kAvx2 && best != MaddIsa::kAvx2) ||
      (isa == MaddIsa::kSse2 && best == MaddIsa::kScalar)) {
    isa = best;
  }
  switch (isa) {
#if defined(__x86_64__)
    case MaddIsa::kAvx2:
      return madd_avx2(problem);
    case MaddIsa::kSse2:
      return madd_sse2(problem);
#else
    case MaddIsa::kAvx2:
    case MaddIsa::kSse2:
#endif
    case MaddIsa::kScalar:
    case MaddIsa::kBest:
      return madd_scalar(problem);
  }
}

}  // namespace nnfpga::emulate
