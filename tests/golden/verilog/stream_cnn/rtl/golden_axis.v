// AXI-stream wrapper of golden: s_axis carries input beats, m_axis output beats.
module golden_axis (
  input wire clk,
  input wire rst,
  input wire [23:0] s_axis_tdata,
  input wire s_axis_tvalid,
  output wire s_axis_tready,
  output wire [15:0] m_axis_tdata,
  output wire m_axis_tvalid,
  input wire m_axis_tready
);
  golden core (
    .clk(clk),
    .rst(rst),
    .in_valid(s_axis_tvalid),
    .in_ready(s_axis_tready),
    .in_data(s_axis_tdata),
    .out_valid(m_axis_tvalid),
    .out_ready(m_axis_tready),
    .out_data(m_axis_tdata)
  );
endmodule
