// Exact integer arithmetic as netlist logic: signals that carry their proven value range (which
// sets every net's width), sums of shifted terms as balanced adder trees, and an AdderGraph (the
// shift-and-add form of constant multiplications) as adders.
#pragma once

#include <optional>
#include <vector>

#include "arith/adder_graph.hpp"
#include "arith/value_ranges.hpp"
#include "backend/verilog/netlist.hpp"

namespace nnfpga::backend::verilog {

// A net and the range [lo, hi] its integer value is proven to lie in.
struct Signal {
  NetId net = 0;
  fixed::i128 lo = 0;
  fixed::i128 hi = 0;
};

// ±(signal << shift); a negative shift is an arithmetic right shift, the floor (exact when the
// caller has proven the low bits zero).
struct ShiftedTerm {
  Signal signal;
  int shift = 0;
  bool negate = false;
};

// The range of a term.
void term_range(const ShiftedTerm& t, fixed::i128& lo, fixed::i128& hi);

// One adder (or subtractor) over `terms` (one or two), its value known to lie in [lo, hi].
Signal add_terms(Netlist& nl, const std::vector<ShiftedTerm>& terms, fixed::i128 lo, fixed::i128 hi,
                 const std::string& hint);

// A signal for a constant.
Signal constant_signal(Netlist& nl, fixed::i128 value);

// The exact sum of `terms` by a balanced tree of two-input adders (one pipeline op each); the
// constant 0 when there are none.
Signal sum_terms(Netlist& nl, std::vector<ShiftedTerm> terms, const std::string& hint);

// The outputs of `graph` for `inputs` (one per graph input), each exact; nullopt for a constant
// zero output.
std::vector<std::optional<ShiftedTerm>> emit_adder_graph(Netlist& nl,
                                                         const arith::AdderGraph& graph,
                                                         const std::vector<Signal>& inputs,
                                                         const std::string& hint);

// max(x, bound) (`below`) or min(x, bound), as a compare and a multiplexer; `x` itself when the
// bound is never reached.
Signal clamp_signal(Netlist& nl, const Signal& x, fixed::i128 bound, bool below);

// max(a, b) (`maximum`) or min(a, b) of two signals at one fraction: a compare and a select.
Signal select_signal(Netlist& nl, const Signal& a, const Signal& b, bool maximum);

// a * b of two signals, exact: a multiplier (neither operand is a constant).
Signal multiply_signals(Netlist& nl, const Signal& a, const Signal& b);

// x * c, exact, as canonical-signed-digit shifts and adds.
Signal constant_multiply(Netlist& nl, const Signal& x, std::int64_t c, const std::string& hint);

}  // namespace nnfpga::backend::verilog
