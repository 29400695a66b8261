// Adder trees and adder graphs as nets whose widths follow from the proven ranges.
#include "backend/verilog/arith.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "arith/cmvm.hpp"
#include "arith/delay.hpp"
#include "estimate/delay_model.hpp"
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

// Yosys (alumacc) merges an adder whose result only feeds another adder of the same stage, read
// unshifted, into one multi-operand $macc, and maps that to a carry-save tree: a 3-operand sum
// then takes about 3 LUTs per bit where two carry chains take 2. An operand read shifted is not
// merged. So when an operand is such a result, the sum is written 2^scale times larger, every
// term shifted `scale` more bits, and the low bits dropped: the same carry chain, kept one. The
// scale that puts every term at a shift of at least 1; 0 when no operand could be merged.
int operand_scale(const Netlist& nl, const std::vector<ShiftedTerm>& terms, int stage) {
  bool mergeable = false;
  int lowest = 0;
  for (const ShiftedTerm& t : terms) {
    lowest = std::min(lowest, t.shift);
    mergeable = mergeable || (t.shift <= 0 && nl.computed_in(t.signal.net, stage));
  }
  return mergeable ? 1 - lowest : 0;
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

namespace {

// The hardware of a sum of `terms` (shifted `scale` more): a carry chain over two variables,
// whose low bits one operand alone has are wiring; a constant added to (or a variable subtracted
// from) a constant; a negation; or, for a variable only shifted, wiring.
Logic sum_logic(const Netlist& nl, const std::vector<ShiftedTerm>& terms, int scale) {
  std::vector<const ShiftedTerm*> variables;
  i128 constant = 0;
  for (const ShiftedTerm& t : terms) {
    if (!nl.is_constant(t.signal.net)) {
      variables.push_back(&t);
      continue;
    }
    i128 lo = 0, hi = 0;
    term_range(t, lo, hi);
    constant += lo;
  }
  // The low bits below every variable's lowest bit are a constant's or zero: wiring.
  if (variables.size() == 2) {
    return Logic::adder(std::max({0, variables[0]->shift + scale, variables[1]->shift + scale}));
  }
  if (variables.size() == 1 && (constant != 0 || variables[0]->negate)) {
    return Logic::constant_adder(constant * (i128{1} << scale), variables[0]->negate,
                                 std::max(0, variables[0]->shift + scale));
  }
  return Logic::wiring();
}

}  // namespace

Signal add_terms(Netlist& nl, const std::vector<ShiftedTerm>& terms, i128 lo, i128 hi,
                 const std::string& hint) {
  check_range(lo, hi);
  std::vector<NetId> args;
  for (const ShiftedTerm& t : terms) args.push_back(t.signal.net);
  const int width = signed_bits(lo, hi);
  const int scale = operand_scale(nl, terms, nl.schedule(args, arith::adder_ns(width)).stage);
  const Logic logic = sum_logic(nl, terms, scale);
  auto sum_text = [terms, scale](const std::vector<std::string>& n) {
    std::string e;
    for (std::size_t i = 0; i < terms.size(); ++i) {
      ShiftedTerm t = terms[i];
      t.shift += scale;
      e += term_text(t, n[i], i == 0);
    }
    return e;
  };
  if (scale == 0) {
    return {nl.op(hint, width, args, arith::adder_ns(width), logic, sum_text), lo, hi};
  }
  // The sum times 2^scale (its low bits are 0 + 0: no logic), then those bits dropped.
  const NetId scaled =
      nl.op(hint + "_x2", width + scale, args, arith::adder_ns(width), logic, sum_text);
  const NetId net =
      nl.op(hint, width, {scaled}, 0.0, Logic::wiring(), [=](const std::vector<std::string>& n) {
        return fmt::format("{}[{}:{}]", n[0], width + scale - 1, scale);
      });
  return {net, lo, hi};
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
      for (const ShiftedTerm& t : pair) {
        i128 lo = 0, hi = 0;
        term_range(t, lo, hi);
        s.lo += lo;
        s.hi += hi;
      }
      s.net = add_terms(nl, pair, s.lo, s.hi, hint).net;
      next.push_back({s, 0, false});
    }
    terms = std::move(next);
  }
  return terms.front().signal;
}

std::vector<std::optional<ShiftedTerm>> emit_adder_graph(Netlist& nl,
                                                         const arith::AdderGraph& graph,
                                                         const std::vector<Signal>& inputs,
                                                         const std::string& hint) {
  // Exact ranges (value_ranges.hpp): a shared subexpression such as x - 4x is narrower than
  // interval arithmetic on its adders says.
  std::vector<arith::IntRange> input_ranges;
  for (const Signal& s : inputs) input_ranges.push_back({s.lo, s.hi});
  const arith::GraphRanges ranges = arith::value_ranges(graph, input_ranges);
  std::vector<Signal> sources(inputs.begin(), inputs.end());
  auto term = [&](const arith::Term& t) {
    return ShiftedTerm{sources.at(static_cast<std::size_t>(t.source)), t.shift, t.negate};
  };
  for (const arith::Adder& add : graph.adders) {
    const arith::IntRange& r = ranges.sources.at(sources.size());
    sources.push_back(add_terms(nl, {term(add.a), term(add.b)}, r.lo, r.hi, hint));
  }
  std::vector<std::optional<ShiftedTerm>> out;
  for (const std::optional<arith::Term>& o : graph.outputs) {
    out.push_back(o ? std::optional<ShiftedTerm>(term(*o)) : std::nullopt);
  }
  return out;
}

Signal clamp_signal(Netlist& nl, const Signal& x, i128 bound, bool below) {
  Signal s = x;
  if (below) {
    s.lo = std::max(x.lo, bound);
    s.hi = std::max(x.hi, bound);
  } else {
    s.lo = std::min(x.lo, bound);
    s.hi = std::min(x.hi, bound);
  }
  if (s.lo == x.lo && s.hi == x.hi) return x;  // the bound is never passed
  if (s.lo == s.hi) return constant_signal(nl, s.lo);
  const int width = signed_bits(std::min(x.lo, s.lo), std::max(x.hi, s.hi));
  const std::string lit = signed_literal(bound, signed_bits(bound, bound));
  if (below && bound == 0) {
    // max(x, 0) (ReLU): x < 0 is x's sign bit, so a multiplexer level and no comparator.
    const int sign = nl.width(x.net) - 1;
    s.net = nl.op("clip_lo", width, {x.net}, arith::kMuxNs, Logic::select(),
                  [=](const std::vector<std::string>& n) {
                    return fmt::format("{}[{}] ? {} : {}", n[0], sign, lit, n[0]);
                  });
    return s;
  }
  s.net = nl.op(
      below ? "clip_lo" : "clip_hi", width, {x.net}, arith::adder_ns(width) + arith::kMuxNs,
      Logic::compare_select(1, nl.width(x.net), true), [=](const std::vector<std::string>& n) {
        return fmt::format("({} {} {}) ? {} : {}", n[0], below ? "<" : ">", lit, lit, n[0]);
      });
  return s;
}

Signal select_signal(Netlist& nl, const Signal& a, const Signal& b, bool maximum) {
  Signal s{0, maximum ? std::max(a.lo, b.lo) : std::min(a.lo, b.lo),
           maximum ? std::max(a.hi, b.hi) : std::min(a.hi, b.hi)};
  const int width = signed_bits(std::min(a.lo, b.lo), std::max(a.hi, b.hi));
  s.net = nl.op(
      maximum ? "max" : "min", width, {a.net, b.net}, arith::adder_ns(width) + arith::kMuxNs,
      Logic::compare_select(1, width, false), [maximum](const std::vector<std::string>& n) {
        return fmt::format("({} {} {}) ? {} : {}", n[0], maximum ? ">=" : "<=", n[1], n[0], n[1]);
      });
  return s;
}

Signal multiply_signals(Netlist& nl, const Signal& a, const Signal& b) {
  const i128 c[] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
  Signal s{0, *std::min_element(c, c + 4), *std::max_element(c, c + 4)};
  check_range(s.lo, s.hi);
  const int width = signed_bits(s.lo, s.hi);
  const int narrow = std::min(nl.width(a.net), nl.width(b.net));
  s.net =
      nl.op("prod", width, {a.net, b.net}, estimate::lut_multiply_ns(narrow),
            Logic::multiply(nl.width(a.net), nl.width(b.net)),
            [](const std::vector<std::string>& n) { return fmt::format("{} * {}", n[0], n[1]); });
  return s;
}

Signal constant_multiply(Netlist& nl, const Signal& x, std::int64_t c, const std::string& hint) {
  const arith::AdderGraph g = arith::optimize_cmvm({{c}}, {.input_ranges = {{x.lo, x.hi}}});
  const std::optional<ShiftedTerm> t = emit_adder_graph(nl, g, {x}, hint).front();
  if (!t) return constant_signal(nl, 0);
  return sum_terms(nl, {*t}, hint);
}

}  // namespace nnfpga::backend::verilog
