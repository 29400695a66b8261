// The target types the fast paths are held to cast() on: every Q x O pair (AP_WRAP_SM signed
// only), both signs, each width given, `reps` types of random integer bits each, the last of them
// with random saturated bits N when the overflow mode takes them (AP_WRAP, AP_WRAP_SM).
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>

#include "../split_mix.hpp"
#include "fixed/fixed_type.hpp"

namespace nnfpga::fixed {

// check(to) for each type; the integer bits lie within `margin` of [0, width]. Stops at the first
// fatal failure, as the check's ASSERTs would stop a loop written in the test.
template <class Check>
void for_random_types(testing::SplitMix64& rng, std::initializer_list<int> widths, int reps,
                      int margin, Check check) {
  for (int q = 0; q < 7; ++q) {
    for (int o = 0; o < 5; ++o) {
      for (bool s : {true, false}) {
        const auto overflow = static_cast<Overflow>(o);
        if (!s && overflow == Overflow::kWrapSm) continue;
        for (int w : widths) {
          for (int rep = 0; rep < reps; ++rep) {
            FixedType to = make_fixed(w, rng.between(-margin, w + margin), s,
                                      static_cast<Quantization>(q), overflow);
            const bool takes_n = overflow == Overflow::kWrap || overflow == Overflow::kWrapSm;
            if (rep == reps - 1 && takes_n) to.sat_bits = rng.between(1, w);
            check(to);
            if (::testing::Test::HasFatalFailure()) return;
          }
        }
      }
    }
  }
}

}  // namespace nnfpga::fixed
