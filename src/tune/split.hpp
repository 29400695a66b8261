// The search/holdout split: a seeded shuffle of the samples, the holdout part never seen by the
// calibration or the search.
#pragma once

#include <cstdint>

#include "tune/tune.hpp"

namespace nnfpga::tune {

struct Split {
  Dataset search;
  Dataset holdout;
};

// Throws nnfpga::Error (kInput) when the inputs disagree on the sample count, the labels do not
// match it, or either part would be empty (fewer than 2 samples, or a fraction outside (0, 1)).
Split split_dataset(const Dataset& data, double holdout_fraction, std::uint64_t seed);

}  // namespace nnfpga::tune
