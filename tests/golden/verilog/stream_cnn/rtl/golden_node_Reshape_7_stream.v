// Layer node_Reshape_7 as a streaming process: 12 input beats and 1 output beats a sample, written
// 2 cycles after the write decision into one FIFO per reader: 2 beats to fc.
module golden_node_Reshape_7_stream (
  input wire clk,
  input wire rst,
  input wire in_valid,
  output wire in_ready,
  input wire [31:0] in_data,
  output wire out_valid,
  input wire out_ready,
  output wire [383:0] out_data
);
  wire full0;
  wire fifo_full = full0;
  reg [1:0] valid_pipe;
  // The whole layer holds while a beat waits at a full FIFO (a fan-out: at any of them).
  wire ce = ~(valid_pipe[1] & fifo_full);
  function [3:0] need;
    input [1:0] w;
    case (w)
      2'd0: need = 4'd12;
      default: need = 4'd12;
    endcase
  endfunction
  function [0:0] case_of;
    input [1:0] w;
    case (w)
      2'd0: case_of = 1'd0;
      default: case_of = 1'd0;
    endcase
  endfunction
  reg [3:0] r;  // input beats read in this sample
  reg [1:0] w;  // output beats written in this sample
  wire [3:0] need_w = need(w);
  wire [3:0] need_next = need(w + 2'd1);
  // Reads still owed to output w (or the sample's last reads, once w = 1).
  wire reading = r < need_w;
  // After a write: the reads owed to the next output; after the last write, the sample's
  // last reads or, with none left, the next sample's first, in the same cycle.
  wire last_write = w + 2'd1 == 2'd1;
  assign in_ready = ce & (reading | (r < need_next) | last_write);
  wire rd = in_valid & in_ready;
  wire read_first = rd & reading;  // this cycle's read comes before its write
  wire wr = ce & (w != 2'd1) & (reading ? (rd & (r + 1'b1 == need_w)) : 1'b1);
  wire [3:0] r_next = r + rd;
  wire [1:0] w_next = w + wr;
  always @(posedge clk) begin
    if (rst) begin
      r <= 4'd0;
      w <= 2'd0;
    end else if (w_next == 2'd1 && r_next >= 4'd12) begin
      r <= r_next - 4'd12;  // the next sample's first read, if it came
      w <= 2'd0;
    end else begin
      r <= r_next;
      w <= w_next;
    end
  end
  wire [0:0] case_w = case_of(w);
  reg [383:0] line;
  always @(posedge clk) begin
    if (rd) line <= {line[351:0], in_data};
  end
  wire [383:0] window;
  reg [31:0] element0;
  always @* begin
    case ({case_w, read_first})
      2'd0: element0 = line[352 +: 32];
      2'd1: element0 = line[320 +: 32];
      default: element0 = {4{8'd0}};
    endcase
  end
  assign window[0 +: 32] = element0;
  reg [31:0] element1;
  always @* begin
    case ({case_w, read_first})
      2'd0: element1 = line[320 +: 32];
      2'd1: element1 = line[288 +: 32];
      default: element1 = {4{8'd0}};
    endcase
  end
  assign window[32 +: 32] = element1;
  reg [31:0] element2;
  always @* begin
    case ({case_w, read_first})
      2'd0: element2 = line[288 +: 32];
      2'd1: element2 = line[256 +: 32];
      default: element2 = {4{8'd0}};
    endcase
  end
  assign window[64 +: 32] = element2;
  reg [31:0] element3;
  always @* begin
    case ({case_w, read_first})
      2'd0: element3 = line[256 +: 32];
      2'd1: element3 = line[224 +: 32];
      default: element3 = {4{8'd0}};
    endcase
  end
  assign window[96 +: 32] = element3;
  reg [31:0] element4;
  always @* begin
    case ({case_w, read_first})
      2'd0: element4 = line[224 +: 32];
      2'd1: element4 = line[192 +: 32];
      default: element4 = {4{8'd0}};
    endcase
  end
  assign window[128 +: 32] = element4;
  reg [31:0] element5;
  always @* begin
    case ({case_w, read_first})
      2'd0: element5 = line[192 +: 32];
      2'd1: element5 = line[160 +: 32];
      default: element5 = {4{8'd0}};
    endcase
  end
  assign window[160 +: 32] = element5;
  reg [31:0] element6;
  always @* begin
    case ({case_w, read_first})
      2'd0: element6 = line[160 +: 32];
      2'd1: element6 = line[128 +: 32];
      default: element6 = {4{8'd0}};
    endcase
  end
  assign window[192 +: 32] = element6;
  reg [31:0] element7;
  always @* begin
    case ({case_w, read_first})
      2'd0: element7 = line[128 +: 32];
      2'd1: element7 = line[96 +: 32];
      default: element7 = {4{8'd0}};
    endcase
  end
  assign window[224 +: 32] = element7;
  reg [31:0] element8;
  always @* begin
    case ({case_w, read_first})
      2'd0: element8 = line[96 +: 32];
      2'd1: element8 = line[64 +: 32];
      default: element8 = {4{8'd0}};
    endcase
  end
  assign window[256 +: 32] = element8;
  reg [31:0] element9;
  always @* begin
    case ({case_w, read_first})
      2'd0: element9 = line[64 +: 32];
      2'd1: element9 = line[32 +: 32];
      default: element9 = {4{8'd0}};
    endcase
  end
  assign window[288 +: 32] = element9;
  reg [31:0] element10;
  always @* begin
    case ({case_w, read_first})
      2'd0: element10 = line[32 +: 32];
      2'd1: element10 = line[0 +: 32];
      default: element10 = {4{8'd0}};
    endcase
  end
  assign window[320 +: 32] = element10;
  reg [31:0] element11;
  always @* begin
    case ({case_w, read_first})
      2'd0: element11 = line[0 +: 32];
      2'd1: element11 = in_data;
      default: element11 = {4{8'd0}};
    endcase
  end
  assign window[352 +: 32] = element11;
  reg [383:0] window_q;
  always @(posedge clk) begin
    if (wr) window_q <= window;
  end
  always @(posedge clk) begin
    if (rst) valid_pipe <= 0;
    else if (ce) valid_pipe <= {valid_pipe[0:0], wr};
  end
  wire [383:0] y;
  golden_node_Reshape_7 pixel (
    .clk(clk),
    .ce(ce),
    .in_data0(window_q),
    .out_data(y)
  );
  golden_stream_fifo #(
    .WIDTH(384),
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
