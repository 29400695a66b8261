// Netlist: scheduling nets into stages, register chains, and the module text (made last).
#include "backend/verilog/netlist.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {

using fixed::i128;
using fixed::u128;

std::string signed_literal(i128 value, int width) {
  if (width < 1 || width > 128) {
    throw Error(ErrorKind::kInternal, fmt::format("literal of {} bits", width));
  }
  u128 bits = static_cast<u128>(value);
  if (width < 128) bits &= (static_cast<u128>(1) << width) - 1;
  std::string hex;
  do {
    hex.insert(hex.begin(), "0123456789abcdef"[static_cast<int>(bits & 15)]);
    bits >>= 4;
  } while (bits != 0);
  return fmt::format("{}'sh{}", width, hex);
}

int signed_bits(i128 lo, i128 hi) {
  int bits = 1;
  while (bits < 128) {
    const i128 min = -(static_cast<i128>(1) << (bits - 1));
    const i128 max = (static_cast<i128>(1) << (bits - 1)) - 1;
    if (lo >= min && hi <= max) break;
    ++bits;
  }
  return bits;
}

Netlist::Netlist(double budget_ns, double input_time)
    : budget_ns_(budget_ns), input_time_(input_time) {}

void Netlist::add_input_port(const std::string& name, int bits) {
  ids_.take(name);
  inputs_.push_back({name, bits});
}

NetId Netlist::add(Net net) {
  nets_.push_back(std::move(net));
  return static_cast<NetId>(nets_.size()) - 1;
}

NetId Netlist::slice(const std::string& port, int lo, int width, bool is_signed) {
  const std::string name = ids_.take(fmt::format("{}_{}", port, lo));
  const int w = width + (is_signed ? 0 : 1);
  wires_.push_back([=] {
    const std::string bits = fmt::format("{}[{} +: {}]", port, lo, width);
    return fmt::format(
        "  wire signed [{}:0] {} = {};\n", w - 1, name,
        is_signed ? fmt::format("$signed({})", bits) : fmt::format("$signed({{1'b0, {}}})", bits));
  });
  return add({.name = name, .width = w, .at = {0, input_time_}});
}

NetId Netlist::constant(i128 value, int width) {
  // A named wire rather than the bare literal, so that bit selects of it are legal.
  const std::string name = ids_.take("k");
  wires_.push_back([=] {
    return fmt::format("  wire signed [{}:0] {} = {};\n", width - 1, name,
                       signed_literal(value, width));
  });
  return add({.name = name, .width = width, .at = {0, 0.0}, .constant = true});
}

Arrival Netlist::schedule(const std::vector<NetId>& args, double delay_ns) const {
  Arrival at;
  for (NetId a : args) {
    const Net& n = nets_.at(static_cast<size_t>(a));
    if (n.constant) continue;
    if (n.at.stage > at.stage) at = n.at;
    if (n.at.stage == at.stage) at.time = std::max(at.time, n.at.time);
  }
  // A path that would not fit the stage starts the next one, unless it alone is too long.
  if (at.time > 0.0 && at.time + delay_ns > budget_ns_) at = {at.stage + 1, 0.0};
  at.time += delay_ns;
  return at;
}

bool Netlist::computed_in(NetId n, int stage) const {
  const Net& net = nets_.at(static_cast<size_t>(n));
  return net.computed && net.at.stage == stage;
}

NetId Netlist::op(const std::string& hint, int width, const std::vector<NetId>& args,
                  double delay_ns, const Logic& logic, Expression expr) {
  const Arrival at = schedule(args, delay_ns);
  std::vector<std::string> names;
  for (NetId a : args) names.push_back(at_stage(a, at.stage));
  const std::string name = ids_.take(hint);
  wires_.push_back([=, expr = std::move(expr), names = std::move(names)] {
    return fmt::format("  wire signed [{}:0] {} = {};\n", width - 1, name, expr(names));
  });
  return add(
      {.name = name, .width = width, .at = at, .computed = true, .logic = logic, .args = args});
}

std::string Netlist::add_function(const std::string& hint,
                                  std::function<std::string(const std::string&)> text) {
  const std::string name = ids_.take(hint);
  functions_.push_back([name, text = std::move(text)] { return text(name); });
  return name;
}

std::vector<std::pair<int, int>> Netlist::register_chains() const {
  std::vector<std::pair<int, int>> chains;
  for (const Net& n : nets_) {
    if (!n.delayed.empty()) chains.emplace_back(n.width, static_cast<int>(n.delayed.size()));
  }
  return chains;
}

std::string Netlist::at_stage(NetId id, int stage) {
  Net& n = nets_.at(static_cast<size_t>(id));
  if (n.constant || n.at.stage == stage) return n.name;
  const int extra = stage - n.at.stage;
  if (extra < 0) throw Error(ErrorKind::kInternal, "a net is used before it is computed");
  while (static_cast<int>(n.delayed.size()) < extra) {
    const int k = static_cast<int>(n.delayed.size()) + 1;
    const std::string from = k == 1 ? n.name : n.delayed.back();
    const std::string name = ids_.take(fmt::format("{}_p{}", n.name, k));
    registers_.push_back({name, from, n.width});
    n.delayed.push_back(name);
  }
  return n.delayed.at(static_cast<size_t>(extra - 1));
}

Arrival Netlist::set_outputs(const std::vector<NetId>& outputs, int width, bool registered) {
  Arrival out;
  for (NetId o : outputs) {
    const Net& n = nets_.at(static_cast<size_t>(o));
    if (n.constant) continue;
    if (n.at.stage > out.stage) out = n.at;
    if (n.at.stage == out.stage) out.time = std::max(out.time, n.at.time);
  }
  if (registered) out = {out.stage + 1, 0.0};
  for (NetId o : outputs) {
    outputs_.push_back({at_stage(o, out.stage), nets_.at(static_cast<size_t>(o)).width});
  }
  output_nets_ = outputs;
  out_width_ = width;
  out_bits_ = std::max(1, static_cast<int>(outputs.size()) * width);
  latency_ = out.stage;
  return out;
}

std::string Netlist::module_text(const std::string& module_name, bool with_valid) const {
  std::string t = fmt::format("module {} (\n  input wire clk,\n", module_name);
  t += with_valid ? "  input wire rst,\n  input wire in_valid,\n" : "  input wire ce,\n";
  for (const PortSpec& p : inputs_)
    t += fmt::format("  input wire [{}:0] {},\n", p.bits - 1, p.name);
  if (with_valid) t += "  output wire out_valid,\n";
  t += fmt::format("  output wire [{}:0] out_data\n);\n", out_bits_ - 1);
  if (with_valid) t += "  wire ce = 1'b1;\n";
  for (const Declaration& f : functions_) t += f();
  for (const Declaration& w : wires_) t += w();
  for (const Register& r : registers_) {
    t += fmt::format("  reg signed [{}:0] {};\n", r.width - 1, r.name);
  }
  if (!registers_.empty()) {
    t += "  always @(posedge clk) begin\n    if (ce) begin\n";
    for (const Register& r : registers_) t += fmt::format("      {} <= {};\n", r.name, r.from);
    t += "    end\n  end\n";
  }
  const int width = out_width_;
  for (size_t k = 0; k < outputs_.size(); ++k) {
    const auto& [name, have] = outputs_[k];
    const std::string bits =
        have >= width ? fmt::format("{}[{}:0]", name, width - 1)
                      : fmt::format("{{{{{}{{{}[{}]}}}}, {}}}", width - have, name, have - 1, name);
    t += fmt::format("  assign out_data[{} +: {}] = {};\n", static_cast<int>(k) * width, width,
                     bits);
  }
  if (with_valid) t += valid_pipe_text(latency_);
  t += "endmodule\n";
  return t;
}

std::string valid_pipe_text(int latency) {
  if (latency == 0) return "  assign out_valid = in_valid;\n";
  std::string t = fmt::format("  reg [{}:0] valid_pipe;\n", latency - 1);
  t += "  always @(posedge clk) begin\n";
  t += fmt::format("    if (rst) valid_pipe <= {}'d0;\n", latency);
  t += latency == 1
           ? "    else if (ce) valid_pipe <= in_valid;\n"
           : fmt::format("    else if (ce) valid_pipe <= {{valid_pipe[{}:0], in_valid}};\n",
                         latency - 2);
  t += "  end\n";
  t += fmt::format("  assign out_valid = valid_pipe[{}];\n", latency - 1);
  return t;
}

}  // namespace nnfpga::backend::verilog
