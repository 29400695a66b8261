// Dense as the emulator defines it (src/emulate/dense.cpp): acc = cast(bias, accum_t), then for
// each input in order acc = cast(acc + cast(x_i * w_ij, accum_t), accum_t), then
// y = cast(acc, result_t). The RTL adds the products in a tree instead, which gives the same bits
// when no accumulator cast can change a sum: either accum_t wraps (AP_WRAP, N = 0: every cast is
// modular, so the order is irrelevant) or the proven range of every partial sum fits accum_t.
// Otherwise the result would depend on the order of additions, and the layer is refused.
//
// Products exact in accum_t (its fraction holds x_i * w_ij) go through one shared adder graph of
// the weight matrix (optimize_cmvm: common subexpressions computed once, no output deeper than
// its canonical-signed-digit tree). A product that accum_t rounds is formed alone and rounded
// alone, as the emulator does.
#include <fmt/format.h>

#include "arith/cmvm.hpp"
#include "backend/verilog/emitter.hpp"
#include "fixed/exact.hpp"
#include "ir/geometry.hpp"
#include "linear/dense_operands.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

using fixed::i128;

int trailing_zeros(std::int64_t w) {
  return w == 0 ? 64 : __builtin_ctzll(static_cast<unsigned long long>(w));
}

// Refuses an accumulator that saturates when a partial sum could leave it.
// The proof is the linear core's (src/linear/sum_ranges.hpp), on the ranges of this row's terms.
void check_order_free(const ir::Node& node, const fixed::FixedType& acc, i128 lo, i128 hi) {
  if (linear::is_modular(acc) || linear::holds(acc, {lo, hi})) return;
  throw Error(ErrorKind::kUnsupported,
              fmt::format("accum_t {} does not wrap and this layer's partial sums can leave its "
                          "range, so the result depends on the order of additions, which the RTL "
                          "adder tree does not keep; widen accum_t or make it AP_WRAP",
                          fixed::to_string(acc)),
              {.node = node.name, .key = "accum_t"});
}

// One output row: the accumulator codes of every output, before the cast to accum_t.
struct RowSums {
  std::vector<Signal> sums;
  i128 lo = 0, hi = 0;  // the range every partial sum of any output lies in
};

// A product bound at accum_t's fraction (exact: k > 0 only for weights with k trailing zeros).
i128 at_accum_frac(i128 v, int k) {
  if (k > 0) return v >> k;
  if (-k > 60) {
    throw Error(ErrorKind::kUnsupported,
                "accum_t has more than 60 fraction bits beyond the products'; narrow it");
  }
  return v * (i128{1} << -k);
}

// The weight matrix split: products exact in accum_t stay in `shared` (one adder graph), the
// ones accum_t rounds get a column each after the n_out outputs, listed in `rounded` as (i, j).
struct SplitProducts {
  arith::ConstantMatrix shared;
  std::vector<std::pair<std::int64_t, std::int64_t>> rounded;
};

SplitProducts split_products(const ir::Node& node, const std::vector<Signal>& x,
                             const ir::DenseGeometry& s, int k) {
  const fixed::FixedType& acc = node.type("accum");
  const std::vector<std::int64_t>& w = node.qparam("weight").mantissa;
  SplitProducts out;
  out.shared.assign(static_cast<std::size_t>(s.n_in),
                    std::vector<std::int64_t>(static_cast<std::size_t>(s.n_out), 0));
  for (std::int64_t i = 0; i < s.n_in; ++i) {
    for (std::int64_t j = 0; j < s.n_out; ++j) {
      const std::int64_t v = w.at(static_cast<std::size_t>(i * s.n_out + j));
      if (v == 0) continue;
      if (k > 0 && trailing_zeros(v) < k) {
        out.rounded.emplace_back(i, j);
        continue;
      }
      out.shared[i][j] = v;
      // The emulator casts each product into accum_t on its own: it must fit there too.
      const i128 a = x[i].lo * v, b = x[i].hi * v;
      const i128 lo = std::min(a, b), hi = std::max(a, b);
      check_order_free(node, acc, at_accum_frac(lo, k), at_accum_frac(hi, k));
    }
  }
  for (auto& row : out.shared) row.resize(row.size() + out.rounded.size(), 0);
  for (std::size_t r = 0; r < out.rounded.size(); ++r) {
    const auto [i, j] = out.rounded[r];
    out.shared[i][s.n_out + r] = w.at(static_cast<std::size_t>(i * s.n_out + j));
  }
  return out;
}

// x_i * w_ij (at fraction fp) rounded alone into accum_t's fraction, as the emulator does; its
// overflow is checked on its range.
ShiftedTerm rounded_product(LayerContext& ctx, const ShiftedTerm& product, int fp, int k) {
  const fixed::FixedType& acc = ctx.node.type("accum");
  const Signal p = sum_terms(ctx.nl, {product}, "prod");
  // Wide enough that the rounding alone never overflows: the floor's bits and one more.
  const int wq = std::max(1, ctx.nl.width(p.net) - k) + 1;
  if (wq > fixed::kMaxTypeWidth) {
    throw Error(ErrorKind::kUnsupported, "a product rounded into accum_t is wider than 64 bits",
                {.node = ctx.node.name});
  }
  const fixed::FixedType round_t = fixed::make_fixed(wq, wq - acc.frac(), true, acc.quant);
  const NetId q = emit_cast(ctx.nl, {p.net, fp}, round_t, "prod_rnd");
  const i128 ql = fixed::cast(p.lo, fp, round_t).mantissa;
  const i128 qh = fixed::cast(p.hi, fp, round_t).mantissa;
  check_order_free(ctx.node, acc, ql, qh);
  return {Signal{q, ql, qh}, 0, false};
}

RowSums row_sums(LayerContext& ctx, const std::vector<Signal>& x, const ir::DenseGeometry& s,
                 const fixed::FixedType& x_t) {
  const ir::Node& node = ctx.node;
  const fixed::FixedType& acc = node.type("accum");
  const int fp = x_t.frac() + node.type("weight").frac();
  const int k = fp - acc.frac();  // > 0: accum_t drops k bits of a product
  const SplitProducts split = split_products(node, x, s, k);
  arith::CmvmOptions options;
  for (const Signal& xi : x) options.input_ranges.push_back({xi.lo, xi.hi});
  const auto outs = emit_adder_graph(ctx.nl, arith::optimize_cmvm(split.shared, options), x, "mul");
  std::vector<std::vector<ShiftedTerm>> terms(static_cast<std::size_t>(s.n_out));
  RowSums out;
  std::vector<i128> lo(terms.size(), 0), hi(terms.size(), 0);
  auto add_term = [&](std::int64_t j, const ShiftedTerm& t) {
    i128 l = 0, h = 0;
    term_range(t, l, h);
    lo[j] += l;
    hi[j] += h;
    terms[j].push_back(t);
  };
  for (std::int64_t j = 0; j < s.n_out; ++j) {
    if (!outs[j]) continue;
    ShiftedTerm t = *outs[j];
    t.shift -= k;  // to accum_t's fraction, exactly
    add_term(j, t);
  }
  for (std::size_t r = 0; r < split.rounded.size(); ++r) {
    add_term(split.rounded[r].second, rounded_product(ctx, *outs.at(s.n_out + r), fp, k));
  }
  const linear::DenseOperands ops = linear::dense_operands(node, x_t);
  for (std::int64_t j = 0; j < s.n_out; ++j) {
    const i128 b = fixed::mantissa_value(ops.bias_in_accum[static_cast<std::size_t>(j)], acc);
    // Every partial sum lies in [b + lo, b + hi]: each term's range holds 0.
    out.lo = std::min(out.lo, b + lo[j]);
    out.hi = std::max(out.hi, b + hi[j]);
    if (b != 0) terms[j].push_back({constant_signal(ctx.nl, b), 0, false});
    out.sums.push_back(sum_terms(ctx.nl, terms[j], "acc"));
  }
  return out;
}

}  // namespace

std::vector<NetId> emit_dense(LayerContext& ctx) {
  const ir::Node& node = ctx.node;
  const ir::DenseGeometry s = ir::dense_geometry(node);
  const fixed::FixedType& acc = node.type("accum");
  const fixed::FixedType& x_t = ctx.inputs.at(0).type;
  std::vector<NetId> y;
  for (std::int64_t r = 0; r < s.positions; ++r) {
    const auto first = ctx.inputs[0].elements.begin() + r * s.n_in;
    const std::vector<Signal> x(first, first + s.n_in);
    const RowSums sums = row_sums(ctx, x, s, x_t);
    check_order_free(node, acc, sums.lo, sums.hi);
    for (const Signal& a : sums.sums) {
      const NetId wrapped = emit_cast(ctx.nl, {a.net, acc.frac()}, acc, "acc_t");
      y.push_back(emit_cast(ctx.nl, {wrapped, acc.frac()}, result_type(ctx), "y"));
    }
  }
  return y;
}

}  // namespace nnfpga::backend::verilog
