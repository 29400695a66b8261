#include "linear/dense_operands.hpp"

#include "nnfpga/error.hpp"

namespace nnfpga::linear {

DenseOperands dense_operands(const ir::Node& node, const fixed::FixedType& x) {
  DenseOperands d;
  d.geometry = ir::weighted_sum_geometry(node);
  d.x = x;
  d.weight = node.type("weight");
  d.bias = node.type("bias");
  d.accum = node.type("accum");
  d.result = node.type("result");
  const std::vector<std::int64_t>& w = node.qparam("weight").mantissa;
  if (static_cast<std::int64_t>(w.size()) != d.geometry.products()) {
    throw Error(ErrorKind::kInternal, "quantized weight has the wrong size", {.node = node.name});
  }
  d.weights = {w, d.geometry.n_in, d.geometry.n_out};
  const auto n_out = static_cast<std::size_t>(d.geometry.n_out);
  d.bias_in_accum.assign(n_out, 0);
  d.bias_overflowed.assign(n_out, 0);
  d.has_bias = node.qparams.count("bias") != 0;
  if (d.has_bias) {
    const ir::QuantizedTensor& b = node.qparam("bias");
    for (std::size_t j = 0; j < n_out; ++j) {
      const fixed::CastResult c = fixed::cast(b.mantissa.at(j), b.type.frac(), d.accum);
      d.bias_in_accum[j] = c.mantissa;
      d.bias_overflowed[j] = c.overflowed;
    }
  }
  return d;
}

std::optional<std::vector<Range>> accumulator_ranges(const DenseOperands& d,
                                                     std::span<const Range> x) {
  const int shift = d.accum_shift();
  if (shift < 0) return std::nullopt;
  std::optional<std::vector<Range>> products = product_sum_ranges(d.weights, x);
  if (!products) return std::nullopt;
  std::vector<Range> out;
  out.reserve(products->size());
  for (std::size_t j = 0; j < products->size(); ++j) {
    const i128 b = fixed::mantissa_value(d.bias_in_accum[j], d.accum);
    const std::optional<Range> r = scaled((*products)[j], shift, b);
    if (!r) return std::nullopt;
    out.push_back(*r);
  }
  return out;
}

bool accumulation_is_exact(const DenseOperands& d, std::span<const Range> x) {
  for (char overflowed : d.bias_overflowed) {
    if (overflowed) return false;
  }
  const std::optional<std::vector<Range>> ranges = accumulator_ranges(d, x);
  if (!ranges) return false;
  for (const Range& r : *ranges) {
    if (!holds(d.accum, r)) return false;
  }
  return true;
}

bool accumulation_is_exact(const DenseOperands& d) {
  const std::vector<Range> x(static_cast<std::size_t>(d.geometry.n_in), type_range(d.x));
  return accumulation_is_exact(d, x);
}

}  // namespace nnfpga::linear
