// Layer fc as a streaming process: 1 input beats and 1 output beats a sample, written
// 2 cycles after the write decision into one FIFO per reader: 2 beats to <output>.
module golden_fc_stream (
  input wire clk,
  input wire rst,
  input wire in_valid,
  output wire in_ready,
  input wire [383:0] in_data,
  output wire out_valid,
  input wire out_ready,
  output wire [15:0] out_data
);
  wire full0;
  wire fifo_full = full0;
  reg [1:0] valid_pipe;
  // The whole layer holds while a beat waits at a full FIFO (a fan-out: at any of them).
  wire ce = ~(valid_pipe[1] & fifo_full);
  assign in_ready = ce;
  wire wr = in_valid & ce;
  always @(posedge clk) begin
    if (rst) valid_pipe <= 0;
    else if (ce) valid_pipe <= {valid_pipe[0:0], wr};
  end
  wire [15:0] y;
  golden_fc pixel (
    .clk(clk),
    .ce(ce),
    .in_data0(in_data),
    .out_data(y)
  );
  golden_stream_fifo #(
    .WIDTH(16),
    .DEPTH(2),
    .ADDR_BITS(1),
    .COUNT_BITS(2)
  ) out_fifo0 (
    .clk(clk),
    .rst(rst),
    .push(valid_pipe[1] & ~fifo_full),
    .full(full0),
    .push_data(y),
    .out_valid(out_valid),
    .out_ready(out_ready),
    .out_data(out_data)
  );
endmodule
