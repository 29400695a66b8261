// Decoding and encoding whole .npy files. The layout: the magic "\x93NUMPY", a major and minor
// version byte, the header length (2 bytes little-endian in version 1, 4 bytes in 2 and 3), the
// header dictionary padded with spaces and ended by '\n', then the raw data.
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "io/npy.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::io {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
// numpy refuses headers over 10000 bytes by default; this allows more but stays small.
constexpr std::size_t kMaxHeaderBytes = 1 << 20;
constexpr std::size_t kAlignment = 64;

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
  throw Error(ErrorKind::kInput, what, {.file = origin});
}

// The element type a 'descr' string names.
struct ElementType {
  char kind = 'f';  // 'f' float, 'i' signed, 'u' unsigned, 'b' bool
  int size = 4;
  bool swap = false;  // the file's byte order differs from this machine's
};

ElementType parse_descr(const std::string& descr, const std::string& origin) {
  const std::string supported =
      "supported: <f2 <f4 <f8 <i1 <i2 <i4 <i8 <u1 <u2 <u4 <u8 |b1 |u1 |i1, or big-endian (>)";
  if (descr.size() < 3) fail(origin, "unsupported dtype '" + descr + "' (" + supported + ")");
  const char order = descr[0];
  ElementType t;
  t.kind = descr[1];
  const std::string size = descr.substr(2);
  const bool known = (t.kind == 'f' && (size == "2" || size == "4" || size == "8")) ||
                     ((t.kind == 'i' || t.kind == 'u') &&
                      (size == "1" || size == "2" || size == "4" || size == "8")) ||
                     (t.kind == 'b' && size == "1");
  if (!known || (order != '<' && order != '>' && order != '|' && order != '=')) {
    fail(origin, "unsupported dtype '" + descr + "' (" + supported + ")");
  }
  t.size = size[0] - '0';
  if (order == '|' && t.size != 1) {
    fail(origin, "dtype '" + descr + "' has no byte order for a multi-byte type");
  }
  const bool file_big = order == '>';
  const bool native_big = std::endian::native == std::endian::big;
  t.swap = t.size > 1 && order != '=' && order != '|' && file_big != native_big;
  return t;
}

template <typename Bits>
Bits load_bits(const char* p, bool swap) {
  Bits bits;
  std::memcpy(&bits, p, sizeof bits);
  if (swap) {
    Bits swapped = 0;
    for (std::size_t i = 0; i < sizeof bits; ++i) {
      swapped = static_cast<Bits>((swapped << 8) | ((bits >> (8 * i)) & 0xff));
    }
    bits = swapped;
  }
  return bits;
}

template <typename T, typename Bits>
void decode_as(const char* p, std::size_t count, bool swap, std::vector<double>& out) {
  static_assert(sizeof(T) == sizeof(Bits));
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = static_cast<double>(std::bit_cast<T>(load_bits<Bits>(p + i * sizeof(T), swap)));
  }
}

// IEEE binary16 (NumPy's float16), exactly: every half value is a double.
double half_to_double(std::uint16_t bits) {
  const int exponent = (bits >> 10) & 0x1f;
  const int mantissa = bits & 0x3ff;
  double magnitude = 0.0;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<double>(mantissa), -24);  // zero and subnormals
  } else if (exponent == 0x1f) {
    magnitude = mantissa == 0 ? std::numeric_limits<double>::infinity()
                              : std::numeric_limits<double>::quiet_NaN();
  } else {
    magnitude = std::ldexp(static_cast<double>(mantissa | 0x400), exponent - 25);
  }
  return (bits & 0x8000) != 0 ? -magnitude : magnitude;
}

void decode(const ElementType& t, const char* p, std::size_t count, std::vector<double>& out) {
  switch (t.kind) {
    case 'f':
      if (t.size == 2) {
        for (std::size_t i = 0; i < count; ++i) {
          out[i] = half_to_double(load_bits<std::uint16_t>(p + i * 2, t.swap));
        }
        return;
      }
      if (t.size == 4) return decode_as<float, std::uint32_t>(p, count, t.swap, out);
      return decode_as<double, std::uint64_t>(p, count, t.swap, out);
    case 'b':
      for (std::size_t i = 0; i < count; ++i) out[i] = p[i] != 0 ? 1.0 : 0.0;
      return;
    case 'i':
      if (t.size == 1) return decode_as<std::int8_t, std::uint8_t>(p, count, t.swap, out);
      if (t.size == 2) return decode_as<std::int16_t, std::uint16_t>(p, count, t.swap, out);
      if (t.size == 4) return decode_as<std::int32_t, std::uint32_t>(p, count, t.swap, out);
      return decode_as<std::int64_t, std::uint64_t>(p, count, t.swap, out);
    default:  // 'u'
      if (t.size == 1) return decode_as<std::uint8_t, std::uint8_t>(p, count, t.swap, out);
      if (t.size == 2) return decode_as<std::uint16_t, std::uint16_t>(p, count, t.swap, out);
      if (t.size == 4) return decode_as<std::uint32_t, std::uint32_t>(p, count, t.swap, out);
      return decode_as<std::uint64_t, std::uint64_t>(p, count, t.swap, out);
  }
}

std::uint32_t read_le(std::string_view bytes, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

// The number of elements of `shape`, refusing products that overflow.
std::size_t checked_count(const std::vector<std::int64_t>& shape, const std::string& origin) {
  std::uint64_t count = 1;
  for (std::int64_t d : shape) {
    if (d != 0 && count > (std::uint64_t{1} << 62) / static_cast<std::uint64_t>(d)) {
      fail(origin, "the shape in the .npy header is too large");
    }
    count *= static_cast<std::uint64_t>(d);
  }
  return static_cast<std::size_t>(count);
}

}  // namespace

emulate::Array parse_npy(std::string_view bytes, const std::string& origin) {
  if (bytes.size() < 10 || bytes.substr(0, kMagic.size()) != kMagic) {
    fail(origin, "not a .npy file (no \\x93NUMPY magic)");
  }
  const int major = static_cast<unsigned char>(bytes[6]);
  if (major < 1 || major > 3) {
    fail(origin, "unsupported .npy format version " + std::to_string(major) + "." +
                     std::to_string(static_cast<unsigned char>(bytes[7])));
  }
  const int len_bytes = major == 1 ? 2 : 4;
  const std::size_t preamble = 8 + len_bytes;
  if (bytes.size() < preamble) fail(origin, "truncated .npy file (no header length)");
  const std::size_t header_len = read_le(bytes, 8, len_bytes);
  if (header_len > kMaxHeaderBytes) fail(origin, "the .npy header is implausibly long");
  if (bytes.size() < preamble + header_len) fail(origin, "truncated .npy file (in the header)");

  const NpyHeader header = parse_npy_header(bytes.substr(preamble, header_len), origin);
  if (header.fortran_order) {
    fail(origin,
         "Fortran-ordered arrays are not supported; save a C-ordered copy "
         "(numpy.ascontiguousarray)");
  }
  const ElementType type = parse_descr(header.descr, origin);
  const std::size_t count = checked_count(header.shape, origin);
  const std::size_t data_bytes = bytes.size() - preamble - header_len;
  // Compared by division so that a huge count cannot overflow the product.
  if (count > data_bytes / type.size || count * type.size != data_bytes) {
    fail(origin, "the .npy data holds " + std::to_string(data_bytes) + " bytes but the header's " +
                     "shape and dtype need " + std::to_string(count) + " x " +
                     std::to_string(type.size) + " bytes (truncated or corrupt file)");
  }
  emulate::Array array;
  array.shape = header.shape;
  array.data.resize(count);
  decode(type, bytes.data() + preamble + header_len, count, array.data);
  return array;
}

std::string encode_npy(const emulate::Array& array, Dtype dtype) {
  const bool f32 = dtype == Dtype::kFloat32;
  std::string header = format_npy_header(f32 ? "<f4" : "<f8", array.shape);
  // Version 1.0 holds a header length below 65536; beyond it (absurd ranks) use 2.0.
  const bool v2 = header.size() + 1 + 10 + kAlignment > 0xffff;
  const std::size_t preamble = v2 ? 12 : 10;
  const std::size_t padded =
      (preamble + header.size() + 1 + kAlignment - 1) / kAlignment * kAlignment;
  header.append(padded - preamble - header.size() - 1, ' ');
  header.push_back('\n');

  std::string out(kMagic);
  out.push_back(static_cast<char>(v2 ? 2 : 1));
  out.push_back('\0');
  for (int i = 0; i < (v2 ? 4 : 2); ++i) {
    out.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
  }
  out += header;
  const std::size_t item = f32 ? 4 : 8;
  out.reserve(out.size() + array.data.size() * item);
  for (double v : array.data) {
    // Shifting out the bits writes little-endian whatever this machine's byte order.
    const std::uint64_t bits =
        f32 ? std::bit_cast<std::uint32_t>(static_cast<float>(v)) : std::bit_cast<std::uint64_t>(v);
    for (std::size_t i = 0; i < item; ++i)
      out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  return out;
}

}  // namespace nnfpga::io
