// Text of the core, the contract's top module and the AXI-stream wrapper.
#include "backend/verilog/top_text.hpp"

#include <fmt/format.h>

namespace nnfpga::backend::verilog {
namespace {

// The tensor's wire `extra` registers later than it arrives; the chain is declared by core_text.
std::string delayed(CoreTensor& t, int extra) {
  while (static_cast<int>(t.delayed.size()) < extra) {
    t.delayed.push_back(fmt::format("{}_d{}", t.wire, t.delayed.size() + 1));
  }
  return extra == 0 ? t.wire : t.delayed.at(static_cast<std::size_t>(extra - 1));
}

}  // namespace

std::string core_text(CoreModule& core) {
  std::string inst;
  for (const CoreInstance& c : core.instances) {
    inst += fmt::format("  {} {} (\n    .clk(clk),\n    .ce(ce),\n", c.module, c.instance);
    for (std::size_t k = 0; k < c.inputs.size(); ++k) {
      CoreTensor& t = core.tensors.at(static_cast<std::size_t>(c.inputs[k]));
      inst += fmt::format("    .in_data{}({}),\n", k, delayed(t, c.input_stages[k] - t.stage));
    }
    inst += fmt::format("    .out_data({})\n  );\n", core.tensors.at(c.output).wire);
  }
  CoreTensor& out = core.tensors.at(static_cast<std::size_t>(core.output));
  const std::string out_wire = delayed(out, core.latency - out.stage);
  const CoreTensor& in = core.tensors.at(static_cast<std::size_t>(core.input));
  std::string t = fmt::format(
      "module {} (\n  input wire clk,\n  input wire rst,\n  input wire ce,\n"
      "  input wire in_valid,\n  input wire [{}:0] in_data,\n  output wire out_valid,\n"
      "  output wire [{}:0] out_data\n);\n",
      core.name, in.bits - 1, out.bits - 1);
  for (const CoreTensor& c : core.tensors) {
    t += fmt::format("  wire [{}:0] {};\n", c.bits - 1, c.wire);
  }
  t += fmt::format("  assign {} = in_data;\n", in.wire);
  std::string regs, moves;
  for (const CoreTensor& c : core.tensors) {
    for (std::size_t k = 0; k < c.delayed.size(); ++k) {
      regs += fmt::format("  reg [{}:0] {};\n", c.bits - 1, c.delayed[k]);
      moves += fmt::format("      {} <= {};\n", c.delayed[k], k == 0 ? c.wire : c.delayed[k - 1]);
    }
  }
  t += regs;
  if (!moves.empty()) {
    t += "  always @(posedge clk) begin\n    if (ce) begin\n" + moves + "    end\n  end\n";
  }
  t += inst;
  t += fmt::format("  assign out_data = {};\n", out_wire);
  t += valid_pipe_text(core.latency);
  t += "endmodule\n";
  return t;
}

std::string top_text(const std::string& top, const std::string& core, int in_bits, int out_bits) {
  return fmt::format(
      "// The top module: a new sample may enter on every clock edge (II = 1); out_valid follows\n"
      "// in_valid after the latency in nnfpga/rtl.json. rst clears only the valid pipeline.\n"
      "module {0} (\n  input wire clk,\n  input wire rst,\n  input wire in_valid,\n"
      "  input wire [{2}:0] in_data,\n  output wire out_valid,\n  output wire [{3}:0] out_data\n"
      ");\n  {1} core (\n    .clk(clk),\n    .rst(rst),\n    .ce(1'b1),\n"
      "    .in_valid(in_valid),\n    .in_data(in_data),\n    .out_valid(out_valid),\n"
      "    .out_data(out_data)\n  );\nendmodule\n",
      top, core, in_bits - 1, out_bits - 1);
}

std::string axis_text(const std::string& top, const std::string& core, int in_bits, int out_bits,
                      int latency) {
  return fmt::format(
      "// AXI-stream-style wrapper of {0} (latency {4} cycles, II = 1). Backpressure is a clock\n"
      "// enable: the whole pipeline advances when its output is taken or is not valid, and holds\n"
      "// every register (m_axis_tdata stays stable) while m_axis_tvalid is high and "
      "m_axis_tready\n"
      "// low. s_axis_tready is that enable, so a beat is accepted exactly when the pipeline "
      "moves.\n"
      "module {0}_axis (\n  input wire clk,\n  input wire rst,\n"
      "  input wire [{2}:0] s_axis_tdata,\n  input wire s_axis_tvalid,\n"
      "  output wire s_axis_tready,\n  output wire [{3}:0] m_axis_tdata,\n"
      "  output wire m_axis_tvalid,\n  input wire m_axis_tready\n);\n"
      "  wire ce = m_axis_tready | ~m_axis_tvalid;\n  assign s_axis_tready = ce;\n"
      "  {1} core (\n    .clk(clk),\n    .rst(rst),\n    .ce(ce),\n"
      "    .in_valid(s_axis_tvalid),\n    .in_data(s_axis_tdata),\n"
      "    .out_valid(m_axis_tvalid),\n    .out_data(m_axis_tdata)\n  );\nendmodule\n",
      top, core, in_bits - 1, out_bits - 1, latency);
}

}  // namespace nnfpga::backend::verilog
