// Parsing and printing the HLS spelling of a type: ap_fixed<16,6>, ap_ufixed<8,0,AP_RND,AP_SAT>,
// ap_int<8>, and hls4ml's short forms fixed<...>, ufixed<...>, int<...>, uint<...>.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

#include "fixed/fixed_type.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::fixed {
namespace {

constexpr std::array<std::string_view, 7> kQuantNames = {
    "AP_TRN",         "AP_TRN_ZERO", "AP_RND",     "AP_RND_ZERO",
    "AP_RND_MIN_INF", "AP_RND_INF",  "AP_RND_CONV"};
constexpr std::array<std::string_view, 5> kOverflowNames = {"AP_WRAP", "AP_SAT", "AP_SAT_ZERO",
                                                            "AP_SAT_SYM", "AP_WRAP_SM"};

[[noreturn]] void fail(std::string_view text, const std::string& why) {
  throw Error(ErrorKind::kConfig, "bad fixed-point type '" + std::string(text) + "': " + why);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int parse_int(std::string_view text, std::string_view arg, const char* what) {
  std::string_view digits = arg;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  int value = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (digits.empty() || ec != std::errc() || ptr != end) {
    fail(text, std::string(what) + " '" + std::string(arg) + "' is not an integer");
  }
  return value;
}

template <typename Enum, std::size_t N>
Enum parse_mode(std::string_view text, std::string_view arg,
                const std::array<std::string_view, N>& names, const char* what) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == arg) return static_cast<Enum>(i);
  }
  std::string known;
  for (auto n : names) known += (known.empty() ? "" : ", ") + std::string(n);
  fail(text, std::string(what) + " '" + std::string(arg) + "' is not one of " + known);
}

std::vector<std::string_view> split_args(std::string_view text, std::string_view inner) {
  std::vector<std::string_view> args;
  while (true) {
    const auto comma = inner.find(',');
    const auto arg = trim(inner.substr(0, comma));
    if (arg.empty()) fail(text, "empty template argument");
    args.push_back(arg);
    if (comma == std::string_view::npos) break;
    inner.remove_prefix(comma + 1);
  }
  return args;
}

}  // namespace

std::string_view to_string(Quantization q) {
  return kQuantNames.at(static_cast<std::size_t>(q));
}
std::string_view to_string(Overflow o) {
  return kOverflowNames.at(static_cast<std::size_t>(o));
}

FixedType parse_type(std::string_view text) {
  const std::string_view body = trim(text);
  const auto open = body.find('<');
  if (open == std::string_view::npos || body.back() != '>') {
    fail(text, "expected NAME<args>, e.g. ap_fixed<16,6> or ap_int<8>");
  }
  std::string_view name = trim(body.substr(0, open));
  if (name.substr(0, 3) == "ap_") name.remove_prefix(3);
  const bool is_int = name == "int" || name == "uint";
  const bool is_fixed = name == "fixed" || name == "ufixed";
  if (!is_int && !is_fixed) {
    fail(text, "unknown type name '" + std::string(trim(body.substr(0, open))) +
                   "' (expected ap_fixed, ap_ufixed, ap_int, ap_uint, fixed, ufixed, int or uint)");
  }
  const std::string_view inner = body.substr(open + 1, body.size() - open - 2);
  if (inner.find_first_of("<>") != std::string_view::npos) fail(text, "unbalanced '<' or '>'");
  const auto args = split_args(text, inner);

  FixedType t;
  t.is_signed = name.front() != 'u';
  t.width = parse_int(text, args[0], "width");
  if (t.width < 1 || t.width > kMaxTypeWidth) {
    fail(text,
         "width " + std::to_string(t.width) + " is outside 1.." + std::to_string(kMaxTypeWidth));
  }
  if (is_int) {
    if (args.size() != 1) fail(text, "ap_int/ap_uint take exactly one argument (the width)");
    t.integer = t.width;
    return t;
  }
  if (args.size() < 2 || args.size() > 5) {
    fail(text, "ap_fixed/ap_ufixed take 2 to 5 arguments <W, I, Q, O, N>, got " +
                   std::to_string(args.size()));
  }
  t.integer = parse_int(text, args[1], "integer bits");
  if (args.size() > 2) {
    const bool is_overflow_name =
        std::find(kOverflowNames.begin(), kOverflowNames.end(), args[2]) != kOverflowNames.end();
    if (is_overflow_name) {
      // ap_fixed<16,6,AP_SAT>: the third argument is the quantization mode, the overflow mode
      // is the fourth, so this is a misplaced argument rather than an unknown mode.
      fail(text, std::string(args[2]) +
                     " is an overflow mode; it goes after the quantization mode, e.g. " +
                     std::string(trim(body.substr(0, open))) + "<" + std::string(args[0]) + "," +
                     std::string(args[1]) + ",AP_TRN," + std::string(args[2]) + ">");
    }
    t.quant = parse_mode<Quantization>(text, args[2], kQuantNames, "quantization");
  }
  if (args.size() > 3) t.overflow = parse_mode<Overflow>(text, args[3], kOverflowNames, "overflow");
  if (args.size() > 4) t.sat_bits = parse_int(text, args[4], "saturation bits N");
  try {
    check_supported(t, "");
  } catch (const Error& e) {
    fail(text, e.what());
  }
  return t;
}

std::string to_string(const FixedType& t) {
  const bool default_modes =
      t.quant == Quantization::kTrn && t.overflow == Overflow::kWrap && t.sat_bits == 0;
  if (default_modes && t.integer == t.width) {
    return std::string(t.is_signed ? "ap_int<" : "ap_uint<") + std::to_string(t.width) + ">";
  }
  // Appending piece by piece (rather than "," + ...) also avoids a GCC 12 -Wrestrict false alarm.
  std::string s = t.is_signed ? "ap_fixed<" : "ap_ufixed<";
  s.append(std::to_string(t.width)).append(",").append(std::to_string(t.integer));
  const bool need_n = t.sat_bits != 0;
  const bool need_o = need_n || t.overflow != Overflow::kWrap;
  const bool need_q = need_o || t.quant != Quantization::kTrn;
  if (need_q) s.append(",").append(to_string(t.quant));
  if (need_o) s.append(",").append(to_string(t.overflow));
  if (need_n) s.append(",").append(std::to_string(t.sat_bits));
  s.append(">");
  return s;
}

}  // namespace nnfpga::fixed
