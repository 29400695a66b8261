#include "arith/value_ranges.hpp"

#include <algorithm>
#include <utility>

#include "nnfpga/error.hpp"

namespace nnfpga::arith {
namespace {

// A source as sum_k coef_k * x[input_k], sorted by input, without zero coefficients.
using LinearForm = std::vector<std::pair<int, __int128>>;

[[noreturn]] void too_wide() {
  throw Error(ErrorKind::kUnsupported,
              "a value of the constant multiplication does not fit in 127 bits; narrow the "
              "layer's input or weight types");
}

__int128 checked_mul(__int128 a, __int128 b) {
  __int128 r = 0;
  if (__builtin_mul_overflow(a, b, &r)) too_wide();
  return r;
}

__int128 checked_add(__int128 a, __int128 b) {
  __int128 r = 0;
  if (__builtin_add_overflow(a, b, &r)) too_wide();
  return r;
}

__int128 term_factor(const Term& t) {
  if (t.shift < 0 || t.shift > 125) too_wide();
  const __int128 f = static_cast<__int128>(1) << t.shift;
  return t.negate ? -f : f;
}

LinearForm combine(const LinearForm& a, __int128 fa, const LinearForm& b, __int128 fb) {
  LinearForm out;
  out.reserve(a.size() + b.size());
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    const bool take_a = j == b.size() || (i < a.size() && a[i].first <= b[j].first);
    const bool take_b = i == a.size() || (j < b.size() && b[j].first <= a[i].first);
    const int input = take_a ? a[i].first : b[j].first;
    __int128 c = 0;
    if (take_a) c = checked_add(c, checked_mul(a[i++].second, fa));
    if (take_b) c = checked_add(c, checked_mul(b[j++].second, fb));
    if (c != 0) out.emplace_back(input, c);  // x - x cancels: the range must not count it
  }
  return out;
}

IntRange form_range(const LinearForm& form, std::span<const IntRange> inputs) {
  IntRange r;
  for (const auto& [input, c] : form) {
    const IntRange& x = inputs[static_cast<size_t>(input)];
    r.lo = checked_add(r.lo, checked_mul(c, c > 0 ? x.lo : x.hi));
    r.hi = checked_add(r.hi, checked_mul(c, c > 0 ? x.hi : x.lo));
  }
  return r;
}

int bit_length(unsigned __int128 m) {
  int n = 0;
  for (; m != 0; m >>= 1) ++n;
  return n;
}

}  // namespace

int bits_for(IntRange r) {
  if (r.lo >= 0) return bit_length(static_cast<unsigned __int128>(r.hi));
  // Signed: the sign bit plus the magnitude bits of the larger of hi and -lo - 1 (= ~lo).
  return 1 + bit_length(static_cast<unsigned __int128>(std::max(~r.lo, r.hi)));
}

IntRange term_range(const Term& t, IntRange r) {
  const __int128 f = term_factor(t);
  const __int128 a = checked_mul(r.lo, f), b = checked_mul(r.hi, f);
  return {std::min(a, b), std::max(a, b)};
}

GraphRanges value_ranges(const AdderGraph& graph, std::span<const IntRange> input_ranges) {
  if (static_cast<int>(input_ranges.size()) != graph.n_inputs) {
    throw Error(ErrorKind::kInternal, "value_ranges called with the wrong number of input ranges");
  }
  std::vector<LinearForm> forms;
  forms.reserve(static_cast<size_t>(graph.n_inputs) + graph.adders.size());
  for (int i = 0; i < graph.n_inputs; ++i) {
    forms.push_back(input_ranges[static_cast<size_t>(i)] == IntRange{}
                        ? LinearForm{}
                        : LinearForm{{i, static_cast<__int128>(1)}});
  }
  for (const Adder& add : graph.adders) {
    forms.push_back(combine(forms.at(static_cast<size_t>(add.a.source)), term_factor(add.a),
                            forms.at(static_cast<size_t>(add.b.source)), term_factor(add.b)));
  }
  GraphRanges out;
  out.sources.reserve(forms.size());
  for (const LinearForm& f : forms) out.sources.push_back(form_range(f, input_ranges));
  for (const auto& o : graph.outputs) {
    out.outputs.push_back(o ? term_range(*o, out.sources.at(static_cast<size_t>(o->source)))
                            : IntRange{});
  }
  return out;
}

long long adder_bits(const AdderGraph& graph, std::span<const IntRange> input_ranges) {
  const GraphRanges r = value_ranges(graph, input_ranges);
  long long bits = 0;
  for (size_t k = 0; k < graph.adders.size(); ++k) {
    bits += bits_for(r.sources[static_cast<size_t>(graph.n_inputs) + k]);
  }
  return bits;
}

}  // namespace nnfpga::arith
