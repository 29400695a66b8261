// emit_cast: the Verilog form of fixed::cast. Three nets: q, the value aligned to the target's
// fraction with the rounding increment added (align + round_up of exact.cpp); low, its low W bits;
// and the code, chosen from low, the saturation limits or the N-bit wrap patterns as
// overflow_adjust (cast_aligned and wrap_n of exact.cpp) chooses.
#include "backend/verilog/cast_rtl.hpp"

#include <fmt/format.h>

#include "arith/delay.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

using fixed::i128;
using fixed::Overflow;
using fixed::Quantization;

// Bit `i` of a signed net of `width` bits, extended by its sign above the top.
std::string bit(const std::string& net, int width, int i) {
  return fmt::format("{}[{}]", net, i < width ? i : width - 1);
}

// Whether to add one LSB (round_up of exact.cpp), over the source bits dropped by `shift`.
std::string round_up_expr(Quantization q, const std::string& s, int ws, int shift) {
  const std::string neg = bit(s, ws, ws - 1);
  const std::string half = bit(s, ws, shift - 1);
  const int top = std::min(shift - 2, ws - 1);
  const std::string sticky = shift < 2  ? "1'b0"
                             : top == 0 ? fmt::format("{}[0]", s)
                                        : fmt::format("(|{}[{}:0])", s, top);
  const std::string lsb = bit(s, ws, shift);
  switch (q) {
    case Quantization::kTrn:
      return "1'b0";
    case Quantization::kTrnZero:
      return fmt::format("({} & ({} | {}))", neg, half, sticky);
    case Quantization::kRnd:
      return half;
    case Quantization::kRndZero:
      return fmt::format("({} & ({} | {}))", half, neg, sticky);
    case Quantization::kRndMinInf:
      return fmt::format("({} & {})", half, sticky);
    case Quantization::kRndInf:
      return fmt::format("({} & (~{} | {}))", half, neg, sticky);
    case Quantization::kRndConv:
      return fmt::format("({} & ({} | {}))", half, lsb, sticky);
  }
  return "1'b0";
}

struct Aligned {
  NetId q = 0;
  int wq = 1;
};

// A cast that wraps without saturated bits: the low W bits of q, no choice.
bool plain_wrap(const fixed::FixedType& to) {
  return to.overflow == Overflow::kWrap && to.sat_bits == 0;
}

Aligned align(Netlist& nl, const Value& v, const fixed::FixedType& to, const std::string& hint) {
  const int ws = nl.width(v.net);
  const int shift = v.frac - to.frac();
  Aligned a;
  if (shift <= 0) {
    const int left = -shift;
    a.wq = ws + left;
    a.q = nl.op(hint + "_q", a.wq, {v.net}, 0.0, Logic::wiring(),
                [left](const std::vector<std::string>& n) {
                  return left == 0 ? n[0] : fmt::format("{} <<< {}", n[0], left);
                });
    return a;
  }
  const int wf = std::max(ws - shift, 1);
  const bool rounds = to.quant != Quantization::kTrn;
  a.wq = wf + (rounds ? 1 : 0);
  const Quantization mode = to.quant;
  // The rounding increment: a carry chain whose other operand is the carry in.
  const Logic logic = rounds ? Logic::constant_adder(0, false, 0) : Logic::wiring();
  a.q = nl.op(hint + "_q", a.wq, {v.net}, rounds ? arith::adder_ns(a.wq) : 0.0, logic,
              [=](const std::vector<std::string>& n) {
                if (!rounds) return fmt::format("{} >>> {}", n[0], shift);
                // A conditional increment rather than $signed({1'b0, up}), which Verilator 5.006
                // miscompiles when several such nets meet comparisons in one module.
                return fmt::format("({} >>> {}) + ({} ? 2'sd1 : 2'sd0)", n[0], shift,
                                   round_up_expr(mode, n[0], ws, shift));
              });
  return a;
}

// The lead bit (bit W of the floor) of the source, by name: only AP_WRAP_SM reads it.
std::string lead_bit(const std::string& s, int ws, const Value& v, const fixed::FixedType& to) {
  const int shift = v.frac - to.frac();
  const int idx = shift > 0 ? shift + to.width : to.width + shift;
  return idx < 0 ? "1'b0" : bit(s, ws, idx);
}

// The W-bit pattern overflow_adjust writes for the wrapping modes (wrap_n of exact.cpp), from the
// low W bits `low`, the sign of q and the lead bit.
std::string wrap_pattern(const fixed::FixedType& to, const std::string& low, const std::string& neg,
                         const std::string& lead) {
  const int w = to.width;
  const int n = to.sat_bits;
  const auto part = [&](int hi, int lo) { return fmt::format("{}[{}:{}]", low, hi, lo); };
  std::vector<std::string> parts;
  if (to.overflow == Overflow::kWrap) {
    if (!to.is_signed) {
      parts.push_back(fmt::format("{{{}{{1'b1}}}}", n));
    } else {
      parts.push_back(neg);
      if (n > 1) parts.push_back(fmt::format("{{{}{{~{}}}}}", n - 1, neg));
    }
    if (w - n - 1 >= 0) parts.push_back(part(w - n - 1, 0));
  } else if (n <= 1) {
    // AP_WRAP_SM, N = 0 or 1: the top bit becomes the lead bit (N = 0) or the sign, and the rest
    // is inverted when the top bit differed from it.
    const std::string top = n == 0 ? lead : neg;
    parts.push_back(top);
    if (w >= 2) {
      parts.push_back(fmt::format("(({} ^ {}[{}]) ? ~{} : {})", top, low, w - 1, part(w - 2, 0),
                                  part(w - 2, 0)));
    }
  } else {
    parts.push_back(neg);
    parts.push_back(fmt::format("{{{}{{~{}}}}}", n - 1, neg));
    if (w - n - 1 >= 0) {
      parts.push_back(fmt::format("(({}[{}] ~^ {}) ? ~{} : {})", low, w - n, neg,
                                  part(w - n - 1, 0), part(w - n - 1, 0)));
    }
  }
  std::string joined;
  for (const std::string& p : parts) joined += (joined.empty() ? "" : ", ") + p;
  return "{" + joined + "}";
}

// A W-bit unsigned pattern as the code net's value.
std::string as_code(const fixed::FixedType& to, const std::string& bits) {
  return to.is_signed ? fmt::format("$signed({})", bits)
                      : fmt::format("$signed({{1'b0, {}}})", bits);
}

}  // namespace

NetId emit_cast(Netlist& nl, const Value& v, const fixed::FixedType& to, const std::string& hint) {
  if (to.width < 1 || to.width > fixed::kMaxExactWidth - 2) {
    throw Error(ErrorKind::kUnsupported, "cast to " + fixed::to_string(to));
  }
  const int ws = nl.width(v.net);
  if (v.frac == to.frac() && to.is_signed && ws == to.width &&
      to.overflow != fixed::Overflow::kSatSym) {
    return v.net;  // a signed W-bit net at the target's fraction holds only its codes
  }
  const Aligned a = align(nl, v, to, hint);
  const int w = to.width;
  const int wq = a.wq;
  const NetId low =
      nl.op(hint + "_low", w, {a.q}, 0.0, Logic::wiring(), [=](const std::vector<std::string>& n) {
        return wq >= w ? fmt::format("{}[{}:0]", n[0], w - 1)
                       : fmt::format("{{{{{}{{{}[{}]}}}}, {}}}", w - wq, n[0], wq - 1, n[0]);
      });
  const i128 hi = fixed::max_mantissa(to);
  const i128 lo = fixed::min_mantissa(to);
  const bool sym = to.overflow == Overflow::kSatSym && to.is_signed;
  const i128 lo_ok = lo + (sym ? 1 : 0);  // the smallest q that is not an underflow
  const bool wide = wq >= 127;
  const i128 q_max = wide ? 0 : (static_cast<i128>(1) << (wq - 1)) - 1;
  const i128 q_min = wide ? 0 : -(static_cast<i128>(1) << (wq - 1));
  const bool can_over = wide || hi < q_max;
  const bool can_under = wide || lo_ok > q_min;
  const int wr = code_width(to);
  if ((!can_over && !can_under) || plain_wrap(to)) {
    return nl.op(hint, wr, {low}, 0.0, Logic::wiring(),
                 [=](const std::vector<std::string>& n) { return as_code(to, n[0]); });
  }
  const std::string hi_lit = signed_literal(hi, signed_bits(hi, hi));
  const std::string lo_lit = signed_literal(lo_ok, signed_bits(lo_ok, lo_ok));
  // The limits are constants, so only q's bits above the W kept ones (and its sign) decide.
  const int compares = (can_over ? 1 : 0) + (can_under ? 1 : 0);
  const Logic logic = Logic::compare_select(compares, std::max(1, wq - w + 1), true);
  return nl.op(hint, wr, {a.q, low, v.net}, arith::adder_ns(wq) + arith::kMuxNs, logic,
               [=](const std::vector<std::string>& n) {
                 const std::string& q = n[0];
                 const std::string o = can_over ? fmt::format("({} > {})", q, hi_lit) : "1'b0";
                 const std::string u = can_under ? fmt::format("({} < {})", q, lo_lit) : "1'b0";
                 const std::string plain = as_code(to, n[1]);
                 switch (to.overflow) {
                   case Overflow::kSat:
                   case Overflow::kSatSym: {
                     const i128 sat_lo = !to.is_signed ? 0 : (w == 1 ? -1 : lo_ok);
                     return fmt::format("{} ? {} : ({} ? {} : {})", o, signed_literal(hi, wr), u,
                                        signed_literal(sat_lo, wr), plain);
                   }
                   case Overflow::kSatZero:
                     return fmt::format("({} | {}) ? {} : {}", o, u, signed_literal(0, wr), plain);
                   case Overflow::kWrap:
                   case Overflow::kWrapSm:
                     break;
                 }
                 const std::string neg = fmt::format("{}[{}]", q, wq - 1);
                 const std::string lead = lead_bit(n[2], ws, v, to);
                 return fmt::format("({} | {}) ? {} : {}", o, u,
                                    as_code(to, wrap_pattern(to, n[1], neg, lead)), plain);
               });
}

}  // namespace nnfpga::backend::verilog
