// Adder trees and adder graphs as nets whose widths follow from the proven ranges.
#include "backend/verilog/arith.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "backend/verilog/delay.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

using fixed::i128;

i128 shifted(i128 v, int shift) {
  return shift >= 0 ? v * (static_cast<i128>(1) << shift) : v >> -shift;
}

std::string term_text(const ShiftedTerm& t, const std::string& name, bool first) {
  std::string body = name;
  if (t.shift > 0) body = fmt::format("({} <<< {})", name, t.shift);
  if (t.shift < 0) body = fmt::format("({} >>> {})", name, -t.shift);
  if (first) return t.negate ? "-" + body : body;
  return (t.negate ? " - " : " + ") + body;
}

// Ranges beyond 120 bits would overflow the 128-bit range arithmetic.
void check_range(i128 lo, i128 hi) {
  const i128 limit = static_cast<i128>(1) << 120;
  if (lo < -limit || hi > limit) {
    throw Error(ErrorKind::kUnsupported,
                "an intermediate sum needs more than 120 bits; narrow the layer's types");
  }
}

}  // namespace

void term_range(const ShiftedTerm& t, i128& lo, i128& hi) {
  lo = shifted(t.signal.lo, t.shift);
  hi = shifted(t.signal.hi, t.shift);
  if (t.negate) {
    const i128 l = -hi;
    hi = -lo;
    lo = l;
  }
  check_range(lo, hi);
}

Signal constant_signal(Netlist& nl, i128 value) {
  return {nl.constant(value, signed_bits(value, value)), value, value};
}

Signal sum_terms(Netlist& nl, std::vector<ShiftedTerm> terms, const std::string& hint) {
  if (terms.empty()) return constant_signal(nl, 0);
  // Pairwise rounds: the depth is ceil(log2(terms)).
  while (terms.size() > 1 || terms.front().shift != 0 || terms.front().negate) {
    std::vector<ShiftedTerm> next;
    for (std::size_t k = 0; k < terms.size(); k += 2) {
      std::vector<ShiftedTerm> pair = {terms[k]};
      if (k + 1 < terms.size()) pair.push_back(terms[k + 1]);
      if (pair.size() == 1 && terms.size() > 1) {
        next.push_back(pair[0]);
        continue;
      }
      Signal s{0, 0, 0};
      std::vector<NetId> args;
      for (const ShiftedTerm& t : pair) {
        i128 lo = 0, hi = 0;
        term_range(t, lo, hi);
        s.lo += lo;
        s.hi += hi;
        args.push_back(t.signal.net);
      }
      check_range(s.lo, s.hi);
      const int width = signed_bits(s.lo, s.hi);
      s.net = nl.op(hint, width, args, adder_ns(width), [pair](const std::vector<std::string>& n) {
        std::string e;
        for (std::size_t i = 0; i < pair.size(); ++i) e += term_text(pair[i], n[i], i == 0);
        return e;
      });
      next.push_back({s, 0, false});
    }
    terms = std::move(next);
  }
  return terms.front().signal;
}

std::vector<std::optional<ShiftedTerm>> emit_adder_graph(Netlist& nl, const AdderGraph& graph,
                                                         const std::vector<Signal>& inputs,
                                                         const std::string& hint) {
  std::vector<Signal> sources(inputs.begin(), inputs.end());
  auto term = [&](const Term& t) {
    return ShiftedTerm{sources.at(static_cast<std::size_t>(t.source)), t.shift, t.negate};
  };
  for (const Adder& add : graph.adders) {
    sources.push_back(sum_terms(nl, {term(add.a), term(add.b)}, hint));
  }
  std::vector<std::optional<ShiftedTerm>> out;
  for (const std::optional<Term>& o : graph.outputs) {
    out.push_back(o ? std::optional<ShiftedTerm>(term(*o)) : std::nullopt);
  }
  return out;
}

Signal constant_multiply(Netlist& nl, const Signal& x, std::int64_t c, const std::string& hint) {
  const AdderGraph g = csd_adder_graph({{c}});
  const std::optional<ShiftedTerm> t = emit_adder_graph(nl, g, {x}, hint).front();
  if (!t) return constant_signal(nl, 0);
  return sum_terms(nl, {*t}, hint);
}

}  // namespace nnfpga::backend::verilog
