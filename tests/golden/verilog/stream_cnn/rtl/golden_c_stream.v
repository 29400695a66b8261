// Layer c as a streaming process: 30 input beats and 12 output beats a sample, written
// 3 cycles after the write decision into one FIFO per reader: 2 beats to node_relu.
module golden_c_stream (
  input wire clk,
  input wire rst,
  input wire in_valid,
  output wire in_ready,
  input wire [23:0] in_data,
  output wire out_valid,
  input wire out_ready,
  output wire [31:0] out_data
);
  wire full0;
  wire fifo_full = full0;
  reg [2:0] valid_pipe;
  // The whole layer holds while a beat waits at a full FIFO (a fan-out: at any of them).
  wire ce = ~(valid_pipe[2] & fifo_full);
  function [4:0] need;
    input [3:0] w;
    case (w)
      4'd0: need = 5'd13;
      4'd1: need = 5'd14;
      4'd2: need = 5'd15;
      4'd3: need = 5'd18;
      4'd4: need = 5'd19;
      4'd5: need = 5'd20;
      4'd6: need = 5'd23;
      4'd7: need = 5'd24;
      4'd8: need = 5'd25;
      4'd9: need = 5'd28;
      4'd10: need = 5'd29;
      4'd11: need = 5'd30;
      default: need = 5'd30;
    endcase
  endfunction
  function [0:0] case_of;
    input [3:0] w;
    case (w)
      4'd0: case_of = 1'd0;
      4'd1: case_of = 1'd0;
      4'd2: case_of = 1'd0;
      4'd3: case_of = 1'd0;
      4'd4: case_of = 1'd0;
      4'd5: case_of = 1'd0;
      4'd6: case_of = 1'd0;
      4'd7: case_of = 1'd0;
      4'd8: case_of = 1'd0;
      4'd9: case_of = 1'd0;
      4'd10: case_of = 1'd0;
      4'd11: case_of = 1'd0;
      default: case_of = 1'd0;
    endcase
  endfunction
  reg [4:0] r;  // input beats read in this sample
  reg [3:0] w;  // output beats written in this sample
  wire [4:0] need_w = need(w);
  wire [4:0] need_next = need(w + 4'd1);
  // Reads still owed to output w (or the sample's last reads, once w = 12).
  wire reading = r < need_w;
  // After a write: the reads owed to the next output; after the last write, the sample's
  // last reads or, with none left, the next sample's first, in the same cycle.
  wire last_write = w + 4'd1 == 4'd12;
  assign in_ready = ce & (reading | (r < need_next) | last_write);
  wire rd = in_valid & in_ready;
  wire read_first = rd & reading;  // this cycle's read comes before its write
  wire wr = ce & (w != 4'd12) & (reading ? (rd & (r + 1'b1 == need_w)) : 1'b1);
  wire [4:0] r_next = r + rd;
  wire [3:0] w_next = w + wr;
  always @(posedge clk) begin
    if (rst) begin
      r <= 5'd0;
      w <= 4'd0;
    end else if (w_next == 4'd12 && r_next >= 5'd30) begin
      r <= r_next - 5'd30;  // the next sample's first read, if it came
      w <= 4'd0;
    end else begin
      r <= r_next;
      w <= w_next;
    end
  end
  wire [0:0] case_w = case_of(w);
  reg [311:0] line;
  always @(posedge clk) begin
    if (rd) line <= {line[287:0], in_data};
  end
  wire [215:0] window;
  reg [23:0] element0;
  always @* begin
    case ({case_w, read_first})
      2'd0: element0 = line[288 +: 24];
      2'd1: element0 = line[264 +: 24];
      default: element0 = {3{8'd0}};
    endcase
  end
  assign window[0 +: 24] = element0;
  reg [23:0] element1;
  always @* begin
    case ({case_w, read_first})
      2'd0: element1 = line[264 +: 24];
      2'd1: element1 = line[240 +: 24];
      default: element1 = {3{8'd0}};
    endcase
  end
  assign window[24 +: 24] = element1;
  reg [23:0] element2;
  always @* begin
    case ({case_w, read_first})
      2'd0: element2 = line[240 +: 24];
      2'd1: element2 = line[216 +: 24];
      default: element2 = {3{8'd0}};
    endcase
  end
  assign window[48 +: 24] = element2;
  reg [23:0] element3;
  always @* begin
    case ({case_w, read_first})
      2'd0: element3 = line[168 +: 24];
      2'd1: element3 = line[144 +: 24];
      default: element3 = {3{8'd0}};
    endcase
  end
  assign window[72 +: 24] = element3;
  reg [23:0] element4;
  always @* begin
    case ({case_w, read_first})
      2'd0: element4 = line[144 +: 24];
      2'd1: element4 = line[120 +: 24];
      default: element4 = {3{8'd0}};
    endcase
  end
  assign window[96 +: 24] = element4;
  reg [23:0] element5;
  always @* begin
    case ({case_w, read_first})
      2'd0: element5 = line[120 +: 24];
      2'd1: element5 = line[96 +: 24];
      default: element5 = {3{8'd0}};
    endcase
  end
  assign window[120 +: 24] = element5;
  reg [23:0] element6;
  always @* begin
    case ({case_w, read_first})
      2'd0: element6 = line[48 +: 24];
      2'd1: element6 = line[24 +: 24];
      default: element6 = {3{8'd0}};
    endcase
  end
  assign window[144 +: 24] = element6;
  reg [23:0] element7;
  always @* begin
    case ({case_w, read_first})
      2'd0: element7 = line[24 +: 24];
      2'd1: element7 = line[0 +: 24];
      default: element7 = {3{8'd0}};
    endcase
  end
  assign window[168 +: 24] = element7;
  reg [23:0] element8;
  always @* begin
    case ({case_w, read_first})
      2'd0: element8 = line[0 +: 24];
      2'd1: element8 = in_data;
      default: element8 = {3{8'd0}};
    endcase
  end
  assign window[192 +: 24] = element8;
  reg [215:0] window_q;
  always @(posedge clk) begin
    if (wr) window_q <= window;
  end
  always @(posedge clk) begin
    if (rst) valid_pipe <= 0;
    else if (ce) valid_pipe <= {valid_pipe[1:0], wr};
  end
  wire [31:0] y;
  golden_c pixel (
    .clk(clk),
    .ce(ce),
    .in_data0(window_q),
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
    .push(valid_pipe[2] & ~fifo_full),
    .full(full0),
    .push_data(y),
    .out_valid(out_valid),
    .out_ready(out_ready),
    .out_data(out_data)
  );
endmodule
