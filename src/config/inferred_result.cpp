#include "config/inferred_result.hpp"

#include <string>

#include "config/accumulator.hpp"
#include "fixed/exact.hpp"
#include "fixed/exact_type.hpp"
#include "ir/element_types.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config::detail {
namespace {

// The input's type with the modes of a type that never rounds nor overflows: the cast into it is
// exact, so the modes only matter to a later reader, and the plain ones read best.
fixed::FixedType plain(fixed::FixedType t) {
  t.quant = fixed::Quantization::kTrn;
  t.overflow = fixed::Overflow::kWrap;
  return t;
}

// The exact type of a merge of the node's inputs: `combine` folds the input types pairwise.
template <class Combine>
fixed::FixedType merged(const ir::Graph& graph, const ir::Node& node, Combine combine) {
  fixed::FixedType t = graph.at(node.inputs.at(0)).type("result");
  for (std::size_t i = 1; i < node.inputs.size(); ++i) {
    t = combine(t, graph.at(node.inputs[i]).type("result"));
  }
  return t;
}

// The exact type of a merge layer's result, or an error past 64 bits.
fixed::FixedType exact_merge(const ir::Graph& graph, const ir::Node& node, ir::AutoResult rule) {
  using R = ir::AutoResult;
  fixed::FixedType t;
  if (rule == R::kSum || rule == R::kMean) {
    t = merged(graph, node, fixed::sum_type);
  } else if (rule == R::kDifference) {
    t = merged(graph, node, fixed::difference_type);
  } else if (rule == R::kProduct) {
    t = merged(graph, node, fixed::product_type);
  } else {
    t = merged(graph, node, fixed::common_type);  // the values are the inputs'
  }
  if (rule == R::kMean) {
    // The sum divided by the input count 2^k: the same bits, k more of them fraction bits.
    int k = 0;
    while ((std::size_t{1} << k) < node.inputs.size()) ++k;
    t.integer -= k;
  }
  if (t.width > fixed::kMaxTypeWidth) {
    throw Error(ErrorKind::kConfig,
                "the exact result needs " + std::to_string(t.width) +
                    " bits, more than 64; narrow the inputs' types or give a result type",
                {.node = node.name});
  }
  return plain(t);
}

}  // namespace

fixed::FixedType inferred_result(const ir::Graph& graph, const ir::Node& node) {
  using R = ir::AutoResult;
  auto input_type = [&] { return graph.at(node.inputs.at(0)).type("result"); };
  const R rule = ir::op_info(node.op).auto_result;
  switch (rule) {
    case R::kAccum:
      return node.type("accum");
    case R::kAffine:
      return batchnorm_result(node, input_type());
    case R::kRelu: {
      // max(x, 0) of a signed type fits the same type without its sign bit.
      const fixed::FixedType x = input_type();
      if (!x.is_signed || x.width < 2) return plain(x);
      return fixed::make_fixed(x.width - 1, x.integer - 1, false);
    }
    case R::kThresholdValues: {
      // The values are the only results: the narrowest type holding them all.
      const std::vector<double>& values = node.attrs.get_floats("values");
      const std::optional<fixed::FixedType> t = fixed::exact_type_of(values);
      if (t) return *t;
      throw Error(ErrorKind::kConfig,
                  "no fixed-point type of at most 64 bits holds the Threshold layer's values",
                  {.node = node.name});
    }
    case R::kQuantize:
      if (node.attrs.has(ir::kElementTypes)) {
        // Each element in its own type: the narrowest type holding them all.
        if (const std::optional<fixed::FixedType> t = ir::union_type(ir::element_types(node))) {
          return *t;
        }
        throw Error(ErrorKind::kConfig,
                    "no fixed-point type of at most 64 bits holds every element type (or every "
                    "element is zeroed)",
                    {.node = node.name});
      }
      return plain(input_type());
    case R::kSum:
    case R::kDifference:
    case R::kProduct:
    case R::kCommon:
    case R::kMean:
      return exact_merge(graph, node, rule);
    case R::kInput:
      return plain(input_type());
    case R::kNotInferred:
      break;
  }
  throw Error(ErrorKind::kConfig,
              "Precision.result 'auto' is not inferred for " + std::string(ir::op_name(node.op)) +
                  " layers (their exact result is not a fixed-point type nnfpga derives); "
                  "give a type such as ap_fixed<16,6>",
              {.node = node.name});
}

}  // namespace nnfpga::config::detail
