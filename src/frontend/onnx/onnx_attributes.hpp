// Typed access to a NodeProto's attributes with ONNX's defaults; a wrongly typed attribute is a
// corrupt file (Error kInput naming the node).
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnfpga::frontend::onnx {

const ::onnx::AttributeProto* find_attribute(const ::onnx::NodeProto& node,
                                             const std::string& name);
// The string attribute `name` of `node`, or `fallback` when it is absent.
std::string string_attribute(const ::onnx::NodeProto& node, const std::string& name,
                             const std::string& fallback);
std::int64_t int_attribute(const ::onnx::NodeProto& node, const std::string& name,
                           std::int64_t fallback);
double float_attribute(const ::onnx::NodeProto& node, const std::string& name, double fallback);
std::optional<double> optional_float_attribute(const ::onnx::NodeProto& node,
                                               const std::string& name);

}  // namespace nnfpga::frontend::onnx
