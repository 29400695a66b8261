// Sanitizing and uniquing identifiers for generated C++.
#include "backend/hls/identifiers.hpp"

#include <array>

namespace nnfpga::backend::hls {
namespace {

// C++20 keywords and alternative tokens, plus the names the generated code itself relies on
// (namespaces, the ap_types and macros of the headers) so that a model cannot shadow them.
constexpr std::array kReserved = {"alignas",       "alignof",     "and",
                                  "and_eq",        "asm",         "auto",
                                  "bitand",        "bitor",       "bool",
                                  "break",         "case",        "catch",
                                  "char",          "char8_t",     "char16_t",
                                  "char32_t",      "class",       "compl",
                                  "concept",       "const",       "consteval",
                                  "constexpr",     "constinit",   "const_cast",
                                  "continue",      "co_await",    "co_return",
                                  "co_yield",      "decltype",    "default",
                                  "delete",        "do",          "double",
                                  "dynamic_cast",  "else",        "enum",
                                  "explicit",      "export",      "extern",
                                  "false",         "float",       "for",
                                  "friend",        "goto",        "if",
                                  "inline",        "int",         "long",
                                  "mutable",       "namespace",   "new",
                                  "noexcept",      "not",         "not_eq",
                                  "nullptr",       "operator",    "or",
                                  "or_eq",         "private",     "protected",
                                  "public",        "register",    "reinterpret_cast",
                                  "requires",      "return",      "short",
                                  "signed",        "sizeof",      "static",
                                  "static_assert", "static_cast", "struct",
                                  "switch",        "template",    "this",
                                  "thread_local",  "throw",       "true",
                                  "try",           "typedef",     "typeid",
                                  "typename",      "union",       "unsigned",
                                  "using",         "virtual",     "void",
                                  "volatile",      "wchar_t",     "while",
                                  "xor",           "xor_eq",      "main",
                                  "std",           "hls",         "nnf",
                                  "ap_fixed",      "ap_ufixed",   "ap_int",
                                  "ap_uint",       "ap_q_mode",   "ap_o_mode",
                                  "NULL",          "assert",      "errno",
                                  "stdin",         "stdout",      "stderr",
                                  "EOF",           "size_t",      "int8_t",
                                  "int16_t",       "int32_t",     "int64_t",
                                  "uint8_t",       "uint16_t",    "uint32_t",
                                  "uint64_t"};

bool is_reserved(const std::string& s) {
  for (const char* r : kReserved) {
    if (s == r) return true;
  }
  // Macros of the ap_types headers and of HLS are all capitals with AP_/HLS prefixes.
  return s.rfind("AP_", 0) == 0 || s.rfind("HLS_", 0) == 0 || s.rfind("NNFPGA_", 0) == 0;
}

}  // namespace

std::string sanitize_identifier(const std::string& text) {
  return backend::sanitize_identifier(text, is_reserved);
}

IdentifierTable::IdentifierTable() : backend::IdentifierTable(kReserved, is_reserved) {}

}  // namespace nnfpga::backend::hls
