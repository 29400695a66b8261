module golden_node_relu (
  input wire clk,
  input wire ce,
  input wire [31:0] in_data0,
  output wire [31:0] out_data
);
  wire signed [7:0] in_data0_0 = $signed(in_data0[0 +: 8]);
  wire signed [7:0] in_data0_8 = $signed(in_data0[8 +: 8]);
  wire signed [7:0] in_data0_16 = $signed(in_data0[16 +: 8]);
  wire signed [7:0] in_data0_24 = $signed(in_data0[24 +: 8]);
  wire signed [7:0] clip_lo = in_data0_0[7] ? 1'sh0 : in_data0_0;
  wire signed [7:0] clip_lo_2 = in_data0_8[7] ? 1'sh0 : in_data0_8;
  wire signed [7:0] clip_lo_3 = in_data0_16[7] ? 1'sh0 : in_data0_16;
  wire signed [7:0] clip_lo_4 = in_data0_24[7] ? 1'sh0 : in_data0_24;
  reg signed [7:0] clip_lo_p1;
  reg signed [7:0] clip_lo_2_p1;
  reg signed [7:0] clip_lo_3_p1;
  reg signed [7:0] clip_lo_4_p1;
  always @(posedge clk) begin
    if (ce) begin
      clip_lo_p1 <= clip_lo;
      clip_lo_2_p1 <= clip_lo_2;
      clip_lo_3_p1 <= clip_lo_3;
      clip_lo_4_p1 <= clip_lo_4;
    end
  end
  assign out_data[0 +: 8] = clip_lo_p1[7:0];
  assign out_data[8 +: 8] = clip_lo_2_p1[7:0];
  assign out_data[16 +: 8] = clip_lo_3_p1[7:0];
  assign out_data[24 +: 8] = clip_lo_4_p1[7:0];
endmodule
