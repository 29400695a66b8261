#include "backend/test_inputs.hpp"

#include <cmath>
#include <random>

#include "fixed/exact.hpp"
#include "ir/geometry.hpp"

namespace nnfpga::backend {
namespace {

constexpr int kWithWeightSigns = 12;    // percent of samples
constexpr int kAgainstWeightSigns = 8;  // percent of samples

// One value of the corner mix.
double corner_value(std::mt19937_64& rng, int frac, double lo, double hi) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double step = std::ldexp(1.0, -frac);
  const double span = hi - lo;
  const double r = unit(rng);
  const double grid = std::floor((lo + unit(rng) * span) / step) * step;
  if (r < 0.40) return lo + unit(rng) * span;
  if (r < 0.55) return lo - span / 2 + unit(rng) * span * 2;
  if (r < 0.70) return grid + step / 2;
  if (r < 0.80) return std::nextafter(grid + step / 2, unit(rng) < 0.5 ? -1e300 : 1e300);
  if (r < 0.90) return grid;
  const double edges[] = {lo, hi, lo - step, hi + step, 0.0, -step, step};
  return edges[static_cast<std::size_t>(unit(rng) * 7) % 7];
}

// For each output of each Dense fed by `input` as a whole: whether each input element's weight
// is non-negative. A sample at the bounds with these signs drives that accumulator to its top.
std::vector<std::vector<bool>> weight_signs(const ir::Graph& graph, const ir::Node& input) {
  const std::int64_t count = ir::element_count(input.output_shape);
  std::vector<std::vector<bool>> patterns;
  for (const ir::Node* c : graph.consumers(input.name)) {
    if (c->op != ir::OpKind::kDense || c->qparams.count("weight") == 0) continue;
    const ir::DenseGeometry g = ir::dense_geometry(*c);
    if (g.n_in * g.positions != count) continue;
    const std::vector<std::int64_t>& w = c->qparam("weight").mantissa;
    for (std::int64_t j = 0; j < g.n_out; ++j) {
      std::vector<bool> signs;
      for (std::int64_t e = 0; e < count; ++e)
        signs.push_back(w.at((e % g.n_in) * g.n_out + j) >= 0);
      patterns.push_back(std::move(signs));
    }
  }
  return patterns;
}

}  // namespace

std::vector<double> corner_values(std::int64_t samples, std::int64_t width, int frac, double lo,
                                  double hi, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> out(static_cast<std::size_t>(samples * width));
  for (double& v : out) v = corner_value(rng, frac, lo, hi);
  return out;
}

std::vector<emulate::Array> test_inputs(const ir::Graph& graph, std::int64_t samples,
                                        std::uint64_t seed) {
  std::vector<emulate::Array> arrays;
  for (std::size_t k = 0; k < graph.inputs.size(); ++k) {
    const ir::Node& node = graph.at(graph.inputs[k]);
    const fixed::FixedType& t = node.type("result");
    const double lo = fixed::to_double(fixed::min_mantissa(t), t.frac());
    const double hi = fixed::to_double(fixed::max_mantissa(t), t.frac());
    const std::int64_t width = ir::element_count(node.output_shape);
    const std::vector<std::vector<bool>> signs = weight_signs(graph, node);
    std::mt19937_64 rng(seed + k);
    std::uniform_int_distribution<int> percent(0, 99);
    emulate::Array a;
    a.shape.push_back(samples);
    a.shape.insert(a.shape.end(), node.output_shape.begin(), node.output_shape.end());
    a.data.reserve(static_cast<std::size_t>(samples * width));
    for (std::int64_t s = 0; s < samples; ++s) {
      const int mode = percent(rng);
      if (!signs.empty() && mode < kWithWeightSigns + kAgainstWeightSigns) {
        const std::vector<bool>& pattern = signs[rng() % signs.size()];
        const bool with = mode < kWithWeightSigns;
        for (std::int64_t e = 0; e < width; ++e) a.data.push_back(pattern[e] == with ? hi : lo);
        continue;
      }
      for (std::int64_t e = 0; e < width; ++e)
        a.data.push_back(corner_value(rng, t.frac(), lo, hi));
    }
    arrays.push_back(std::move(a));
  }
  return arrays;
}

std::vector<std::int64_t> input_codes(const std::vector<double>& values,
                                      const fixed::FixedType& type) {
  std::vector<std::int64_t> codes;
  codes.reserve(values.size());
  for (double v : values) {
    codes.push_back(static_cast<std::int64_t>(
        fixed::mantissa_value(fixed::cast_double(v, type).mantissa, type)));
  }
  return codes;
}

}  // namespace nnfpga::backend
