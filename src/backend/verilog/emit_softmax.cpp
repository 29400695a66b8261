// Softmax over the last axis as the emulator computes it (src/emulate/softmax.cpp): m = max(x);
// e_j = exp ROM at round(-(x_j - m) * N / 8), clamped; the sum acc = cast(acc + e_j, accum_t) in
// index order, a chain of casts, so any accum_t is exact; inv = reciprocal ROM at
// floor(sum * N / S), clamped; y_j = cast(e_j * inv, result_t). The ROMs hold the emulator's
// tables (emulate::exp_table, reciprocal_table).
#include <bit>

#include "backend/verilog/emitter.hpp"
#include "emulate/lookup_table.hpp"
#include "emulate/table_index.hpp"

namespace nnfpga::backend::verilog {
namespace {

using fixed::i128;

constexpr int kExpRangeLog2 = 3;  // the exp table spans [-8, 0]

std::vector<i128> widen(const std::vector<std::int64_t>& v) {
  return {v.begin(), v.end()};
}

// round(d * 2^s) with ties up, as emulate::round_half_up_mul_pow2.
Signal round_half_up(Netlist& nl, const Signal& d, int s) {
  if (s >= 0) return sum_terms(nl, {{d, s, false}}, "kidx");
  if (s <= -120) return constant_signal(nl, 0);
  const Signal biased =
      sum_terms(nl, {{d, 0, false}, {constant_signal(nl, i128{1} << (-s - 1)), 0, false}}, "kbias");
  return sum_terms(nl, {{biased, s, false}}, "kidx");
}

}  // namespace

std::vector<NetId> emit_softmax(LayerContext& ctx) {
  const ir::Node& node = ctx.node;
  const TensorSignals& in = ctx.inputs.at(0);
  const fixed::FixedType& table_t = node.type("table");
  const fixed::FixedType& acc_t = node.type("accum");
  const std::int64_t axis = node.output_shape.back();
  const std::int64_t n = emulate::checked_table_size(node);
  const int size_log2 = emulate::log2_exact(n);
  const int sum_log2 = emulate::log2_exact(
      std::max<std::int64_t>(1, std::bit_ceil(static_cast<std::uint64_t>(axis))));
  const Rom exp_rom = add_rom(ctx.nl, "exp_rom", widen(emulate::exp_table(n, table_t)), size_log2);
  const Rom inv_rom =
      add_rom(ctx.nl, "inv_rom", widen(emulate::reciprocal_table(n, sum_log2, table_t)), size_log2);
  const int ft = table_t.frac(), fa = acc_t.frac(), f = std::max(ft, fa);
  std::vector<NetId> y;
  for (std::size_t r = 0; r * axis < in.elements.size(); ++r) {
    const auto first = in.elements.begin() + static_cast<std::ptrdiff_t>(r * axis);
    const std::vector<Signal> x(first, first + axis);
    Signal m = x.front();
    for (std::size_t j = 1; j < x.size(); ++j) m = select_signal(ctx.nl, m, x[j], true);
    std::vector<Signal> e;
    Signal acc = constant_signal(ctx.nl, 0);
    for (const Signal& xj : x) {
      const Signal d = sum_terms(ctx.nl, {{m, 0, false}, {xj, 0, true}}, "d");
      const Signal k = round_half_up(ctx.nl, d, size_log2 - kExpRangeLog2 - in.type.frac());
      e.push_back(rom_read(ctx.nl, exp_rom, k));
      const Signal s = sum_terms(ctx.nl, {{acc, f - fa, false}, {e.back(), f - ft, false}}, "sum");
      acc = code_signal(emit_cast(ctx.nl, {s.net, f}, acc_t, "acc"), acc_t);
    }
    const Signal r_index = sum_terms(ctx.nl, {{acc, size_log2 - sum_log2 - fa, false}}, "ridx");
    const Signal inv = rom_read(ctx.nl, inv_rom, r_index);
    for (const Signal& ej : e) {
      const Signal p = multiply_signals(ctx.nl, ej, inv);
      y.push_back(emit_cast(ctx.nl, {p.net, 2 * ft}, result_type(ctx), "y"));
    }
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
