// TensorProto -> ir::Tensor, defensively: sizes are checked before anything is allocated, so a
// corrupt file gives an Error, never a huge allocation.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>

#include "ir/tensor.hpp"

namespace nnfpga::frontend::onnx {

// The largest element count the reader accepts for any tensor or activation shape. FPGA models
// are far smaller; the cap keeps a corrupt file from asking for gigabytes.
inline constexpr std::int64_t kMaxElements = std::int64_t{1} << 24;

// The element count of `dims`, or an Error (kInput) when a dim is negative or the product passes
// kMaxElements. `what` names the tensor in the message.
std::int64_t checked_element_count(const ir::Shape& dims, const std::string& what);

// Converts any numeric ONNX tensor to doubles with its ONNX shape. Throws nnfpga::Error: kInput
// for inconsistent sizes, external data, NaN or infinity; kUnsupported for string and other
// non-numeric element types. Messages name `what` (the tensor or node).
ir::Tensor tensor_from_proto(const ::onnx::TensorProto& proto, const std::string& what);

// ONNX's spelling of an element type ("FLOAT", "INT64"), for messages.
std::string element_type_name(int data_type);

}  // namespace nnfpga::frontend::onnx
