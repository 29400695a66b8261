// Layer node_relu as a streaming process: 12 input beats and 12 output beats a sample, written
// 1 cycles after the write decision into one FIFO per reader: 2 beats to node_Reshape_7.
module golden_node_relu_stream (
  input wire clk,
  input wire rst,
  input wire in_valid,
  output wire in_ready,
  input wire [31:0] in_data,
  output wire out_valid,
  input wire out_ready,
  output wire [31:0] out_data
);
  wire full0;
  wire fifo_full = full0;
  reg [0:0] valid_pipe;
  // The whole layer holds while a beat waits at a full FIFO (a fan-out: at any of them).
  wire ce = ~(valid_pipe[0] & fifo_full);
  assign in_ready = ce;
  wire wr = in_valid & ce;
  always @(posedge clk) begin
    if (rst) valid_pipe <= 0;
    else if (ce) valid_pipe <= wr;
  end
  wire [31:0] y;
  golden_node_relu pixel (
    .clk(clk),
    .ce(ce),
    .in_data0(in_data),
    .out_data(y)
  );
  golden_stream_fifo #(
    .WIDTH(32),
    .DEPTH(2),
    .ADDR_BITS(1),
    .COUNT_BITS(2)
  ) out_fifo0 (
    .clk(clk),
    .rst(rst),
    .push(valid_pipe[0] & ~fifo_full),
    .full(full0),
    .push_data(y),
    .out_valid(out_valid),
    .out_ready(out_ready),
    .out_data(out_data)
  );
endmodule
