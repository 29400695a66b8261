// The pools for one output position of a streaming layer (stream_build.cpp), per channel, as
// src/emulate/pool.cpp computes them.
// - MaxPool, GlobalMaxPool: the maximum of the window's elements, cast once into result_t. The
//   window arrives with padding replaced by the input type's smallest code, which no maximum over a
//   real element can pick, so padding takes no part.
// - AveragePool, GlobalAveragePool: the window arrives with padding as 0, so the sum of every
//   element is the sum of the real ones; it is cast into accum_t, then divided by the count with
//   the emulator's sticky quotient (one bit below result_t's last, and whether the remainder is
//   non-zero), cast once into result_t.
#include <fmt/format.h>

#include <algorithm>

#include "arith/delay.hpp"
#include "backend/verilog/emitter.hpp"
#include "ir/layout.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

using fixed::i128;

// Bits of a non-negative value.
int magnitude_bits(i128 v) {
  int b = 0;
  while (v > 0) {
    v >>= 1;
    ++b;
  }
  return b;
}

// 2·floor(num / n) + (num mod n != 0), the emulator's quotient with a sticky bit (mean() in
// src/emulate/pool.cpp), without a divider: num is first made non-negative by adding K·n, and
// floor(u / n) = floor(u·m / 2^s) for every 0 <= u <= U when m = ceil(2^s / n) and
// (m·n − 2^s)·U < 2^s, which s = bits(U) + bits(n) guarantees (m·n − 2^s < n <= 2^bits(n)). The
// remainder u − q·n gives the sticky bit.
Signal sticky_quotient(Netlist& nl, const Signal& num, std::int64_t n, const std::string& node) {
  if (n == 1) return sum_terms(nl, {{num, 1, false}}, "twice");
  const i128 k = num.lo < 0 ? (-num.lo + n - 1) / n : 0;
  const Signal u =
      sum_terms(nl, {{num, 0, false}, {constant_signal(nl, k * n), 0, false}}, "biased");
  const int s = magnitude_bits(u.hi) + magnitude_bits(n);
  if (s > 62) {
    throw Error(ErrorKind::kUnsupported,
                fmt::format("the streaming Verilog backend divides an average by a reciprocal "
                            "constant of at most 62 bits; accum_t is too wide for a count of {} "
                            "(narrow accum_t)",
                            n),
                {.node = node});
  }
  const i128 m = ((i128{1} << s) + n - 1) / n;
  const Signal product = constant_multiply(nl, u, static_cast<std::int64_t>(m), "reciprocal");
  const Signal q = sum_terms(nl, {{product, -s, false}}, "quotient");
  const Signal back = constant_multiply(nl, q, n, "back");
  const Signal rem = sum_terms(nl, {{u, 0, false}, {back, 0, true}}, "remainder");
  const int rem_bits = nl.width(rem.net);
  const Signal sticky{nl.op("inexact", 2, {rem.net}, arith::adder_ns(rem_bits) + arith::kMuxNs,
                            Logic::compare_select(1, rem_bits, true),
                            [](const std::vector<std::string>& a) {
                              return fmt::format("({} != 0) ? 2'sd1 : 2'sd0", a[0]);
                            }),
                      0, 1};
  return sum_terms(nl, {{q, 1, false}, {sticky, 0, false}, {constant_signal(nl, -2 * k), 0, false}},
                   "mean");
}

// index == k ? a : b.
Signal pick_signal(Netlist& nl, const Signal& index, std::int64_t k, const Signal& a,
                   const Signal& b) {
  Signal s{0, std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
  const int width = signed_bits(s.lo, s.hi);
  const int index_bits = nl.width(index.net);
  s.net = nl.op(
      "pick", width, {index.net, a.net, b.net}, arith::adder_ns(index_bits) + arith::kMuxNs,
      Logic::compare_select(1, index_bits, true),
      [k, index_bits](const std::vector<std::string>& n) {
        return fmt::format("({} == {}) ? {} : {}", n[0], signed_literal(k, index_bits), n[1], n[2]);
      });
  return s;
}

}  // namespace

std::vector<NetId> emit_window_max(LayerContext& ctx) {
  const TensorSignals& in = ctx.inputs.at(0);
  const auto channels = static_cast<std::size_t>(ir::channels(ctx.node.output_shape));
  const std::size_t elements = in.elements.size() / channels;
  std::vector<NetId> y;
  for (std::size_t c = 0; c < channels; ++c) {
    // A balanced tree of compare-selects, so the depth grows with log2 of the window.
    std::vector<Signal> level;
    for (std::size_t e = 0; e < elements; ++e) level.push_back(in.elements[e * channels + c]);
    while (level.size() > 1) {
      std::vector<Signal> next;
      for (std::size_t k = 0; k + 1 < level.size(); k += 2) {
        next.push_back(select_signal(ctx.nl, level[k], level[k + 1], true));
      }
      if (level.size() % 2 == 1) next.push_back(level.back());
      level = std::move(next);
    }
    y.push_back(emit_cast(ctx.nl, {level.front().net, in.type.frac()}, result_type(ctx), "y"));
  }
  return y;
}

}  // namespace nnfpga::backend::verilog

namespace nnfpga::backend::verilog {

std::vector<NetId> emit_window_average(LayerContext& ctx, const std::vector<std::int64_t>& divisors,
                                       const std::optional<Signal>& divisor_index) {
  const TensorSignals& in = ctx.inputs.at(0);
  const fixed::FixedType& accum_t = ctx.node.type("accum");
  const fixed::FixedType& result_t = result_type(ctx);
  // As the emulator: the quotient keeps one bit below result_t's last.
  const int shift = std::max(0, result_t.frac() + 1 - accum_t.frac());
  const auto channels = static_cast<std::size_t>(ir::channels(ctx.node.output_shape));
  const std::size_t elements = in.elements.size() / channels;
  const std::int64_t only = divisors.front();
  const bool power_of_two = divisors.size() == 1 && (only & (only - 1)) == 0;
  std::vector<NetId> y;
  for (std::size_t c = 0; c < channels; ++c) {
    std::vector<ShiftedTerm> terms;
    for (std::size_t e = 0; e < elements; ++e) terms.push_back({in.elements[e * channels + c]});
    const Signal sum = sum_terms(ctx.nl, terms, "sum");
    const Signal acc =
        code_signal(emit_cast(ctx.nl, {sum.net, in.type.frac()}, accum_t, "acc"), accum_t);
    if (power_of_two) {
      // The quotient is exact at 2^-(F_a + log2 n): its one cast rounds as the emulator's does.
      y.push_back(
          emit_cast(ctx.nl, {acc.net, accum_t.frac() + magnitude_bits(only) - 1}, result_t, "y"));
      continue;
    }
    const Signal num = shift == 0 ? acc : sum_terms(ctx.nl, {{acc, shift, false}}, "scaled");
    Signal mean = sticky_quotient(ctx.nl, num, only, ctx.node.name);
    for (std::size_t k = 1; k < divisors.size(); ++k) {
      const Signal other = sticky_quotient(ctx.nl, num, divisors[k], ctx.node.name);
      mean = pick_signal(ctx.nl, divisor_index.value(), static_cast<std::int64_t>(k), other, mean);
    }
    y.push_back(emit_cast(ctx.nl, {mean.net, accum_t.frac() + shift + 1}, result_t, "y"));
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
