// Accuracy, output errors and the objective.
#include "tune/quality.hpp"

#include <algorithm>
#include <cmath>

#include "nnfpga/error.hpp"

namespace nnfpga::tune {

Objective parse_objective(const std::string& text) {
  if (text == "lut") return Objective::kLut;
  if (text == "dsp") return Objective::kDsp;
  if (text == "ff") return Objective::kFf;
  if (text == "bram") return Objective::kBram;
  if (text == "weighted") return Objective::kWeighted;
  throw Error(ErrorKind::kInput,
              "unknown objective '" + text + "': use lut, dsp, ff, bram or weighted");
}

std::string to_string(Objective objective) {
  switch (objective) {
    case Objective::kLut:
      return "lut";
    case Objective::kDsp:
      return "dsp";
    case Objective::kFf:
      return "ff";
    case Objective::kBram:
      return "bram";
    case Objective::kWeighted:
      return "weighted";
  }
  return "weighted";
}

double objective_value(const ObjectiveSpec& spec, const Resources& r) {
  switch (spec.kind) {
    case Objective::kLut:
      return static_cast<double>(r.lut);
    case Objective::kDsp:
      return static_cast<double>(r.dsp);
    case Objective::kFf:
      return static_cast<double>(r.ff);
    case Objective::kBram:
      return static_cast<double>(r.bram18);
    case Objective::kWeighted:
      break;
  }
  return static_cast<double>(r.lut) + spec.dsp_weight * static_cast<double>(r.dsp) +
         spec.bram_weight * static_cast<double>(r.bram18);
}

std::vector<std::int64_t> classes_of(const emulate::Array& outputs, double threshold) {
  const std::int64_t n = outputs.shape.empty() ? 0 : outputs.shape[0];
  const std::int64_t width = n == 0 ? 0 : static_cast<std::int64_t>(outputs.data.size()) / n;
  std::vector<std::int64_t> classes(n);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto row = outputs.data.begin() + i * width;
    classes[i] =
        width == 1 ? (row[0] >= threshold ? 1 : 0) : std::max_element(row, row + width) - row;
  }
  return classes;
}

double accuracy(const std::vector<std::int64_t>& classes, const std::vector<std::int64_t>& labels) {
  if (classes.empty()) return 0;
  std::int64_t hits = 0;
  for (std::size_t i = 0; i < classes.size(); ++i) hits += classes[i] == labels.at(i) ? 1 : 0;
  return static_cast<double>(hits) / static_cast<double>(classes.size());
}

double lost_fraction(const std::vector<std::int64_t>& reference,
                     const std::vector<std::int64_t>& classes,
                     const std::vector<std::int64_t>& labels) {
  if (classes.empty()) return 0;
  std::int64_t lost = 0;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    lost += reference[i] == labels[i] && classes[i] != labels[i] ? 1 : 0;
  }
  return static_cast<double>(lost) / static_cast<double>(classes.size());
}

double output_error(const std::vector<emulate::Array>& fixed,
                    const std::vector<emulate::Array>& reference, ErrorMeasure measure) {
  double worst = 0;
  double diff2 = 0;
  double ref2 = 0;
  for (std::size_t o = 0; o < fixed.size(); ++o) {
    const std::vector<double>& a = fixed[o].data;
    const std::vector<double>& b = reference.at(o).data;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const double d = a[i] - b[i];
      worst = std::max(worst, std::abs(d));
      diff2 += d * d;
      ref2 += b[i] * b[i];
    }
  }
  if (measure == ErrorMeasure::kAbsolute) return worst;
  return ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
}

}  // namespace nnfpga::tune
