// The streaming top: one beat (a position's channels, raster order) per handshake; a
// sample is 30 input beats and 1 output beats (nnfpga/rtl.json). Stream s<k>_<j> is layer
// k's FIFO j, read by one layer.
module golden (
  input wire clk,
  input wire rst,
  input wire in_valid,
  output wire in_ready,
  input wire [23:0] in_data,
  output wire out_valid,
  input wire out_ready,
  output wire [15:0] out_data
);
  wire s0_0_valid, s0_0_ready;
  wire [31:0] s0_0_data;
  wire s1_0_valid, s1_0_ready;
  wire [31:0] s1_0_data;
  wire s2_0_valid, s2_0_ready;
  wire [383:0] s2_0_data;
  golden_c_stream u0 (
    .clk(clk),
    .rst(rst),
    .in_valid(in_valid),
    .in_ready(in_ready),
    .in_data(in_data),
    .out_valid(s0_0_valid),
    .out_ready(s0_0_ready),
    .out_data(s0_0_data)
  );
  golden_node_relu_stream u1 (
    .clk(clk),
    .rst(rst),
    .in_valid(s0_0_valid),
    .in_ready(s0_0_ready),
    .in_data(s0_0_data),
    .out_valid(s1_0_valid),
    .out_ready(s1_0_ready),
    .out_data(s1_0_data)
  );
  golden_node_Reshape_7_stream u2 (
    .clk(clk),
    .rst(rst),
    .in_valid(s1_0_valid),
    .in_ready(s1_0_ready),
    .in_data(s1_0_data),
    .out_valid(s2_0_valid),
    .out_ready(s2_0_ready),
    .out_data(s2_0_data)
  );
  golden_fc_stream u3 (
    .clk(clk),
    .rst(rst),
    .in_valid(s2_0_valid),
    .in_ready(s2_0_ready),
    .in_data(s2_0_data),
    .out_valid(out_valid),
    .out_ready(out_ready),
    .out_data(out_data)
  );
endmodule
