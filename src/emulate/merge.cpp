// The merge layers (docs/layers.md): Add, Subtract, Multiply, Average, Maximum and Minimum form
// the exact result of the input values, whatever their types (binary points aligned exactly), an
// input broadcast where an axis of it is 1 or missing (ir::MergeGeometry), and cast it once to
// result_t; Concatenate casts each input to result_t, on any axis (ir::ConcatGeometry).
#include "emulate/merge.hpp"

#include <algorithm>

#include "emulate/caster.hpp"
#include "emulate/kernel.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {

fixed::FixedType merge_step_type(ir::OpKind op, const fixed::FixedType& acc,
                                 const fixed::FixedType& next) {
  switch (op) {
    case ir::OpKind::kAdd:
    case ir::OpKind::kAverage:
      return fixed::sum_type(acc, next);
    case ir::OpKind::kSubtract:
      return fixed::difference_type(acc, next);
    case ir::OpKind::kMultiply:
      return fixed::product_type(acc, next);
    case ir::OpKind::kMaximum:
    case ir::OpKind::kMinimum:
      return fixed::common_type(acc, next);
    default:
      throw Error(ErrorKind::kInternal, "not a merge op: " + std::string(ir::op_info(op).name));
  }
}

std::vector<fixed::FixedType> merge_chain_types(ir::OpKind op,
                                                const std::vector<fixed::FixedType>& inputs) {
  std::vector<fixed::FixedType> chain;
  for (std::size_t k = 1; k < inputs.size(); ++k) {
    chain.push_back(merge_step_type(op, k == 1 ? inputs[0] : chain.back(), inputs[k]));
  }
  return chain;
}

int average_shift(const ir::Node& node) {
  const std::size_t n = node.inputs.size();
  if (n < 2 || (n & (n - 1)) != 0) {
    throw Error(ErrorKind::kUnsupported,
                "Average of " + std::to_string(n) +
                    " inputs: only a power-of-two count divides exactly (a shift)",
                {.node = node.name});
  }
  int shift = 0;
  while ((std::size_t{1} << shift) < n) ++shift;
  return shift;
}

namespace {

// The exact value of every input aligned to one binary point, combined element by element.
class Merge : public Kernel {
 public:
  Merge(const ir::Node& node, const std::vector<const ir::Node*>& producers)
      : op_(node.op),
        size_(ir::element_count(node.output_shape)),
        result_t_(checked_type(node, "result")) {
    if (producers.size() < 2) {
      throw Error(ErrorKind::kInternal, "a merge layer needs two or more inputs",
                  {.node = node.name});
    }
    std::vector<fixed::FixedType> types;
    for (const ir::Node* p : producers) types.push_back(producer_type(*p));
    const fixed::FixedType exact = merge_chain_types(op_, types).back();
    require_exact_width(node, exact.width + (exact.is_signed ? 0 : 1), "merged value");
    inputs_ = types;
    frac_ = types[0].frac();
    for (const fixed::FixedType& t : types) frac_ = std::max(frac_, t.frac());
    if (op_ == ir::OpKind::kMultiply) {
      frac_ = 0;
      for (const fixed::FixedType& t : types) frac_ += t.frac();
    }
    if (op_ == ir::OpKind::kAverage) divide_shift_ = average_shift(node);
    // A broadcast input's element for each output element, once per layer; none for an input of
    // the output's shape (its element k is output element k's).
    const ir::MergeGeometry g = ir::merge_geometry(node);
    input_sizes_ = g.input_sizes;
    index_.resize(producers.size());
    for (std::size_t i = 0; i < producers.size(); ++i) {
      if (g.input_sizes[i] == size_) continue;
      for (std::int64_t k = 0; k < size_; ++k) index_[i].push_back(g.input_index(i, k));
    }
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    for (std::int64_t r = 0; r < a.rows; ++r) {
      for (std::int64_t e = 0; e < size_; ++e) {
        const fixed::CastResult c = fixed::cast(combine(a, r, e), frac_ + divide_shift_, result_t_);
        a.output[r * size_ + e] = c.mantissa;
        overflows += c.overflowed;
      }
    }
    a.counters->result_overflows += overflows;
  }

 private:
  // Input i's value at output element e of row r, as a mantissa at fraction frac_ (Multiply: its
  // own fraction).
  i128 value(const KernelArgs& a, std::size_t i, std::int64_t r, std::int64_t e) const {
    const std::int64_t k = index_[i].empty() ? e : index_[i][static_cast<std::size_t>(e)];
    const i128 m = fixed::mantissa_value(a.inputs[i][r * input_sizes_[i] + k], inputs_[i]);
    if (op_ == ir::OpKind::kMultiply) return m;
    return m * (i128{1} << (frac_ - inputs_[i].frac()));
  }

  i128 combine(const KernelArgs& a, std::int64_t r, std::int64_t e) const {
    i128 acc = value(a, 0, r, e);
    for (std::size_t i = 1; i < inputs_.size(); ++i) {
      const i128 v = value(a, i, r, e);
      switch (op_) {
        case ir::OpKind::kSubtract:
          acc -= v;
          break;
        case ir::OpKind::kMultiply:
          acc *= v;
          break;
        case ir::OpKind::kMaximum:
          acc = std::max(acc, v);
          break;
        case ir::OpKind::kMinimum:
          acc = std::min(acc, v);
          break;
        case ir::OpKind::kAdd:
        case ir::OpKind::kAverage:
          acc += v;
          break;
        default:  // the constructor admits merge ops only (merge_chain_types)
          throw Error(ErrorKind::kInternal, "not a merge op");
      }
    }
    return acc;
  }

  ir::OpKind op_;
  std::int64_t size_;
  fixed::FixedType result_t_;
  std::vector<fixed::FixedType> inputs_;
  std::vector<std::int64_t> input_sizes_;         // elements per row of each input
  std::vector<std::vector<std::int64_t>> index_;  // per broadcast input: its element per output's
  int frac_ = 0;          // the common fraction of the aligned inputs (or of the product)
  int divide_shift_ = 0;  // Average: log2 of the input count
};

// Each input's blocks (its axes from the concatenation axis on) land side by side, every value
// cast to result_t.
class Concatenate : public Kernel {
 public:
  Concatenate(const ir::Node& node, const std::vector<const ir::Node*>& producers)
      : size_(ir::element_count(node.output_shape)) {
    const ir::ConcatGeometry g = ir::concat_geometry(node);
    out_inner_ = g.out_inner();
    inner_ = g.inner;
    const fixed::FixedType& result_t = checked_type(node, "result");
    for (const ir::Node* p : producers) casts_.emplace_back(producer_type(*p).frac(), result_t);
  }

  void run(const KernelArgs& a) const override {
    std::int64_t overflows = 0;
    const std::int64_t outer = a.rows * (size_ / out_inner_);
    for (std::int64_t o = 0; o < outer; ++o) {
      std::int64_t* y = a.output + o * out_inner_;
      for (std::size_t i = 0; i < inner_.size(); ++i) {
        overflows += casts_[i].cast_array(a.inputs[i] + o * inner_[i], y, inner_[i]);
        y += inner_[i];
      }
    }
    a.counters->result_overflows += overflows;
  }

 private:
  std::int64_t size_;
  std::int64_t out_inner_ = 0;
  std::vector<std::int64_t> inner_;  // elements of each input's block
  std::vector<Caster> casts_;
};

}  // namespace

std::unique_ptr<Kernel> make_merge_kernel(const ir::Node& node,
                                          const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Merge>(node, inputs);
}

std::unique_ptr<Kernel> make_concatenate_kernel(const ir::Node& node,
                                                const std::vector<const ir::Node*>& inputs) {
  return std::make_unique<Concatenate>(node, inputs);
}

}  // namespace nnfpga::emulate
