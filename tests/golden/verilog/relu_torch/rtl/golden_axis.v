// AXI-stream-style wrapper of golden (latency 2 cycles, II = 1). Backpressure is a clock
// enable: the whole pipeline advances when its output is taken or is not valid, and holds
// every register (m_axis_tdata stays stable) while m_axis_tvalid is high and m_axis_tready
// low. s_axis_tready is that enable, so a beat is accepted exactly when the pipeline moves.
module golden_axis (
  input wire clk,
  input wire rst,
  input wire [63:0] s_axis_tdata,
  input wire s_axis_tvalid,
  output wire s_axis_tready,
  output wire [31:0] m_axis_tdata,
  output wire m_axis_tvalid,
  input wire m_axis_tready
);
  wire ce = m_axis_tready | ~m_axis_tvalid;
  assign s_axis_tready = ce;
  golden_core core (
    .clk(clk),
    .rst(rst),
    .ce(ce),
    .in_valid(s_axis_tvalid),
    .in_data(s_axis_tdata),
    .out_valid(m_axis_tvalid),
    .out_data(m_axis_tdata)
  );
endmodule
