// Sigmoid, TanH, Softsign, Softplus and ELU as ROMs holding exactly the emulator's entries
// (emulate::activation_table, each entry cast to result_t as the emulator's kernel does), read at
// the emulator's index: floor(x * 2^(S - R - F)) + N/2 (or + N for ELU's negative part), clamped
// to [0, N - 1] (src/emulate/lookup_table.cpp). ELU from 0 and Softplus from 2^(R-1) are the
// identity, cast to result_t.
#include <fmt/format.h>
#include <algorithm>
#include <utility>

#include "arith/delay.hpp"
#include "backend/verilog/emitter.hpp"
#include "emulate/lookup_table.hpp"
#include "emulate/table_index.hpp"
#include "fixed/exact.hpp"

namespace nnfpga::backend::verilog {
namespace {

using fixed::i128;

// The ROM as a function of the index: entry i is the code of result_t, code_width bits.
std::string rom_function(const std::string& name, const std::vector<i128>& codes, int index_bits,
                         int width) {
  std::string t = fmt::format("  function [{}:0] {};\n    input [{}:0] index;\n", width - 1, name,
                              std::max(index_bits, 1) - 1);
  t += "    begin\n      case (index)\n";
  for (std::size_t i = 0; i < codes.size(); ++i) {
    t += fmt::format("        {}'d{}: {} = {};\n", std::max(index_bits, 1), i, name,
                     signed_literal(codes[i], width));
  }
  t += fmt::format("        default: {} = {};\n", name, signed_literal(codes.front(), width));
  t += "      endcase\n    end\n  endfunction\n";
  return t;
}

}  // namespace

Signal rom_read(Netlist& nl, const Rom& rom, const Signal& index) {
  const std::vector<i128>& codes = *rom.codes;
  const int size_log2 = rom.size_log2;
  const std::string name = rom.name;
  const i128 n = static_cast<i128>(codes.size());
  const Signal clamped = clamp_signal(nl, clamp_signal(nl, index, 0, true), n - 1, false);
  Signal out{0, *std::min_element(codes.begin(), codes.end()),
             *std::max_element(codes.begin(), codes.end())};
  const int width = signed_bits(out.lo, out.hi);
  out.net =
      nl.op("entry", width, {clamped.net}, arith::rom_ns(size_log2), Logic::rom(rom.codes),
            [=](const std::vector<std::string>& a) {
              return fmt::format("$signed({}({}[{}:0]))", name, a[0], std::max(size_log2, 1) - 1);
            });
  return out;
}

Rom add_rom(Netlist& nl, const std::string& hint, std::vector<i128> codes, int size_log2) {
  Rom rom;
  rom.codes = std::make_shared<const std::vector<i128>>(std::move(codes));
  rom.size_log2 = size_log2;
  const i128 lo = *std::min_element(rom.codes->begin(), rom.codes->end());
  const i128 hi = *std::max_element(rom.codes->begin(), rom.codes->end());
  const int width = signed_bits(lo, hi);
  rom.name = nl.add_function(hint, [table = rom.codes, size_log2, width](const std::string& name) {
    return rom_function(name, *table, size_log2, width);
  });
  return rom;
}

std::vector<NetId> emit_table_function(LayerContext& ctx) {
  const ir::Node& node = ctx.node;
  const TensorSignals& in = ctx.inputs.at(0);
  const fixed::FixedType& r = result_type(ctx);
  const fixed::FixedType& table_t = node.type("table");
  const std::int64_t n = emulate::checked_table_size(node);
  const int size_log2 = emulate::log2_exact(n);
  const int range_log2 = emulate::activation_range_log2(node.op);
  const bool negative_part = emulate::table_is_negative_part(node.op);
  const int x_frac = in.type.frac();
  std::vector<i128> codes;
  for (std::int64_t e : emulate::activation_table(node, n, table_t)) {
    codes.push_back(fixed::mantissa_value(fixed::cast(e, table_t.frac(), r).mantissa, r));
  }
  const int wr = code_width(r);
  const Rom rom = add_rom(ctx.nl, "rom", std::move(codes), size_log2);
  const int k = size_log2 - range_log2 - x_frac;
  const i128 offset = negative_part ? n : (size_log2 == 0 ? 0 : n / 2);
  std::vector<NetId> y;
  for (const Signal& x : in.elements) {
    const Signal raw =
        sum_terms(ctx.nl, {{x, k, false}, {constant_signal(ctx.nl, offset), 0, false}}, "index");
    NetId value = rom_read(ctx.nl, rom, raw).net;
    if (emulate::has_identity_above(node.op)) {
      // ELU from 0, softplus from 2^(R-1): the smallest mantissa whose value reaches it.
      const int e = range_log2 - 1 + x_frac;
      const i128 from = negative_part ? 0 : (e < 0 ? 1 : (e > 100 ? i128{1} << 100 : i128{1} << e));
      if (from <= x.hi) {
        const NetId pass = emit_cast(ctx.nl, {x.net, x_frac}, r, "identity");
        const std::string lit = signed_literal(from, signed_bits(from, from));
        value = ctx.nl.op("y", wr, {x.net, pass, value},
                          arith::adder_ns(ctx.nl.width(x.net)) + arith::kMuxNs,
                          Logic::compare_select(1, ctx.nl.width(x.net), true),
                          [lit](const std::vector<std::string>& a) {
                            return fmt::format("({} >= {}) ? {} : {}", a[0], lit, a[1], a[2]);
                          });
      }
    }
    y.push_back(value);
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
