// What logic a net of the Netlist is, recorded as the net is built, so that the Verilog estimate
// (estimate_rtl.hpp) counts the netlist the writer builds instead of a twin of it: the kind of
// hardware and the facts its cost depends on. The LUT rules that turn these into counts are in
// estimate_rtl.cpp (and docs/estimates.md, "Verilog backend"); nothing here is a cost.
#pragma once

#include <memory>
#include <vector>

#include "fixed/fixed_type.hpp"

namespace nnfpga::backend::verilog {

struct Logic {
  enum class Kind {
    kWiring,         // shifts, bit selects, extensions, constants: no logic
    kAdder,          // a ± b (or -a) on one carry chain
    kConstantAdder,  // ±x + constant
    kSelect,         // a multiplexer steered by a sign bit
    kCompareSelect,  // comparisons, each followed by a multiplexer level
    kMultiply,       // a * b of two variable operands
    kRom,            // one read of a ROM (a case function)
  };
  Kind kind = Kind::kWiring;
  // kAdder, kConstantAdder: the low bits that only one operand has (the other is shifted past
  // them): wiring.
  int passed = 0;
  // kConstantAdder: the constant as added (in the net's units), and whether x is subtracted.
  fixed::i128 constant = 0;
  bool negate = false;
  // kCompareSelect: how many comparisons, the bits of their operands that decide them, and
  // whether they compare with constants. kMultiply: the operands' widths.
  int compares = 0;
  int operand_bits = 0;
  int other_operand_bits = 0;
  bool against_constants = false;
  // kRom: its entries (shared by every read).
  std::shared_ptr<const std::vector<fixed::i128>> table;

  static Logic wiring() { return {}; }
  static Logic adder(int passed) { return {.kind = Kind::kAdder, .passed = passed}; }
  static Logic constant_adder(fixed::i128 constant, bool negate, int passed) {
    return {.kind = Kind::kConstantAdder, .passed = passed, .constant = constant, .negate = negate};
  }
  static Logic select() { return {.kind = Kind::kSelect}; }
  static Logic compare_select(int compares, int operand_bits, bool against_constants) {
    return {.kind = Kind::kCompareSelect,
            .compares = compares,
            .operand_bits = operand_bits,
            .against_constants = against_constants};
  }
  static Logic multiply(int a_bits, int b_bits) {
    return {.kind = Kind::kMultiply, .operand_bits = a_bits, .other_operand_bits = b_bits};
  }
  static Logic rom(std::shared_ptr<const std::vector<fixed::i128>> table) {
    return {.kind = Kind::kRom, .table = std::move(table)};
  }
};

}  // namespace nnfpga::backend::verilog
