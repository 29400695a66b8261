#include "frontend/onnx/onnx_attributes.hpp"

#include <cmath>

#include "frontend/onnx/reader_context.hpp"

namespace nnfpga::frontend::onnx {

using ::onnx::AttributeProto;

const AttributeProto* find_attribute(const ::onnx::NodeProto& node, const std::string& name) {
  for (const AttributeProto& a : node.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

std::string string_attribute(const ::onnx::NodeProto& node, const std::string& name,
                             const std::string& fallback) {
  const AttributeProto* a = find_attribute(node, name);
  return a ? a->s() : fallback;
}

std::int64_t int_attribute(const ::onnx::NodeProto& node, const std::string& name,
                           std::int64_t fallback) {
  const AttributeProto* a = find_attribute(node, name);
  if (!a) return fallback;
  // Some writers leave the type unset on old files; an int field that is set is still an int.
  if (a->type() != AttributeProto::INT && a->type() != AttributeProto::UNDEFINED) {
    throw_bad_node(node, "attribute '" + name + "' is not an integer");
  }
  return a->i();
}

std::optional<double> optional_float_attribute(const ::onnx::NodeProto& node,
                                               const std::string& name) {
  const AttributeProto* a = find_attribute(node, name);
  if (!a) return std::nullopt;
  if (a->type() != AttributeProto::FLOAT && a->type() != AttributeProto::UNDEFINED) {
    throw_bad_node(node, "attribute '" + name + "' is not a float");
  }
  if (std::isnan(a->f())) throw_bad_node(node, "attribute '" + name + "' is NaN");
  return a->f();
}

double float_attribute(const ::onnx::NodeProto& node, const std::string& name, double fallback) {
  return optional_float_attribute(node, name).value_or(fallback);
}

}  // namespace nnfpga::frontend::onnx
