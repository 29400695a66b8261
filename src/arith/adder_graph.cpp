#include "arith/adder_graph.hpp"

#include <algorithm>

#include "arith/csd.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::arith {
namespace {

__int128 term_value(const Term& t, const std::vector<__int128>& sources) {
  const __int128 v =
      sources.at(static_cast<size_t>(t.source)) * (static_cast<__int128>(1) << t.shift);
  return t.negate ? -v : v;
}

}  // namespace

std::vector<__int128> evaluate(const AdderGraph& graph, std::span<const std::int64_t> x) {
  if (static_cast<int>(x.size()) != graph.n_inputs) {
    throw Error(ErrorKind::kInternal, "adder graph evaluated with the wrong number of inputs");
  }
  std::vector<__int128> sources(x.begin(), x.end());
  for (const Adder& add : graph.adders) {
    sources.push_back(term_value(add.a, sources) + term_value(add.b, sources));
  }
  std::vector<__int128> out;
  out.reserve(graph.outputs.size());
  for (const auto& o : graph.outputs) out.push_back(o ? term_value(*o, sources) : 0);
  return out;
}

std::vector<int> source_depths(const AdderGraph& graph) {
  std::vector<int> depth(static_cast<size_t>(graph.n_inputs), 0);
  for (const Adder& add : graph.adders) {
    depth.push_back(1 + std::max(depth.at(static_cast<size_t>(add.a.source)),
                                 depth.at(static_cast<size_t>(add.b.source))));
  }
  return depth;
}

std::vector<int> output_depths(const AdderGraph& graph) {
  const std::vector<int> depth = source_depths(graph);
  std::vector<int> out;
  for (const auto& o : graph.outputs)
    out.push_back(o ? depth.at(static_cast<size_t>(o->source)) : 0);
  return out;
}

AdderGraph csd_adder_graph(const ConstantMatrix& matrix) {
  AdderGraph g;
  g.n_inputs = static_cast<int>(matrix.size());
  const size_t n_out = matrix.empty() ? 0 : matrix.front().size();
  for (size_t j = 0; j < n_out; ++j) {
    std::vector<Term> terms;
    for (size_t i = 0; i < matrix.size(); ++i) {
      for (const SignedDigit& d : csd_digits(matrix[i].at(j))) {
        terms.push_back({.source = static_cast<int>(i), .shift = d.shift, .negate = d.negative});
      }
    }
    // Pairwise rounds: each halves the number of terms, so the depth is ceil(log2(terms)).
    while (terms.size() > 1) {
      std::vector<Term> next;
      for (size_t k = 0; k + 1 < terms.size(); k += 2) {
        g.adders.push_back({terms[k], terms[k + 1]});
        next.push_back({.source = g.n_inputs + static_cast<int>(g.adders.size()) - 1});
      }
      if (terms.size() % 2 != 0) next.push_back(terms.back());
      terms = std::move(next);
    }
    g.outputs.push_back(terms.empty() ? std::nullopt : std::optional<Term>(terms.front()));
  }
  return g;
}

}  // namespace nnfpga::arith
