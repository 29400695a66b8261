// The split is by whole samples across every input (and the labels), so that a sample's inputs
// stay together.
#include "tune/split.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>

#include "nnfpga/error.hpp"

namespace nnfpga::tune {
namespace {

emulate::Array take_rows(const emulate::Array& a, const std::vector<std::int64_t>& rows) {
  const std::int64_t n = a.shape.at(0);
  const std::size_t row = n == 0 ? 0 : a.data.size() / static_cast<std::size_t>(n);
  emulate::Array out;
  out.shape = a.shape;
  out.shape[0] = static_cast<std::int64_t>(rows.size());
  out.data.reserve(rows.size() * row);
  for (std::int64_t r : rows) {
    const auto first = a.data.begin() + static_cast<std::ptrdiff_t>(r * row);
    out.data.insert(out.data.end(), first, first + static_cast<std::ptrdiff_t>(row));
  }
  return out;
}

Dataset take(const Dataset& data, const std::vector<std::int64_t>& rows) {
  Dataset part;
  for (const emulate::Array& a : data.inputs) part.inputs.push_back(take_rows(a, rows));
  if (data.labels) {
    std::vector<std::int64_t> labels;
    for (std::int64_t r : rows) labels.push_back((*data.labels)[r]);
    part.labels = std::move(labels);
  }
  return part;
}

}  // namespace

Split split_dataset(const Dataset& data, double holdout_fraction, std::uint64_t seed) {
  if (data.inputs.empty() || data.inputs[0].shape.empty()) {
    throw Error(ErrorKind::kInput, "tune needs data: one array per model input, batch first");
  }
  const std::int64_t n = data.inputs[0].shape[0];
  for (const emulate::Array& a : data.inputs) {
    if (a.shape.empty() || a.shape[0] != n) {
      throw Error(ErrorKind::kInput, "the input arrays hold different numbers of samples");
    }
  }
  if (data.labels && static_cast<std::int64_t>(data.labels->size()) != n) {
    throw Error(ErrorKind::kInput, std::string("the labels hold ")
                                       .append(std::to_string(data.labels->size()))
                                       .append(" samples, the inputs ")
                                       .append(std::to_string(n)));
  }
  if (!(holdout_fraction > 0 && holdout_fraction < 1)) {
    throw Error(ErrorKind::kInput, "the holdout fraction must lie strictly between 0 and 1");
  }
  const auto held =
      static_cast<std::int64_t>(std::llround(static_cast<double>(n) * holdout_fraction));
  if (held < 1 || held >= n) {
    throw Error(ErrorKind::kInput,
                std::string("a holdout fraction of ")
                    .append(std::to_string(holdout_fraction))
                    .append(" of ")
                    .append(std::to_string(n))
                    .append(" samples leaves the search or the holdout part empty: give more "
                            "samples or another fraction"));
  }
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  // Fisher-Yates with the engine's raw output, so that the split is the same on every standard
  // library (std::shuffle's use of the engine is unspecified).
  for (std::int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(i + 1));
    std::swap(order[i], order[j]);
  }
  std::vector<std::int64_t> holdout(order.begin(), order.begin() + held);
  std::vector<std::int64_t> search(order.begin() + held, order.end());
  std::sort(holdout.begin(), holdout.end());
  std::sort(search.begin(), search.end());
  return {take(data, search), take(data, holdout)};
}

}  // namespace nnfpga::tune
