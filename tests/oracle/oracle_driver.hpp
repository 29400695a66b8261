// The non-template side of the differential test: target descriptions registered by the
// generated chunk files, and the driver that generates cases and compares them with src/fixed/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fixed/fixed_type.hpp"

namespace oracle {

using nnfpga::fixed::FixedType;
using nnfpga::fixed::i128;
using nnfpga::fixed::u128;

struct HeaderResult {
  u128 bits;
  int width;
  int integer;
  bool is_signed;
};

using CastFn = u128 (*)(u128 source_bits);
using DoubleFn = u128 (*)(double value);
using ArithFn = void (*)(u128 a_bits, u128 b_bits, HeaderResult out[3]);

struct SourceCase {
  FixedType type;  // modes unused: a source's modes do not affect assignment
  CastFn fn;
};

struct PartnerCase {
  FixedType type;
  ArithFn fn;
};

struct TargetCase {
  FixedType type;
  std::vector<SourceCase> sources;
  DoubleFn from_double;
  std::vector<PartnerCase> partners;
};

// Filled by the generated chunk files (one function per chunk).
void register_chunks(std::vector<TargetCase>& out);

}  // namespace oracle
