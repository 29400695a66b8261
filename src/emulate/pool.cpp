// MaxPool, AveragePool and their Global forms (1-D and 2-D) over channels-last inputs, each
// channel on its own (docs/layers.md): the maximum of the window's input elements, cast once; or
// their exact sum cast once into accum_t, divided by the count exactly and cast once into
// result_t. Padding takes no part in either (AveragePool's count_include_pad only counts it).
#include <algorithm>

#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

class MaxPool : public Kernel {
 public:
  MaxPool(const ir::WindowGeometry& g, const Caster& to_result) : g_(g), to_result_(to_result) {}

  void run(const KernelArgs& a) const override {
    const std::int64_t c = g_.channels, in_size = g_.in_h * g_.in_w * c;
    std::vector<std::int64_t>& best = a.scratch->wide;
    best.resize(static_cast<std::size_t>(c));
    std::int64_t* y = a.output;
    for (std::int64_t r = 0; r < a.rows; ++r) {
      const std::int64_t* x = a.inputs[0] + r * in_size;
      for (std::int64_t oh = 0; oh < g_.out_h; ++oh) {
        for (std::int64_t ow = 0; ow < g_.out_w; ++ow, y += c) {
          bool first = true;
          for (std::int64_t kh = 0; kh < g_.k_h; ++kh) {
            for (std::int64_t kw = 0; kw < g_.k_w; ++kw) {
              const std::int64_t p = g_.input_position(oh, ow, kh, kw);
              if (p < 0) continue;
              for (std::int64_t k = 0; k < c; ++k) {
                best[k] = first ? x[p * c + k] : std::max(best[k], x[p * c + k]);
              }
              first = false;
            }
          }
          a.counters->result_overflows += to_result_.cast_array(best.data(), y, c);
        }
      }
    }
  }

 private:
  ir::WindowGeometry g_;
  Caster to_result_;
};

class AveragePool : public Kernel {
 public:
  AveragePool(const ir::WindowGeometry& g, bool count_pad, const fixed::FixedType& x_t,
              const fixed::FixedType& accum_t, const fixed::FixedType& result_t)
      : g_(g), count_pad_(count_pad), x_frac_(x_t.frac()), accum_t_(accum_t), result_t_(result_t) {
    // The quotient keeps one bit below result_t's last (and a sticky bit below that), so that its
    // one cast rounds as the exact quotient would: see mean().
    shift_ = std::max(0, result_t.frac() + 1 - accum_t.frac());
  }

  void run(const KernelArgs& a) const override {
    const std::int64_t c = g_.channels, in_size = g_.in_h * g_.in_w * c;
    std::vector<std::int64_t>& sum = a.scratch->wide;
    sum.resize(static_cast<std::size_t>(c));
    std::int64_t* y = a.output;
    Counters& counters = *a.counters;
    for (std::int64_t r = 0; r < a.rows; ++r) {
      const std::int64_t* x = a.inputs[0] + r * in_size;
      for (std::int64_t oh = 0; oh < g_.out_h; ++oh) {
        for (std::int64_t ow = 0; ow < g_.out_w; ++ow, y += c) {
          std::fill(sum.begin(), sum.end(), 0);
          std::int64_t valid = 0;
          for (std::int64_t kh = 0; kh < g_.k_h; ++kh) {
            for (std::int64_t kw = 0; kw < g_.k_w; ++kw) {
              const std::int64_t p = g_.input_position(oh, ow, kh, kw);
              if (p < 0) continue;
              ++valid;
              // Exact: a window holds at most 2^31 elements of at most 32 bits here (checked at
              // construction), so the int64 sum cannot overflow.
              for (std::int64_t k = 0; k < c; ++k) sum[k] += x[p * c + k];
            }
          }
          const std::int64_t n = count_pad_ ? g_.window() : valid;
          for (std::int64_t k = 0; k < c; ++k) {
            const fixed::CastResult acc = fixed::cast(sum[k], x_frac_, accum_t_);
            const fixed::CastResult out = mean(acc.mantissa, n);
            counters.accum_overflows += acc.overflowed;
            counters.result_overflows += out.overflowed;
            y[k] = out.mantissa;
          }
        }
      }
    }
  }

 private:
  // cast(acc / n, result_t) for acc in accum_t: the quotient q = floor(acc·2^s / n) at fraction
  // F_a + s >= F_r + 1, doubled with a sticky bit (remainder != 0) below it. Every rounding
  // boundary of result_t is a whole multiple of that grid's unit, and an inexact quotient and
  // q + 1/2 both lie strictly between q and q + 1, so they round alike in every mode.
  fixed::CastResult mean(std::int64_t acc, std::int64_t n) const {
    const i128 num = i128{acc} << shift_;
    i128 q = num / n, rem = num % n;
    if (rem < 0) {
      q -= 1;
      rem += n;
    }
    return fixed::cast(2 * q + (rem != 0), accum_t_.frac() + shift_ + 1, result_t_);
  }

  ir::WindowGeometry g_;
  bool count_pad_;
  int x_frac_;
  fixed::FixedType accum_t_, result_t_;
  int shift_ = 0;
};

std::unique_ptr<Kernel> make_pool(const ir::Node& node,
                                  const std::vector<const ir::Node*>& inputs) {
  const ir::WindowGeometry g = ir::pool_geometry(node);
  const fixed::FixedType& x_t = producer_type(*inputs.at(0));
  const fixed::FixedType& result_t = checked_type(node, "result");
  if (ir::op_info(node.op).accum_rule != ir::AccumRule::kWindowSum) {
    return std::make_unique<MaxPool>(g, Caster(x_t.frac(), result_t));
  }
  const fixed::FixedType& accum_t = checked_type(node, "accum");
  if (x_t.width > 32 || g.window() > (std::int64_t{1} << 30)) {
    throw Error(ErrorKind::kConfig,
                "the emulator averages inputs of at most 32 bits over at most 2^30 positions",
                {.node = node.name});
  }
  const int shift = std::max(0, result_t.frac() + 1 - accum_t.frac());
  require_exact_width(node, accum_t.width + shift + 2, "average quotient");
  return std::make_unique<AveragePool>(g, node.attrs.get_int_or("count_include_pad", 0) != 0, x_t,
                                       accum_t, result_t);
}

}  // namespace

std::unique_ptr<Kernel> make_pool_kernel(const ir::Node& node,
                                         const std::vector<const ir::Node*>& inputs) {
  return make_pool(node, inputs);
}

}  // namespace nnfpga::emulate
