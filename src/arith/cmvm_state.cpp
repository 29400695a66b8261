#include "arith/cmvm_state.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <tuple>

#include "arith/csd.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::arith::cmvm {
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
constexpr size_t kMaxPairedTerms = 256;

// The adder that would sum two terms: its pattern's key, its depth, and its cost (its width, 0
// when it exists already).
struct PairCost {
  std::uint64_t key = 0;
  int depth = 0;
  int cost = 0;
};

// The pair of live terms (i < k, `pair` indexed i * n + k) with the cheapest adder, then the
// shallowest, among those that keep the Kraft sum within `budget`. Summing the two shallowest
// always does (Huffman), so one exists while two terms are live and the sum was within budget.
std::pair<size_t, size_t> cheapest_pair(const std::vector<PairCost>& pair,
                                        const std::vector<bool>& alive,
                                        const std::vector<int>& depths, std::int64_t kraft,
                                        std::int64_t budget) {
  const size_t n = alive.size();
  std::tuple<int, int, size_t, size_t> best{std::numeric_limits<int>::max(), 0, 0, 0};
  for (size_t i = 0; i < n; ++i) {
    if (!alive[i]) continue;
    for (size_t k = i + 1; k < n; ++k) {
      if (!alive[k]) continue;
      const PairCost& c = pair[i * n + k];
      if (c.depth >= kMaxBoundedDepth) continue;
      const std::int64_t grown = kraft - (std::int64_t{1} << depths[i]) -
                                 (std::int64_t{1} << depths[k]) + (std::int64_t{1} << c.depth);
      if (grown <= budget) best = std::min(best, std::tuple(c.cost, c.depth, i, k));
    }
  }
  if (std::get<0>(best) == std::numeric_limits<int>::max()) {
    throw Error(ErrorKind::kInternal, "CMVM found no pair of terms within the depth bound");
  }
  return {std::get<2>(best), std::get<3>(best)};
}

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

int CseState::pattern_count(std::uint64_t key) {
  const PatternStats* s = patterns_.find(key);
  return s == nullptr ? 0 : s->count;
}

std::vector<int> CseState::candidate_outputs(std::uint64_t key) {
  PatternStats* s = patterns_.find(key);
  return s == nullptr ? std::vector<int>{} : patterns_.outputs(*s);
}

bool CseState::should_queue(std::uint64_t key, int count) {
  PatternStats* s = patterns_.find(key);
  if (s == nullptr || count < 2 || s->queued >= count) return false;
  s->queued = count;
  return true;
}

void CseState::dequeued(std::uint64_t key, int count) {
  PatternStats* s = patterns_.find(key);
  if (s != nullptr && s->queued == count) s->queued = 0;
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
  std::vector<std::uint64_t> keys = patterns_.keys();
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
  PatternStats& s = patterns_.get(key);
  s.count += delta;
  if (s.count == 0) {
    patterns_.erase(key);
    return;
  }
  if (delta > 0) {
    patterns_.note_output(s, j);
    if (s.count >= 2) touched_.push_back(key);
  }
}

Term CseState::sum_terms(std::vector<Term> terms, const OutputTerms& out) {
  // The pairwise choice below costs O(n^3) for n terms; past a few hundred (a long dot product
  // with little to share), Huffman's O(n log n) first brings them down.
  if (terms.size() > kMaxPairedTerms) terms = huffman_sum(std::move(terms), kMaxPairedTerms);
  auto depth = [&](size_t i) { return sources_[static_cast<size_t>(terms[i].source)].depth; };
  std::int64_t kraft = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (depth(i) >= kMaxBoundedDepth) return huffman_sum(std::move(terms), 1).front();
    kraft += std::int64_t{1} << depth(i);
  }
  // Unbounded outputs keep the least depth their remaining terms allow.
  std::int64_t budget = 1;
  while (budget < kraft) budget <<= 1;
  if (out.limited) budget = std::max(budget, out.budget);
  // Each pair's adder, kept for pairs of live terms and redone only for the pairs a new sum takes
  // part in.
  const size_t n = terms.size();
  std::vector<PairCost> pair(n * n);
  std::vector<int> depths(n);
  for (size_t i = 0; i < n; ++i) depths[i] = depth(i);
  std::vector<bool> alive(n, true);
  auto price = [&](size_t i, size_t k) {
    const Pattern p = normalize(terms[i], terms[k]).pattern;
    const std::uint64_t key = pack(p);
    pair[std::min(i, k) * n + std::max(i, k)] = {
        .key = key, .depth = depth_of(p), .cost = adder_of_.contains(key) ? 0 : width_of(p)};
  };
  for (size_t i = 0; i < n; ++i)
    for (size_t k = i + 1; k < n; ++k) price(i, k);
  for (size_t left = n; left > 1; --left) {
    const auto [i, k] = cheapest_pair(pair, alive, depths, kraft, budget);
    const PairCost chosen = pair[i * n + k];
    const Placed pl = normalize(terms[i], terms[k]);
    kraft += (std::int64_t{1} << chosen.depth) - (std::int64_t{1} << depths[i]) -
             (std::int64_t{1} << depths[k]);
    terms[i] = {.source = adder_for(pl.pattern), .shift = pl.shift, .negate = pl.negate};
    depths[i] = chosen.depth;
    alive[k] = false;
    for (size_t j = 0; j < n; ++j) {
      if (alive[j] && j != i) price(i, j);
    }
    for (PairCost& c : pair)
      if (c.key == chosen.key) c.cost = 0;  // the same pair elsewhere is now free
  }
  return terms[static_cast<size_t>(std::find(alive.begin(), alive.end(), true) - alive.begin())];
}

std::vector<Term> CseState::huffman_sum(std::vector<Term> terms, size_t keep) {
  // Huffman on depth: the two shallowest terms first gives the least depth; among equally deep
  // ones, the lowest shifts, which keeps the adders narrow.
  using Ranked = std::pair<std::tuple<int, int, int, int>, Term>;
  auto ranked = [&](const Term& t) {
    const SourceInfo& s = sources_[static_cast<size_t>(t.source)];
    return Ranked{{s.depth, t.shift, width_estimate(s.lo, s.hi), t.source}, t};
  };
  auto later = [](const Ranked& x, const Ranked& y) { return x.first > y.first; };
  std::priority_queue<Ranked, std::vector<Ranked>, decltype(later)> queue(later);
  for (const Term& t : terms) queue.push(ranked(t));
  while (queue.size() > std::max<size_t>(keep, 1)) {
    const Term a = queue.top().second;
    queue.pop();
    const Term b = queue.top().second;
    queue.pop();
    const Placed pl = normalize(a, b);
    queue.push(ranked({.source = adder_for(pl.pattern), .shift = pl.shift, .negate = pl.negate}));
  }
  terms.clear();
  for (; !queue.empty(); queue.pop()) terms.push_back(queue.top().second);
  return terms;
}

AdderGraph CseState::finish() && {
  std::vector<std::optional<Term>> outs;
  for (OutputTerms& out : outputs_) {
    outs.push_back(out.terms.empty() ? std::nullopt
                                     : std::optional<Term>(sum_terms(std::move(out.terms), out)));
  }
  return {.n_inputs = n_inputs_, .adders = std::move(adders_), .outputs = std::move(outs)};
}

}  // namespace nnfpga::arith::cmvm
