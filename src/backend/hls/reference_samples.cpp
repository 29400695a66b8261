// Corner-case inputs and the emulator's outputs for them.
#include "backend/hls/reference_samples.hpp"

#include <charconv>

#include "backend/test_inputs.hpp"
#include "emulate/emulator.hpp"

namespace nnfpga::backend::hls {
namespace {

// Each value in the shortest decimal that reads back as the same double (std::to_chars): exact,
// and several times faster than printf's "%.17g", which was a third of writing a CNN's project.
std::string rows_text(const std::vector<double>& values, std::int64_t width) {
  std::string out;
  char number[40];
  for (std::size_t k = 0; k < values.size(); ++k) {
    const std::to_chars_result r = std::to_chars(number, number + sizeof number, values[k]);
    out.append(number, r.ptr);
    out += (static_cast<std::int64_t>(k) + 1) % width == 0 ? '\n' : ' ';
  }
  return out;
}

// Appends row `s` of every array (each `samples` rows) to `out`.
void append_row(const std::vector<emulate::Array>& arrays, std::int64_t samples, std::int64_t s,
                std::vector<double>& out) {
  for (const emulate::Array& a : arrays) {
    const std::int64_t w = static_cast<std::int64_t>(a.data.size()) / samples;
    out.insert(out.end(), a.data.begin() + s * w, a.data.begin() + (s + 1) * w);
  }
}

}  // namespace

std::string ReferenceSamples::inputs_text() const {
  return rows_text(inputs, input_width);
}

std::string ReferenceSamples::outputs_text() const {
  return rows_text(outputs, output_width);
}

std::vector<double> ReferenceSamples::output_row(std::int64_t sample) const {
  return {outputs.begin() + sample * output_width, outputs.begin() + (sample + 1) * output_width};
}

ReferenceSamples make_reference_samples(const ir::Graph& graph, std::int64_t samples,
                                        std::uint64_t seed) {
  const std::vector<emulate::Array> inputs = test_inputs(graph, samples, seed);
  ReferenceSamples ref;
  ref.samples = samples;
  for (const emulate::Array& a : inputs) {
    ref.input_width += static_cast<std::int64_t>(a.data.size()) / samples;
  }
  const emulate::RunResult result = emulate::Emulator(graph).run(inputs);
  for (const emulate::Array& o : result.outputs) {
    ref.output_width += static_cast<std::int64_t>(o.data.size()) / samples;
  }
  for (std::int64_t s = 0; s < samples; ++s) {
    append_row(inputs, samples, s, ref.inputs);
    append_row(result.outputs, samples, s, ref.outputs);
  }
  return ref;
}

}  // namespace nnfpga::backend::hls
