// One generated Verilog module as a list of signed nets, each a combinational expression of
// earlier nets, scheduled into pipeline stages as it is added: a net goes into the stage of its
// latest operand unless its delay (the delay model of delay.hpp) would push that stage's path past
// the clock budget, in which case it starts a new stage behind a register. Operands from earlier
// stages are delayed through register chains, created once per net and stage, so every path is
// balanced and a new sample may enter on every clock edge (II = 1).
//
// Building records structure only: each net's width, stage and logic (net_logic.hpp, what the
// estimate counts); the Verilog text is made by module_text alone, so the estimate builds the
// writer's netlist without its text.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "backend/verilog/identifiers.hpp"
#include "backend/verilog/net_logic.hpp"
#include "fixed/fixed_type.hpp"

namespace nnfpga::backend::verilog {

using NetId = int;

// Where a value becomes available: after `stage` registers (counted from the module's inputs),
// `time` ns into that stage's combinational path.
struct Arrival {
  int stage = 0;
  double time = 0.0;
};

// A module input port: `bits` wide, split into elements by the caller.
struct PortSpec {
  std::string name;
  int bits = 1;
};

class Netlist {
 public:
  // `budget_ns`: the combinational delay one stage may hold. `input_time`: how far into stage 0
  // the module's inputs arrive (they may come unregistered from the module before).
  Netlist(double budget_ns, double input_time);

  // An input port; elements are taken from it with `slice`.
  void add_input_port(const std::string& name, int bits);
  // Bits [lo +: width] of input port `port`, as a signed net of `width + (is_signed ? 0 : 1)`
  // bits (unsigned codes are zero-extended, so every net is signed).
  NetId slice(const std::string& port, int lo, int width, bool is_signed);

  // A constant, available in every stage without registers.
  NetId constant(fixed::i128 value, int width);

  // The Verilog expression of a net from the names of its operands (each in the net's stage).
  // Called by module_text, after the emitter has returned: it captures by value.
  using Expression = std::function<std::string(const std::vector<std::string>&)>;

  // A net of `width` signed bits computed by `expr` from `args`, taking `delay_ns`, its
  // hardware being `logic`. `hint` names it.
  NetId op(const std::string& hint, int width, const std::vector<NetId>& args, double delay_ns,
           const Logic& logic, Expression expr);

  // Where a net computed from `args` with `delay_ns` would land: what `op` schedules it at.
  Arrival schedule(const std::vector<NetId>& args, double delay_ns) const;
  // Whether net `n` is computed by an `op` in `stage` itself (not a port, constant or register).
  bool computed_in(NetId n, int stage) const;

  // A Verilog function declared in the module (a ROM's case statement), for `op` expressions to
  // call; `text` makes its text from its name, at module_text time (it captures by value).
  // Returns its name, made unique from `hint`.
  std::string add_function(const std::string& hint,
                           std::function<std::string(const std::string&)> text);

  int width(NetId n) const { return nets_.at(static_cast<size_t>(n)).width; }
  const Arrival& arrival(NetId n) const { return nets_.at(static_cast<size_t>(n)).at; }
  const Logic& logic(NetId n) const { return nets_.at(static_cast<size_t>(n)).logic; }
  bool is_constant(NetId n) const { return nets_.at(static_cast<size_t>(n)).constant; }
  // The nets an op's net is computed from (none for ports and constants).
  const std::vector<NetId>& args(NetId n) const { return nets_.at(static_cast<size_t>(n)).args; }
  // The nets set_outputs bound, in order.
  const std::vector<NetId>& outputs() const { return output_nets_; }
  int size() const { return static_cast<int>(nets_.size()); }
  // The pipeline's register chains (each net delayed to later stages, the registered outputs
  // included): per chain its width and its length in registers.
  std::vector<std::pair<int, int>> register_chains() const;

  // Binds the module's outputs: bits [k*width +: width] of port `out_data` hold the low `width`
  // bits of outputs[k]. Every output is brought to one stage, plus one register when `registered`.
  // Returns where the outputs arrive (stage = the module's latency in cycles).
  Arrival set_outputs(const std::vector<NetId>& outputs, int width, bool registered);

  // The module text. `with_valid`: the contract's ports (clk, rst, in_valid, out_valid, no ce)
  // with a valid shift register of the latency; otherwise clk and ce.
  std::string module_text(const std::string& module_name, bool with_valid) const;

 private:
  struct Net {
    std::string name;
    int width = 1;
    Arrival at;
    bool constant = false;
    bool computed = false;             // the result of an op
    std::vector<std::string> delayed;  // delayed[k]: the net after k + 1 more registers
    Logic logic;
    std::vector<NetId> args;
  };
  struct Register {
    std::string name;
    std::string from;
    int width = 1;
  };
  // A wire's declaration, made at module_text time.
  using Declaration = std::function<std::string()>;
  // One output element: its net's name in the output stage, and its width.
  struct OutputBits {
    std::string name;
    int have = 1;
  };

  std::string at_stage(NetId n, int stage);
  NetId add(Net net);

  double budget_ns_;
  double input_time_;
  IdentifierTable ids_;
  std::vector<PortSpec> inputs_;
  std::vector<Net> nets_;
  std::vector<Declaration> functions_;
  std::vector<Declaration> wires_;  // declarations with their expressions, in order
  std::vector<Register> registers_;
  std::vector<OutputBits> outputs_;
  std::vector<NetId> output_nets_;
  int out_width_ = 0;
  int out_bits_ = 0;
  int latency_ = 0;
};

// A sized Verilog literal of `value` in `width` bits, as its two's complement bit pattern
// ("8'shf6" for -10): exact at any width.
std::string signed_literal(fixed::i128 value, int width);

// Bits needed to hold every integer in [lo, hi] as a signed two's complement value (at least 1).
int signed_bits(fixed::i128 lo, fixed::i128 hi);

}  // namespace nnfpga::backend::verilog

namespace nnfpga::backend::verilog {
// The valid shift register of a module with `latency` register stages: out_valid follows
// in_valid `latency` edges later; rst clears it; it advances only while `ce` is high.
std::string valid_pipe_text(int latency);
}  // namespace nnfpga::backend::verilog
