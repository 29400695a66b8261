// The hot loops of the convolution's 16-bit fast path (conv.cpp): a tiled integer matrix product
// over windows read in place from the sample's zero-padded image, with 16-bit operands multiplied
// and added in pairs into 32-bit sums (x86's pmaddwd: SSE2 on every x86-64, AVX2 where the CPU
// has it, chosen at run time; a scalar loop elsewhere). The register tiling is Dense's
// (dense_fast.cpp): a block of output positions against a tile of output columns, the weights
// loaded once per step and each input pair broadcast to the tile.
#pragma once

#include <cstdint>

namespace nnfpga::emulate {

// The weights of one window, [pairs][stride][2]: window value 2q and 2q+1 of pair q for output j
// at ((q * stride) + j) * 2 + {0, 1}; stride = outputs rounded up to kMaddLanes, padding zeros.
// A window is `segments` runs of 2 * segment_pairs contiguous values of the padded image, run s
// starting segment_offset[s] values after the output position's own offset.
struct MaddProblem {
  const std::int16_t* image = nullptr;  // the padded sample, readable up to one value past its end
  const std::int16_t* weight = nullptr;
  const std::int64_t* segment_offset = nullptr;  // [segments]
  std::int64_t segments = 0;
  std::int64_t segment_pairs = 0;
  const std::int64_t* position_offset = nullptr;  // [positions]
  std::int64_t positions = 0;
  std::int64_t stride = 0;
  std::int32_t* acc = nullptr;  // [positions][stride], written (not added to)
};

constexpr int kMaddLanes = 8;  // 32-bit sums per AVX2 vector; stride is a multiple of it

// The instruction sets the hot loop can use; kBest is the widest this CPU has.
enum class MaddIsa { kScalar, kSse2, kAvx2, kBest };

// acc[p][j] = sum over the window of position p of x * w[.][j], exact: the caller has proven that
// every operand is within int16 (never -32768) and every partial sum within int32.
void madd_conv(const MaddProblem& problem, MaddIsa isa);

// The instruction set kBest resolves to on this CPU (for tests and the benchmark's report).
MaddIsa best_madd_isa();
const char* madd_isa_name(MaddIsa isa);

}  // namespace nnfpga::emulate
