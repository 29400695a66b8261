// Inputs that exercise a model's fixed-point corners, and the emulator's outputs for them: what
// `nnfpga csim` compares against, and what a project's tb_data/ holds for the vendor's C
// simulation. Text is one sample per line, every input's (or output's) values in order, with 17
// significant digits (exact for values of up to 53 bits).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::backend::hls {

struct ReferenceSamples {
  std::int64_t samples = 0;
  std::int64_t input_width = 0;   // values per sample, all inputs
  std::int64_t output_width = 0;  // values per sample, all outputs
  std::vector<double> inputs;     // sample-major
  std::vector<double> outputs;    // sample-major, from the emulator
  std::string inputs_text() const;
  std::string outputs_text() const;
  std::vector<double> output_row(std::int64_t sample) const;
};

// `samples` samples for every input of the configured graph, from `seed` (backend::test_inputs),
// and the emulator's outputs for them.
ReferenceSamples make_reference_samples(const ir::Graph& graph, std::int64_t samples,
                                        std::uint64_t seed);

}  // namespace nnfpga::backend::hls
