module golden_core (
  input wire clk,
  input wire rst,
  input wire ce,
  input wire in_valid,
  input wire [63:0] in_data,
  output wire out_valid,
  output wire [31:0] out_data
);
  wire [63:0] t_x;
  wire [31:0] t_dense;
  wire [31:0] t_op;
  assign t_x = in_data;
  golden_dense u_dense (
    .clk(clk),
    .ce(ce),
    .in_data0(t_x),
    .out_data(t_dense)
  );
  golden_op u_op (
    .clk(clk),
    .ce(ce),
    .in_data0(t_dense),
    .out_data(t_op)
  );
  assign out_data = t_op;
  reg [1:0] valid_pipe;
  always @(posedge clk) begin
    if (rst) valid_pipe <= 2'd0;
    else if (ce) valid_pipe <= {valid_pipe[0:0], in_valid};
  end
  assign out_valid = valid_pipe[1];
endmodule
