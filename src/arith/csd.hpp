// Canonical signed digits: the representation of an integer with digits in {-1, 0, 1} and no two
// adjacent non-zero digits, which has the fewest non-zero digits of any signed-digit form
// (Reitwiesner, 1960). Each non-zero digit of a constant is one shifted term of a shift-and-add
// multiplication.
#pragma once

#include <cstdint>
#include <vector>

namespace nnfpga::arith {

struct SignedDigit {
  int shift = 0;  // the digit's weight is 2^shift
  bool negative = false;
};

// The non-zero digits of `value`, lowest weight first. Empty for 0.
std::vector<SignedDigit> csd_digits(std::int64_t value);

}  // namespace nnfpga::arith
