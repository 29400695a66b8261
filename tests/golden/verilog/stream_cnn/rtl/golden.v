// The streaming top: one beat (a position's channels, raster order) per handshake; a
// sample is 30 input beats and 1 output beats (nnfpga/rtl.json).
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
  wire s1_valid, s1_ready;
  wire [31:0] s1_data;
  wire s2_valid, s2_ready;
  wire [31:0] s2_data;
  wire s3_valid, s3_ready;
  wire [383:0] s3_data;
  golden_c_stream u0 (
    .clk(clk),
    .rst(rst),
    .in_valid(in_valid),
    .in_ready(in_ready),
    .in_data(in_data),
    .out_valid(s1_valid),
    .out_ready(s1_ready),
    .out_data(s1_data)
  );
  golden_node_relu_stream u1 (
    .clk(clk),
    .rst(rst),
    .in_valid(s1_valid),
    .in_ready(s1_ready),
    .in_data(s1_data),
    .out_valid(s2_valid),
    .out_ready(s2_ready),
    .out_data(s2_data)
  );
  golden_node_Reshape_7_stream u2 (
    .clk(clk),
    .rst(rst),
    .in_valid(s2_valid),
    .in_ready(s2_ready),
    .in_data(s2_data),
    .out_valid(s3_valid),
    .out_ready(s3_ready),
    .out_data(s3_data)
  );
  golden_fc_stream u3 (
    .clk(clk),
    .rst(rst),
    .in_valid(s3_valid),
    .in_ready(s3_ready),
    .in_data(s3_data),
    .out_valid(out_valid),
    .out_ready(out_ready),
    .out_data(out_data)
  );
endmodule
