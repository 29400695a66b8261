// Corner-case inputs and the emulator's outputs for them.
#include "backend/hls/reference_samples.hpp"

#include <cmath>
#include <cstdio>
#include <random>

#include "emulate/emulator.hpp"
#include "fixed/exact.hpp"

namespace nnfpga::backend::hls {
namespace {

std::string rows_text(const std::vector<double>& values, std::int64_t width) {
  std::string out;
  char number[40];
  for (std::size_t k = 0; k < values.size(); ++k) {
    std::snprintf(number, sizeof number, "%.17g", values[k]);
    out += number;
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

std::vector<double> corner_inputs(std::int64_t samples, std::int64_t width, int frac, double lo,
                                  double hi, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double step = std::ldexp(1.0, -frac);
  const double span = hi - lo;
  std::vector<double> out(static_cast<std::size_t>(samples * width));
  for (double& v : out) {
    const double r = unit(rng);
    const double grid = std::floor((lo + unit(rng) * span) / step) * step;
    if (r < 0.40) {
      v = lo + unit(rng) * span;
    } else if (r < 0.55) {
      v = lo - span / 2 + unit(rng) * span * 2;
    } else if (r < 0.70) {
      v = grid + step / 2;
    } else if (r < 0.80) {
      v = std::nextafter(grid + step / 2, unit(rng) < 0.5 ? -1e300 : 1e300);
    } else if (r < 0.90) {
      v = grid;
    } else {
      const double edges[] = {lo, hi, lo - step, hi + step, 0.0, -step, step};
      v = edges[static_cast<std::size_t>(unit(rng) * 7) % 7];
    }
  }
  return out;
}

ReferenceSamples make_reference_samples(const ir::Graph& graph, std::int64_t samples,
                                        std::uint64_t seed) {
  std::vector<emulate::Array> inputs;
  ReferenceSamples ref;
  ref.samples = samples;
  for (std::size_t k = 0; k < graph.inputs.size(); ++k) {
    const ir::Node& node = graph.at(graph.inputs[k]);
    const fixed::FixedType& t = node.type("result");
    const double lo = fixed::to_double(fixed::min_mantissa(t), t.frac());
    const double hi = fixed::to_double(fixed::max_mantissa(t), t.frac());
    const std::int64_t width = ir::element_count(node.output_shape);
    emulate::Array a;
    a.shape.push_back(samples);
    a.shape.insert(a.shape.end(), node.output_shape.begin(), node.output_shape.end());
    a.data = corner_inputs(samples, width, t.frac(), lo, hi, seed + k);
    ref.input_width += width;
    inputs.push_back(std::move(a));
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
