#include "frontend/onnx/tensor_conversion.hpp"

#include <bit>
#include <cmath>
#include <cstring>

#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

using ::onnx::TensorProto;

[[noreturn]] void bad(const std::string& what, const std::string& why) {
  throw Error(ErrorKind::kInput, "tensor '" + what + "': " + why);
}

// Bytes per element in raw_data, or 0 for the types the reader does not convert.
std::size_t element_size(int t) {
  switch (t) {
    case TensorProto::FLOAT:
    case TensorProto::INT32:
    case TensorProto::UINT32:
      return 4;
    case TensorProto::DOUBLE:
    case TensorProto::INT64:
    case TensorProto::UINT64:
      return 8;
    case TensorProto::INT8:
    case TensorProto::UINT8:
    case TensorProto::BOOL:
      return 1;
    case TensorProto::INT16:
    case TensorProto::UINT16:
    case TensorProto::FLOAT16:
    case TensorProto::BFLOAT16:
      return 2;
    default:
      return 0;
  }
}

double half_to_double(std::uint16_t h) {
  const int sign = (h >> 15) & 1;
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  double v;
  if (exponent == 0) {
    v = std::ldexp(mantissa, -24);
  } else if (exponent == 31) {
    v = mantissa ? std::nan("") : INFINITY;
  } else {
    v = std::ldexp(mantissa + 1024, exponent - 25);
  }
  return sign ? -v : v;
}

double bfloat16_to_double(std::uint16_t b) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16);
}

// Decodes one little-endian element of type `t` (ONNX stores raw_data little-endian whatever the
// host; assembling bytes by shifts keeps this correct on any host).
double decode_raw(int t, const unsigned char* p) {
  std::uint64_t bits = 0;
  const std::size_t n = element_size(t);
  for (std::size_t i = 0; i < n; ++i) bits |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  switch (t) {
    case TensorProto::FLOAT:
      return std::bit_cast<float>(static_cast<std::uint32_t>(bits));
    case TensorProto::DOUBLE:
      return std::bit_cast<double>(bits);
    case TensorProto::INT8:
      return static_cast<std::int8_t>(bits);
    case TensorProto::INT16:
      return static_cast<std::int16_t>(bits);
    case TensorProto::INT32:
      return static_cast<std::int32_t>(bits);
    case TensorProto::INT64:
      return static_cast<double>(static_cast<std::int64_t>(bits));
    case TensorProto::FLOAT16:
      return half_to_double(static_cast<std::uint16_t>(bits));
    case TensorProto::BFLOAT16:
      return bfloat16_to_double(static_cast<std::uint16_t>(bits));
    case TensorProto::BOOL:
      return bits != 0 ? 1.0 : 0.0;
    default:
      return static_cast<double>(bits);  // the unsigned types
  }
}

// The values in the typed repeated fields; which field holds which type is fixed by onnx.proto.
std::vector<double> typed_values(const TensorProto& p, std::size_t count, const std::string& what) {
  const int t = p.data_type();
  std::vector<double> out;
  auto take = [&](const auto& field, auto convert) {
    if (static_cast<std::size_t>(field.size()) != count) {
      bad(what, "holds " + std::to_string(field.size()) + " values for " + std::to_string(count) +
                    " elements");
    }
    out.reserve(count);
    for (const auto& v : field) out.push_back(convert(v));
  };
  auto same = [](auto v) { return static_cast<double>(v); };
  switch (t) {
    case TensorProto::FLOAT:
      take(p.float_data(), same);
      break;
    case TensorProto::DOUBLE:
      take(p.double_data(), same);
      break;
    case TensorProto::INT64:
      take(p.int64_data(), same);
      break;
    case TensorProto::UINT32:
    case TensorProto::UINT64:
      take(p.uint64_data(), same);
      break;
    case TensorProto::FLOAT16:
      take(p.int32_data(),
           [](std::int32_t v) { return half_to_double(static_cast<std::uint16_t>(v)); });
      break;
    case TensorProto::BFLOAT16:
      take(p.int32_data(),
           [](std::int32_t v) { return bfloat16_to_double(static_cast<std::uint16_t>(v)); });
      break;
    case TensorProto::BOOL:
      take(p.int32_data(), [](std::int32_t v) { return v != 0 ? 1.0 : 0.0; });
      break;
    default:
      take(p.int32_data(), same);
      break;  // INT8/16/32, UINT8/16
  }
  return out;
}

}  // namespace

std::int64_t checked_element_count(const ir::Shape& dims, const std::string& what) {
  std::int64_t n = 1;
  for (std::int64_t d : dims) {
    if (d < 0) bad(what, "has a negative dimension " + std::to_string(d));
    // Dividing first keeps the check itself from overflowing.
    if (d > 0 && n > kMaxElements / d) {
      bad(what, "has more than " + std::to_string(kMaxElements) + " elements");
    }
    n *= d;
  }
  return n;
}

std::string element_type_name(int data_type) {
  if (!TensorProto::DataType_IsValid(data_type)) return "type " + std::to_string(data_type);
  return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(data_type));
}

ir::Tensor tensor_from_proto(const TensorProto& p, const std::string& what) {
  if (p.data_location() == TensorProto::EXTERNAL || p.external_data_size() > 0) {
    bad(what, "stores its data in an external file, which the reader does not load");
  }
  if (p.has_segment()) bad(what, "is a segment of a larger tensor");
  const int t = p.data_type();
  if (element_size(t) == 0) {
    throw Error(ErrorKind::kUnsupported, "tensor '" + what + "' has element type " +
                                             element_type_name(t) + ", which is not numeric");
  }
  ir::Shape shape(p.dims().begin(), p.dims().end());
  const auto count = static_cast<std::size_t>(checked_element_count(shape, what));
  std::vector<double> data;
  if (p.has_raw_data()) {
    const std::string& raw = p.raw_data();
    if (raw.size() != count * element_size(t)) {
      bad(what, "raw_data has " + std::to_string(raw.size()) + " bytes, expected " +
                    std::to_string(count * element_size(t)));
    }
    data.reserve(count);
    const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
    for (std::size_t i = 0; i < count; ++i)
      data.push_back(decode_raw(t, bytes + i * element_size(t)));
  } else {
    data = typed_values(p, count, what);
  }
  for (double v : data) {
    if (!std::isfinite(v)) bad(what, "holds NaN or infinity");
  }
  return ir::Tensor{std::move(shape), std::move(data)};
}

}  // namespace nnfpga::frontend::onnx
