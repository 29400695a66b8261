module golden_dense (
  input wire clk,
  input wire ce,
  input wire [63:0] in_data0,
  output wire [31:0] out_data
);
  wire signed [7:0] in_data0_0 = $signed(in_data0[0 +: 8]);
  wire signed [7:0] in_data0_8 = $signed(in_data0[8 +: 8]);
  wire signed [7:0] in_data0_16 = $signed(in_data0[16 +: 8]);
  wire signed [7:0] in_data0_24 = $signed(in_data0[24 +: 8]);
  wire signed [7:0] in_data0_32 = $signed(in_data0[32 +: 8]);
  wire signed [7:0] in_data0_40 = $signed(in_data0[40 +: 8]);
  wire signed [7:0] in_data0_48 = $signed(in_data0[48 +: 8]);
  wire signed [7:0] in_data0_56 = $signed(in_data0[56 +: 8]);
  wire signed [8:0] mul = in_data0_16 + in_data0_56;
  wire signed [8:0] mul_2 = in_data0_40 - in_data0_48;
  wire signed [9:0] mul_3 = in_data0_24 - mul;
  wire signed [8:0] mul_4 = in_data0_0 - in_data0_8;
  wire signed [9:0] mul_5 = in_data0_48 + (in_data0_0 <<< 1);
  wire signed [10:0] mul_6 = mul_2 + (in_data0_16 <<< 2);
  wire signed [10:0] mul_7 = mul_5 + (mul <<< 1);
  wire signed [9:0] mul_8 = in_data0_8 - (in_data0_40 <<< 1);
  wire signed [10:0] mul_9 = mul_8 + (in_data0_8 <<< 2);
  wire signed [11:0] mul_10 = mul_7 + mul_9;
  wire signed [12:0] mul_11 = mul_10 - (mul_7 <<< 2);
  wire signed [8:0] mul_12 = in_data0_48 + in_data0_56;
  wire signed [9:0] mul_13 = in_data0_8 - (in_data0_32 <<< 1);
  wire signed [9:0] mul_14 = mul_4 - mul_12;
  wire signed [10:0] mul_15 = mul_13 - (in_data0_24 <<< 2);
  wire signed [11:0] mul_16 = mul_3 - mul_15;
  wire signed [12:0] mul_17 = mul_6 + (mul_14 <<< 2);
  wire signed [12:0] mul_18 = mul_16 - mul_17;
  wire signed [8:0] mul_19 = in_data0_8 + in_data0_32;
  wire signed [9:0] mul_20 = mul_2 - (in_data0_8 <<< 1);
  wire signed [10:0] mul_21 = in_data0_48 + (mul_19 <<< 1);
  wire signed [11:0] mul_22 = mul_21 + (mul_3 <<< 1);
  wire signed [12:0] mul_23 = mul_22 + (mul_20 <<< 2);
  wire signed [8:0] mul_24 = in_data0_0 + in_data0_24;
  wire signed [9:0] mul_25 = mul_2 - mul_24;
  wire signed [10:0] mul_26 = mul_3 + mul_4;
  wire signed [12:0] mul_27 = mul_6 - (mul_25 <<< 2);
  wire signed [12:0] mul_28 = mul_26 + mul_27;
  wire signed [8:0] k = 9'sha2;
  wire signed [13:0] acc = (mul_11 <<< 1) + k;
  wire signed [5:0] k_2 = 6'sh14;
  wire signed [13:0] acc_2 = -(mul_18 <<< 1) + k_2;
  wire signed [5:0] k_3 = 6'sh11;
  wire signed [13:0] acc_3 = (mul_23 <<< 1) + k_3;
  wire signed [5:0] k_4 = 6'sh2d;
  wire signed [13:0] acc_4 = -(mul_28 <<< 1) + k_4;
  wire signed [9:0] y_q = (acc >>> 5) + (acc[4] ? 2'sd1 : 2'sd0);
  wire signed [7:0] y_low = y_q[7:0];
  wire signed [7:0] y = (y_q_p1 > 8'sh7f) ? 8'sh7f : ((y_q_p1 < 8'sh80) ? 8'sh80 : $signed(y_low_p1));
  wire signed [9:0] y_q_2 = (acc_2 >>> 5) + (acc_2[4] ? 2'sd1 : 2'sd0);
  wire signed [7:0] y_low_2 = y_q_2[7:0];
  wire signed [7:0] y_2 = (y_q_2_p1 > 8'sh7f) ? 8'sh7f : ((y_q_2_p1 < 8'sh80) ? 8'sh80 : $signed(y_low_2_p1));
  wire signed [9:0] y_q_3 = (acc_3 >>> 5) + (acc_3[4] ? 2'sd1 : 2'sd0);
  wire signed [7:0] y_low_3 = y_q_3[7:0];
  wire signed [7:0] y_3 = (y_q_3_p1 > 8'sh7f) ? 8'sh7f : ((y_q_3_p1 < 8'sh80) ? 8'sh80 : $signed(y_low_3_p1));
  wire signed [9:0] y_q_4 = (acc_4 >>> 5) + (acc_4[4] ? 2'sd1 : 2'sd0);
  wire signed [7:0] y_low_4 = y_q_4[7:0];
  wire signed [7:0] y_4 = (y_q_4_p1 > 8'sh7f) ? 8'sh7f : ((y_q_4_p1 < 8'sh80) ? 8'sh80 : $signed(y_low_4_p1));
  reg signed [9:0] y_q_p1;
  reg signed [7:0] y_low_p1;
  reg signed [13:0] acc_p1;
  reg signed [9:0] y_q_2_p1;
  reg signed [7:0] y_low_2_p1;
  reg signed [13:0] acc_2_p1;
  reg signed [9:0] y_q_3_p1;
  reg signed [7:0] y_low_3_p1;
  reg signed [13:0] acc_3_p1;
  reg signed [9:0] y_q_4_p1;
  reg signed [7:0] y_low_4_p1;
  reg signed [13:0] acc_4_p1;
  always @(posedge clk) begin
    if (ce) begin
      y_q_p1 <= y_q;
      y_low_p1 <= y_low;
      acc_p1 <= acc;
      y_q_2_p1 <= y_q_2;
      y_low_2_p1 <= y_low_2;
      acc_2_p1 <= acc_2;
      y_q_3_p1 <= y_q_3;
      y_low_3_p1 <= y_low_3;
      acc_3_p1 <= acc_3;
      y_q_4_p1 <= y_q_4;
      y_low_4_p1 <= y_low_4;
      acc_4_p1 <= acc_4;
    end
  end
  assign out_data[0 +: 8] = y[7:0];
  assign out_data[8 +: 8] = y_2[7:0];
  assign out_data[16 +: 8] = y_3[7:0];
  assign out_data[24 +: 8] = y_4[7:0];
endmodule
