// The header dictionary of a .npy file: a Python dict literal with exactly the keys 'descr',
// 'fortran_order' and 'shape'. This is a small parser for that literal only, strict enough that a
// malformed or hostile header is refused with a message rather than misread.
#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "io/npy.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::io {
namespace {

// numpy itself refuses arrays of more than 64 dimensions.
constexpr std::size_t kMaxRank = 64;
// Keeps products of dimensions far from int64 overflow: checked again when multiplying.
constexpr std::int64_t kMaxDim = std::int64_t{1} << 62;

class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& origin) : s_(text), origin_(origin) {}

  NpyHeader parse() {
    NpyHeader header;
    std::set<std::string> seen;
    expect('{');
    skip_space();
    while (!peek('}')) {
      std::string key = parse_string();
      if (!seen.insert(key).second) fail("duplicate key '" + key + "'");
      expect(':');
      if (key == "descr") {
        skip_space();
        if (peek('[')) fail("structured dtypes (a list as 'descr') are not supported");
        header.descr = parse_string();
      } else if (key == "fortran_order") {
        header.fortran_order = parse_bool();
      } else if (key == "shape") {
        header.shape = parse_shape();
      } else {
        fail("unexpected key '" + key + "'");
      }
      skip_space();
      if (!consume(',')) break;
      skip_space();
    }
    expect('}');
    skip_space();
    if (pos_ != s_.size()) fail("unexpected text after the header dictionary");
    for (const char* key : {"descr", "fortran_order", "shape"}) {
      if (!seen.count(key)) fail(std::string("missing key '") + key + "'");
    }
    return header;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::kInput,
                "malformed .npy header: " + what + " (at byte " + std::to_string(pos_) + ")",
                {.file = origin_});
  }

  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool consume(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  void expect(char c) {
    skip_space();
    if (!consume(c)) fail(std::string("expected '") + c + "'");
  }

  std::string parse_string() {
    skip_space();
    if (!peek('\'') && !peek('"')) fail("expected a quoted string");
    const char quote = s_[pos_++];
    const std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != quote) {
      // Escapes never occur in the keys and dtypes numpy writes; refusing them keeps this simple.
      if (s_[pos_] == '\\') fail("escape sequences are not supported in header strings");
      ++pos_;
    }
    if (pos_ == s_.size()) fail("unterminated string");
    std::string out(s_.substr(start, pos_ - start));
    ++pos_;
    return out;
  }

  bool parse_bool() {
    skip_space();
    if (s_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (s_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    fail("expected True or False");
  }

  std::int64_t parse_dim() {
    skip_space();
    if (pos_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      fail("expected a non-negative integer dimension");
    }
    std::int64_t value = 0;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      const int digit = s_[pos_++] - '0';
      if (value > (kMaxDim - digit) / 10) fail("dimension too large");
      value = value * 10 + digit;
    }
    consume('L');  // Python 2 wrote long integers as 540L
    return value;
  }

  std::vector<std::int64_t> parse_shape() {
    expect('(');
    std::vector<std::int64_t> shape;
    skip_space();
    while (!peek(')')) {
      shape.push_back(parse_dim());
      if (shape.size() > kMaxRank) fail("more than 64 dimensions");
      skip_space();
      if (!consume(',')) break;
      skip_space();
    }
    expect(')');
    return shape;
  }

  std::string_view s_;
  const std::string& origin_;
  std::size_t pos_ = 0;
};

}  // namespace

NpyHeader parse_npy_header(std::string_view text, const std::string& origin) {
  return HeaderParser(text, origin).parse();
}

std::string format_npy_header(const std::string& descr, const std::vector<std::int64_t>& shape) {
  std::string dims;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) dims += ", ";
    dims += std::to_string(shape[i]);
  }
  // A one-element tuple needs its trailing comma in Python: (5,).
  if (shape.size() == 1) dims += ",";
  return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
}

}  // namespace nnfpga::io
