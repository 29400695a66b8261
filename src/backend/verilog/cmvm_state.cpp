#include "backend/verilog/cmvm_state.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "backend/verilog/csd.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog::cmvm {
namespace {

// Bits a value in [lo, hi] needs, as bits_for counts them, from the double estimate.
int width_estimate(double lo, double hi) {
  const double magnitude = lo < 0 ? std::max(-lo, hi + 1) : hi + 1;
  if (magnitude <= 1) return lo < 0 ? 1 : 0;
  // The least w with 2^w >= magnitude: magnitude = f * 2^e with f in [0.5, 1).
  int e = 0;
  const double f = std::frexp(magnitude, &e);
  return (f == 0.5 ? e - 1 : e) + (lo < 0 ? 1 : 0);
}

std::pair<double, double> term_bounds(const Term& t, const SourceInfo& s) {
  const double a = std::ldexp(s.lo, t.shift), b = std::ldexp(s.hi, t.shift);
  return t.negate ? std::pair{-b, -a} : std::pair{a, b};
}

// Depth bounds past this are no bound at all (and 2^bound must fit the Kraft sums).
constexpr int kMaxBoundedDepth = 60;

}  // namespace

CseState::CseState(const ConstantMatrix& m, const CmvmOptions& o)
    : n_inputs_(static_cast<int>(m.size())) {
  const size_t n_out = m.empty() ? 0 : m.front().size();
  for (const auto& row : m) {
    if (row.size() != n_out) throw Error(ErrorKind::kInput, "CMVM matrix rows differ in length");
  }
  if (!o.input_ranges.empty() && o.input_ranges.size() != m.size()) {
    throw Error(ErrorKind::kInput, "CMVM input ranges do not match the matrix's rows");
  }
  if (n_inputs_ >= kMaxSources / 2) throw Error(ErrorKind::kUnsupported, "CMVM matrix too large");
  for (size_t i = 0; i < m.size(); ++i) {
    const IntRange r = o.input_ranges.empty() ? IntRange{-128, 127} : o.input_ranges[i];
    sources_.push_back({.lo = static_cast<double>(r.lo), .hi = static_cast<double>(r.hi)});
  }
  const std::vector<int> minimal = minimal_output_depths(m);
  outputs_.resize(n_out);
  for (size_t j = 0; j < n_out; ++j) {
    const int bound = minimal[j] + o.depth_slack;
    outputs_[j].limited = o.depth_slack >= 0 && bound <= kMaxBoundedDepth;
    outputs_[j].budget = outputs_[j].limited ? std::int64_t{1} << bound : 0;
    for (size_t i = 0; i < m.size(); ++i) {
      for (const SignedDigit& d : csd_digits(m[i][j])) {
        add_term(static_cast<int>(j),
                 {.source = static_cast<int>(i), .shift = d.shift, .negate = d.negative});
      }
    }
  }
}

int CseState::pattern_count(std::uint64_t key) const {
  const auto it = patterns_.find(key);
  return it == patterns_.end() ? 0 : it->second.count;
}

std::vector<int> CseState::candidate_outputs(std::uint64_t key) {
  const auto it = patterns_.find(key);
  if (it == patterns_.end()) return {};
  std::vector<int>& outs = it->second.outputs;
  std::sort(outs.begin(), outs.end());
  outs.erase(std::unique(outs.begin(), outs.end()), outs.end());
  return outs;
}

int CseState::depth_of(const Pattern& p) const {
  return 1 + std::max(sources_[static_cast<size_t>(p.a)].depth,
                      sources_[static_cast<size_t>(p.b)].depth);
}

int CseState::width_of(const Pattern& p) const {
  const SourceInfo& a = sources_[static_cast<size_t>(p.a)];
  const auto [blo, bhi] =
      term_bounds({.source = p.b, .shift = p.shift, .negate = p.negate}, sources_[size_t(p.b)]);
  return width_estimate(a.lo + blo, a.hi + bhi);
}

std::vector<Occurrence> CseState::occurrences(int j, const Pattern& p) const {
  const OutputTerms& out = outputs_[static_cast<size_t>(j)];
  const int depth = depth_of(p);
  if (out.limited && depth > kMaxBoundedDepth) return {};
  // Every occurrence turns two terms into one a level deeper: the same change of the Kraft sum.
  const std::int64_t grow =
      out.limited ? (std::int64_t{1} << depth) -
                        (std::int64_t{1} << sources_[static_cast<size_t>(p.a)].depth) -
                        (std::int64_t{1} << sources_[static_cast<size_t>(p.b)].depth)
                  : 0;
  std::vector<size_t> lows;
  for (size_t k = 0; k < out.terms.size(); ++k)
    if (out.terms[k].source == p.a) lows.push_back(k);
  // Lowest shift first, so that overlapping occurrences of x + (x << d) are taken in a chain.
  std::sort(lows.begin(), lows.end(),
            [&](size_t x, size_t y) { return out.terms[x].shift < out.terms[y].shift; });
  std::vector<bool> used(out.terms.size(), false);
  std::vector<Occurrence> found;
  std::int64_t kraft = out.kraft;
  for (size_t lo : lows) {
    if (used[lo]) continue;
    const Term& t = out.terms[lo];
    const Term want{.source = p.b, .shift = t.shift + p.shift, .negate = t.negate != p.negate};
    const auto hi = std::find(out.terms.begin(), out.terms.end(), want);
    const auto k = static_cast<size_t>(hi - out.terms.begin());
    if (hi == out.terms.end() || used[k] || k == lo) continue;
    if (out.limited && kraft + grow > out.budget) break;
    kraft += grow;
    used[lo] = used[k] = true;
    found.emplace_back(t, *hi);
  }
  return found;
}

int CseState::adder_for(const Pattern& p) {
  const std::uint64_t key = pack(p);
  if (const auto it = adder_of_.find(key); it != adder_of_.end()) return it->second;
  const int id = n_inputs_ + static_cast<int>(adders_.size());
  if (id >= kMaxSources) throw Error(ErrorKind::kUnsupported, "CMVM needs too many adders");
  const Term b{.source = p.b, .shift = p.shift, .negate = p.negate};
  adders_.push_back({.a = {.source = p.a}, .b = b});
  const SourceInfo& sa = sources_[static_cast<size_t>(p.a)];
  const auto [blo, bhi] = term_bounds(b, sources_[static_cast<size_t>(p.b)]);
  sources_.push_back({.depth = depth_of(p), .lo = sa.lo + blo, .hi = sa.hi + bhi});
  adder_of_.emplace(key, id);
  return id;
}

void CseState::replace(int j, const Occurrence& occ, int source) {
  remove_term(j, occ.first);
  remove_term(j, occ.second);
  add_term(j, {.source = source, .shift = occ.first.shift, .negate = occ.first.negate});
}

std::vector<std::uint64_t> CseState::take_touched() {
  std::vector<std::uint64_t> out;
  out.swap(touched_);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::uint64_t> CseState::all_keys() const {
  std::vector<std::uint64_t> keys;
  keys.reserve(patterns_.size());
  for (const auto& [key, stats] : patterns_) keys.push_back(key);
  std::sort(keys.begin(), keys.end());  // the map's order is not ours to depend on
  return keys;
}

void CseState::add_term(int j, const Term& t) {
  if (t.shift > kMaxShift / 2) throw Error(ErrorKind::kUnsupported, "CMVM shift too large");
  OutputTerms& out = outputs_[static_cast<size_t>(j)];
  for (const Term& u : out.terms) count_pair(j, t, u, +1);
  out.terms.push_back(t);
  if (out.limited) out.kraft += std::int64_t{1} << sources_[static_cast<size_t>(t.source)].depth;
}

void CseState::remove_term(int j, const Term& t) {
  OutputTerms& out = outputs_[static_cast<size_t>(j)];
  const auto it = std::find(out.terms.begin(), out.terms.end(), t);
  if (it == out.terms.end()) throw Error(ErrorKind::kInternal, "CMVM lost track of a term");
  *it = out.terms.back();
  out.terms.pop_back();
  for (const Term& u : out.terms) count_pair(j, t, u, -1);
  if (out.limited) out.kraft -= std::int64_t{1} << sources_[static_cast<size_t>(t.source)].depth;
}

void CseState::count_pair(int j, const Term& t, const Term& u, int delta) {
  const std::uint64_t key = pack(normalize(t, u).pattern);
  PatternStats& s = patterns_[key];
  s.count += delta;
  if (s.count == 0) {
    patterns_.erase(key);
    return;
  }
  if (delta > 0) {
    if (s.outputs.empty() || s.outputs.back() != j) s.outputs.push_back(j);
    if (s.count >= 2) touched_.push_back(key);
  }
}

Term CseState::sum_terms(std::vector<Term> terms) {
  // Huffman on depth: the two shallowest terms first gives the least depth; among equally deep
  // ones, the two narrowest (width plus shift), which keeps the adders narrow.
  auto rank = [&](const Term& t) {
    const SourceInfo& s = sources_[static_cast<size_t>(t.source)];
    return std::tuple(s.depth, width_estimate(s.lo, s.hi) + t.shift, t.shift, t.source);
  };
  while (terms.size() > 1) {
    std::sort(terms.begin(), terms.end(),
              [&](const Term& x, const Term& y) { return rank(x) < rank(y); });
    const Placed pl = normalize(terms[0], terms[1]);
    const int source = adder_for(pl.pattern);
    terms.erase(terms.begin(), terms.begin() + 2);
    terms.push_back({.source = source, .shift = pl.shift, .negate = pl.negate});
  }
  return terms.front();
}

AdderGraph CseState::finish() && {
  std::vector<std::optional<Term>> outs;
  for (OutputTerms& out : outputs_) {
    outs.push_back(out.terms.empty() ? std::nullopt
                                     : std::optional<Term>(sum_terms(std::move(out.terms))));
  }
  return {.n_inputs = n_inputs_, .adders = std::move(adders_), .outputs = std::move(outs)};
}

}  // namespace nnfpga::backend::verilog::cmvm
