#include "frontend/keras/hgq1_proxy.hpp"

#include <cmath>
#include <map>
#include <optional>

#include "fixed/exact_type.hpp"
#include "ir/element_types.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::frontend::keras {
namespace {

// HGQ's RND_MAP and SAT_MAP names (HGQ/proxy/fixed_point_quantizer.py): each one computes what the
// ap_fixed mode of that name does (RND is floor(x + 0.5), ties up; RND_ZERO, RND_MIN_INF and
// RND_INF move ties toward zero, minus infinity and away from zero; SAT_SYM clips to
// -high..high). WRAP_SM, HGQ's reflective wrap, is left out: not verified against AP_WRAP_SM.
std::optional<fixed::Quantization> round_mode(const std::string& name) {
  static const std::map<std::string, fixed::Quantization> modes = {
      {"TRN", fixed::Quantization::kTrn},          {"RND", fixed::Quantization::kRnd},
      {"RND_CONV", fixed::Quantization::kRndConv}, {"TRN_ZERO", fixed::Quantization::kTrnZero},
      {"RND_ZERO", fixed::Quantization::kRndZero}, {"RND_MIN_INF", fixed::Quantization::kRndMinInf},
      {"RND_INF", fixed::Quantization::kRndInf},
  };
  const auto it = modes.find(name);
  return it == modes.end() ? std::nullopt : std::optional(it->second);
}

std::optional<fixed::Overflow> overflow_mode(const std::string& name) {
  static const std::map<std::string, fixed::Overflow> modes = {
      {"WRAP", fixed::Overflow::kWrap},
      {"SAT", fixed::Overflow::kSat},
      {"SAT_SYM", fixed::Overflow::kSatSym},
      {"SAT_ZERO", fixed::Overflow::kSatZero},
  };
  const auto it = modes.find(name);
  return it == modes.end() ? std::nullopt : std::optional(it->second);
}

// Whether `bw` (the bit widths' shape) broadcasts onto [batch, shape...] as numpy aligns shapes:
// from the right, each dimension 1 or equal, the batch's 1.
bool broadcasts(const ir::Shape& bw, const ir::Shape& shape) {
  if (bw.size() > shape.size() + 1) return false;
  for (std::size_t k = 1; k <= bw.size(); ++k) {
    const std::int64_t b = bw[bw.size() - k];
    if (k == shape.size() + 1) return b == 1;  // the batch axis
    if (b != 1 && b != shape[shape.size() - k]) return false;
  }
  return true;
}

// The index into the bit widths (shape `bw`, broadcast as above) of element `element` of a
// row-major tensor of `shape`.
std::size_t bit_width_index(const ir::Shape& bw, const ir::Shape& shape, std::int64_t element) {
  std::int64_t rest = element, index = 0, stride = 1;
  for (std::size_t k = 1; k <= shape.size(); ++k) {
    const std::int64_t coordinate = rest % shape[shape.size() - k];
    rest /= shape[shape.size() - k];
    if (k > bw.size()) continue;
    const std::int64_t b = bw[bw.size() - k];
    if (b != 1) index += coordinate * stride;
    stride *= b;
  }
  return static_cast<std::size_t>(index);
}

}  // namespace

void convert_fixed_point_quantizer(Call& c) {
  const std::string& input = c.only_input();
  Weights w = c.named({"keep_negative", "bits", "integers"});
  const ir::Tensor& k = w.at("keep_negative");
  const ir::Tensor& b = w.at("bits");
  const ir::Tensor& i = w.at("integers");
  if (k.shape != b.shape || b.shape != i.shape) {
    c.malformed("keep_negative, bits and integers have different shapes (" +
                ir::to_string(k.shape) + ", " + ir::to_string(b.shape) + ", " +
                ir::to_string(i.shape) + "); expected one shape");
  }
  const ir::Shape& shape = c.b.shape_of(input);
  if (!broadcasts(b.shape, shape)) {
    c.malformed("the bit widths' shape " + ir::to_string(b.shape) +
                " does not broadcast onto the activation's [batch, " +
                ir::to_string(shape).substr(1) + "; expected [1, ...] or [1]");
  }
  const std::string rnd = c.config_or<std::string>("RND", "TRN");
  const std::string sat = c.config_or<std::string>("SAT", "WRAP");
  const std::optional<fixed::Quantization> q = round_mode(rnd);
  const std::optional<fixed::Overflow> o = overflow_mode(sat);
  if (!q || !o) {
    return c.refuse_elementwise(
        !q ? "RND '" + rnd +
                 "' is not a rounding mode nnfpga reads (TRN, RND, RND_CONV, "
                 "TRN_ZERO, RND_ZERO, RND_MIN_INF, RND_INF)"
           : "SAT '" + sat +
                 "' is not an overflow mode nnfpga reads (WRAP, SAT, SAT_SYM, SAT_ZERO)",
        input);
  }
  std::vector<std::optional<fixed::FixedType>> types;
  const std::int64_t n = ir::element_count(shape);
  for (std::int64_t e = 0; e < n; ++e) {
    const std::size_t at = bit_width_index(b.shape, shape, e);
    const double kn = k.data[at], bits = b.data[at], integers = i.data[at];
    if (bits == 0) {  // HGQ multiplies by (bits != 0)
      types.push_back(std::nullopt);
      continue;
    }
    if ((kn != 0 && kn != 1) || bits < 0 || bits > fixed::kMaxTypeWidth ||
        integers < fixed::kMinIntegerBits || integers > fixed::kMaxIntegerBits) {
      c.malformed("element " + std::to_string(e) + " has keep_negative " + std::to_string(kn) +
                  ", bits " + std::to_string(bits) + ", integers " + std::to_string(integers) +
                  "; expected keep_negative 0 or 1 and bits 0 to 64");
    }
    types.push_back(
        fixed::make_fixed(static_cast<int>(bits), static_cast<int>(integers), kn == 1, *q, *o));
  }
  bool all_zero = true, one_type = true;
  for (const auto& t : types) {
    all_zero = all_zero && !t;
    one_type = one_type && t == types.front();
  }
  if (all_zero) {
    return c.refuse_elementwise(
        "every element has 0 bits, so HGQ outputs zeros; nnfpga has no 0-bit type", input);
  }
  ir::Node node = unary(ir::OpKind::kQuantize, input);
  if (one_type) {
    node.declared_types["result"] = fixed::to_string(*types.front());
  } else {
    node.attrs.set(ir::kElementTypes, ir::format_element_types(types));
    node.declared_types["result"] = "auto";
  }
  node.declared_by = "HGQ proxy FixedPointQuantizer '" + c.layer.name + "'";
  c.b.set_output(c.layer.name, c.add(std::move(node), c.layer.name));
}

void refuse_unary_lut(Call& c) {
  c.refuse_elementwise(
      "HGQ's UnaryLUT (a proxy model's table of a non-ReLU activation) is not read; train the "
      "HGQ model with ReLU activations, or quantize the activation with a FixedPointQuantizer",
      c.only_input());
}

bool is_hgq1_proxy(const KerasModel& model) {
  for (const KerasLayer& layer : model.layers) {
    if (layer.class_name == "FixedPointQuantizer" ||
        layer.class_name == "HGQ>FixedPointQuantizer") {
      return true;
    }
  }
  return false;
}

void declare_proxy_exact_types(ir::Graph& graph, const std::string& origin) {
  for (ir::Node& node : graph.nodes) {
    if (!node.declared_by.empty() || node.op == ir::OpKind::kInput) continue;
    const ir::OpInfo& info = ir::op_info(node.op);
    std::map<std::string, std::string> declared;
    for (const ir::ParamInfo& p : info.params) {
      const auto it = node.params.find(std::string(p.name));
      if (it == node.params.end()) continue;
      const std::optional<fixed::FixedType> exact = fixed::exact_type_of(it->second.data);
      if (!exact) {
        throw Error(ErrorKind::kUnsupported,
                    "the " + std::string(p.name) +
                        " of this layer of an HGQ proxy model has values no 64-bit fixed-point "
                        "type holds exactly (expected the quantized weights HGQ writes)",
                    {.file = origin, .node = node.name});
      }
      declared[std::string(p.type_key)] = fixed::to_string(*exact);
    }
    if (info.has_type_key("accum")) declared["accum"] = "auto";
    if (info.auto_result != ir::AutoResult::kNotInferred) declared["result"] = "auto";
    if (declared.empty()) continue;
    node.declared_types = std::move(declared);
    node.declared_by = "HGQ proxy model (exact between its quantizers)";
  }
}

}  // namespace nnfpga::frontend::keras
