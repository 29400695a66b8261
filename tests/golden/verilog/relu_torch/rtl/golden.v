// The top module: a new sample may enter on every clock edge (II = 1); out_valid follows
// in_valid after the latency in nnfpga/rtl.json. rst clears only the valid pipeline.
module golden (
  input wire clk,
  input wire rst,
  input wire in_valid,
  input wire [63:0] in_data,
  output wire out_valid,
  output wire [31:0] out_data
);
  golden_core core (
    .clk(clk),
    .rst(rst),
    .ce(1'b1),
    .in_valid(in_valid),
    .in_data(in_data),
    .out_valid(out_valid),
    .out_data(out_data)
  );
endmodule
