#include "arith/csd.hpp"

namespace nnfpga::arith {

std::vector<SignedDigit> csd_digits(std::int64_t value) {
  // Work in 128 bits so that INT64_MIN and the carry out of the top digit are exact.
  __int128 v = value;
  std::vector<SignedDigit> digits;
  for (int shift = 0; v != 0; ++shift, v >>= 1) {
    if ((v & 1) == 0) continue;
    // v mod 4 == 3 takes digit -1 (v + 1 is then divisible by 4: the run of ones collapses).
    const bool negative = (v & 3) == 3;
    digits.push_back({.shift = shift, .negative = negative});
    v += negative ? 1 : -1;
  }
  return digits;
}

}  // namespace nnfpga::arith
