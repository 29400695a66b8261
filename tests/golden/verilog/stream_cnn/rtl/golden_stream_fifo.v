// A FIFO of WIDTH-bit beats, DEPTH deep (nnfpga's schedule sizes it). A pushed beat is
// readable from the next cycle; a pop in a push's cycle frees no room for that push.
module golden_stream_fifo #(
  parameter WIDTH = 1,
  parameter DEPTH = 2,
  parameter ADDR_BITS = 1,
  parameter COUNT_BITS = 2
) (
  input wire clk,
  input wire rst,
  input wire push,
  output wire full,
  input wire [WIDTH-1:0] push_data,
  output wire out_valid,
  input wire out_ready,
  output wire [WIDTH-1:0] out_data
);
  reg [WIDTH-1:0] mem [0:DEPTH-1];
  reg [ADDR_BITS-1:0] wp, rp;
  reg [COUNT_BITS-1:0] count;
  assign full = count == DEPTH;
  assign out_valid = count != 0;
  assign out_data = mem[rp];
  wire pop = out_valid & out_ready;
  always @(posedge clk) begin
    if (push) mem[wp] <= push_data;
  end
  always @(posedge clk) begin
    if (rst) begin
      wp <= 0;
      rp <= 0;
      count <= 0;
    end else begin
      if (push) wp <= wp == DEPTH - 1 ? 0 : wp + 1'b1;
      if (pop) rp <= rp == DEPTH - 1 ? 0 : rp + 1'b1;
      if (push != pop) count <= push ? count + 1'b1 : count - 1'b1;
    end
  end
endmodule
