// Board wrapper of golden_cnn_axis, a streaming design: the nnfpga board contract 1.0
// (docs/board.md). The bus carries a sample packed exactly as for every board design (element k,
// in raster order with the channels last, is bits [k*L +: L] of the sample's beats laid end to
// end; the last beat of a sample is padded), while golden_cnn_axis takes one pixel, all its channels,
// per handshake. So bus beats are cut into elements that queue for whole pixels on the way in,
// and the accelerator's pixels queue for whole bus beats on the way out. TLAST marks samples and
// an AXI4-Lite block reports the model and the cycles of the last sample. Nothing is dropped:
// every ready below is a full backpressure path.
//   input  30 pixels x 3 x ap_fixed<16,6>: 16-bit lanes, 2 per beat, 45 beats
//   output 1 pixels x 2 x ap_fixed<16,6>: 16-bit lanes, 2 per beat, 1 beats
// Model SHA-256 4f21216a6b4323d1fa14c29b0c153abd9744bbb87a7a4d3d9665b6d1071b1987
module golden_cnn_board (
  input wire aclk,
  input wire aresetn,
  input wire [31:0] s_axis_tdata,
  input wire s_axis_tvalid,
  output wire s_axis_tready,
  input wire s_axis_tlast,
  output wire [31:0] m_axis_tdata,
  output wire m_axis_tvalid,
  input wire m_axis_tready,
  output wire m_axis_tlast,
  output wire [3:0] m_axis_tkeep,
  input wire [7:0] s_axi_ctrl_awaddr,
  input wire s_axi_ctrl_awvalid,
  output wire s_axi_ctrl_awready,
  input wire [31:0] s_axi_ctrl_wdata,
  input wire [3:0] s_axi_ctrl_wstrb,
  input wire s_axi_ctrl_wvalid,
  output wire s_axi_ctrl_wready,
  output wire [1:0] s_axi_ctrl_bresp,
  output wire s_axi_ctrl_bvalid,
  input wire s_axi_ctrl_bready,
  input wire [7:0] s_axi_ctrl_araddr,
  input wire s_axi_ctrl_arvalid,
  output wire s_axi_ctrl_arready,
  output wire [31:0] s_axi_ctrl_rdata,
  output wire [1:0] s_axi_ctrl_rresp,
  output wire s_axi_ctrl_rvalid,
  input wire s_axi_ctrl_rready
);
  wire rst = ~aresetn;
  // s_axis_tlast is accepted and ignored: the wrapper counts beats, so a DMA transfer may hold
  // any number of whole samples.
  wire unused_tlast = s_axis_tlast;

  // Input gearbox: a queue of up to 5 elements, element 0 at the bottom. A pixel of 3
  // leaves the bottom whenever the queue holds one and the accelerator takes it; a bus beat's
  // lanes, narrowed to their codes, are written just above what stays. A sample's last beat
  // adds only the sample's remaining 2 element(s): its padding lanes fall above the
  // queue's fill and are overwritten. A beat is taken while the queue has room for a whole one,
  // after this edge's pixel has left. A sample is whole pixels, so no pixel spans two samples.
  reg [79:0] gin_buf;
  reg [6:0] gin_fill;
  reg [5:0] in_beat;
  reg [2:0] in_flight;
  wire core_in_ready;
  wire in_first = in_beat == 6'd0;
  wire in_last = in_beat == 6'd44;
  wire core_in_valid = gin_fill >= 7'd3;
  wire core_in_take = core_in_valid & core_in_ready;
  wire [6:0] gin_kept = core_in_take ? gin_fill - 7'd3 : gin_fill;
  // The first beat of a sample also waits for a place for its start time (LAST_CYCLES below).
  wire start_room = in_flight != 3'd4;
  assign s_axis_tready = (gin_kept <= 7'd3) & (~in_first | start_room);
  wire in_take = s_axis_tvalid & s_axis_tready;
  wire [31:0] in_elems;
  genvar k;
  generate
    for (k = 0; k < 2; k = k + 1) begin : narrow
      assign in_elems[k*16 +: 16] = s_axis_tdata[k*16 +: 16];
    end
  endgenerate
  wire [79:0] gin_shifted = core_in_take ? gin_buf >> 48 : gin_buf;
  wire [6:0] gin_at = gin_kept * 7'd16;
  wire [79:0] gin_mask = {48'd0, {32{1'b1}}} << gin_at;
  wire [79:0] gin_new = {48'd0, in_elems} << gin_at;
  always @(posedge aclk) begin
    gin_buf <= in_take ? (gin_shifted & ~gin_mask) | gin_new : gin_shifted;
  end
  always @(posedge aclk) begin
    if (rst) begin
      in_beat <= 6'd0;
      gin_fill <= 7'd0;
    end else begin
      if (in_take) in_beat <= in_last ? 6'd0 : in_beat + 6'd1;
      gin_fill <= gin_kept + (in_take ? (in_last ? 7'd2 : 7'd2) : 7'd0);
    end
  end
  wire [47:0] core_in = gin_buf[47:0];

  // The accelerator: a pixel per handshake each way, its own FIFOs between its layers.
  wire [31:0] core_out;
  wire core_out_valid;
  wire core_out_ready;
  golden_cnn_axis accelerator (
    .clk(aclk),
    .rst(rst),
    .s_axis_tdata(core_in),
    .s_axis_tvalid(core_in_valid),
    .s_axis_tready(core_in_ready),
    .m_axis_tdata(core_out),
    .m_axis_tvalid(core_out_valid),
    .m_axis_tready(core_out_ready)
  );

  // Output gearbox: the accelerator's pixels of 2 queue as elements (up to 4); a bus
  // beat leaves the bottom when the queue holds 2, or on a sample's last beat its remaining
  // 2, whose lanes above them are 0. A pixel is taken while the queue has room for it
  // after this edge's beat has left.
  reg [63:0] gout_buf;
  reg [6:0] gout_fill;
  reg [0:0] out_beat;
  wire out_last = out_beat == 1'd0;
  wire [6:0] out_need = out_last ? 7'd2 : 7'd2;
  wire out_full = gout_fill >= out_need;
  wire out_take = out_full & m_axis_tready;
  wire out_done = out_take & out_last;
  wire [6:0] gout_kept = out_take ? gout_fill - out_need : gout_fill;
  assign core_out_ready = gout_kept <= 7'd2;
  wire core_out_take = core_out_valid & core_out_ready;
  wire [63:0] gout_shifted = out_take ? gout_buf >> (out_need * 7'd16) : gout_buf;
  wire [6:0] gout_at = gout_kept * 7'd16;
  wire [63:0] gout_mask = {32'd0, {32{1'b1}}} << gout_at;
  wire [63:0] gout_new = {32'd0, core_out} << gout_at;
  always @(posedge aclk) begin
    gout_buf <= core_out_take ? (gout_shifted & ~gout_mask) | gout_new : gout_shifted;
  end
  always @(posedge aclk) begin
    if (rst) begin
      out_beat <= 1'd0;
      gout_fill <= 7'd0;
      in_flight <= 3'd0;
    end else begin
      if (out_take) out_beat <= out_last ? 1'd0 : out_beat + 1'd1;
      gout_fill <= gout_kept + (core_out_take ? 7'd2 : 7'd0);
      if ((in_take & in_first) & ~out_done) in_flight <= in_flight + 3'd1;
      else if (out_done & ~(in_take & in_first)) in_flight <= in_flight - 3'd1;
    end
  end
  // The bus beat: lane k holds queue element k, sign- or zero-extended (0 past a sample's end).
  wire [31:0] out_data;
  generate
    for (k = 0; k < 2; k = k + 1) begin : widen
      assign out_data[k*16 +: 16] =
          (out_last && k >= 2) ? 16'd0 : gout_buf[k*16 +: 16];
    end
  endgenerate

  // TLAST on the last beat of every TLAST_EVERY-th sample (0 counts as 1): the AXI DMA ends an
  // S2MM transfer at TLAST, so the driver sets it to its batch. Writing it restarts the count.
  reg [31:0] tlast_every;
  reg [31:0] batch_count;
  wire batch_last = batch_count + 32'd1 >= tlast_every;
  assign m_axis_tvalid = out_full;
  assign m_axis_tdata = out_data;
  assign m_axis_tlast = out_last & batch_last;
  assign m_axis_tkeep = {4{1'b1}};

  // Cycles from the first input beat of a sample to its last output beat. Samples overlap in
  // the pipeline, so each one's start time waits in a FIFO deep enough for all in flight.
  reg [31:0] cycle;
  reg [31:0] start_time [0:3];
  reg [1:0] start_wr;
  reg [1:0] start_rd;
  reg [31:0] last_cycles;
  reg [31:0] samples;
  always @(posedge aclk) begin
    if (in_take & in_first) start_time[start_wr] <= cycle;
  end
  always @(posedge aclk) begin
    if (rst) begin
      cycle <= 32'd0;
      start_wr <= 2'd0;
      start_rd <= 2'd0;
      last_cycles <= 32'd0;
      samples <= 32'd0;
    end else begin
      cycle <= cycle + 32'd1;
      if (in_take & in_first) start_wr <= start_wr + 2'd1;
      if (out_done) begin
        start_rd <= start_rd + 2'd1;
        last_cycles <= cycle - start_time[start_rd];
        samples <= samples + 32'd1;
      end
    end
  end

  // AXI4-Lite: a write is taken when its address and data are both offered; a read answers the
  // next edge. Only TLAST_EVERY is writable; writes elsewhere are answered OKAY and ignored.
  reg ctrl_bvalid;
  reg ctrl_rvalid;
  reg [31:0] ctrl_rdata;
  reg [31:0] read_value;
  wire wr_go = s_axi_ctrl_awvalid & s_axi_ctrl_wvalid & ~ctrl_bvalid;
  wire rd_go = s_axi_ctrl_arvalid & ~ctrl_rvalid;
  assign s_axi_ctrl_awready = wr_go;
  assign s_axi_ctrl_wready = wr_go;
  assign s_axi_ctrl_bresp = 2'b00;
  assign s_axi_ctrl_bvalid = ctrl_bvalid;
  assign s_axi_ctrl_arready = ~ctrl_rvalid;
  assign s_axi_ctrl_rdata = ctrl_rdata;
  assign s_axi_ctrl_rresp = 2'b00;
  assign s_axi_ctrl_rvalid = ctrl_rvalid;
  wire write_tlast_every = wr_go & (s_axi_ctrl_awaddr[7:2] == 6'd14);
  always @(posedge aclk) begin
    if (rst) begin
      tlast_every <= 32'd1;
      batch_count <= 32'd0;
    end else if (write_tlast_every) begin
      tlast_every <= {s_axi_ctrl_wstrb[3] ? s_axi_ctrl_wdata[31:24] : tlast_every[31:24],
                      s_axi_ctrl_wstrb[2] ? s_axi_ctrl_wdata[23:16] : tlast_every[23:16],
                      s_axi_ctrl_wstrb[1] ? s_axi_ctrl_wdata[15:8] : tlast_every[15:8],
                      s_axi_ctrl_wstrb[0] ? s_axi_ctrl_wdata[7:0] : tlast_every[7:0]};
      batch_count <= 32'd0;
    end else if (out_done) begin
      batch_count <= batch_last ? 32'd0 : batch_count + 32'd1;
    end
  end
  always @(posedge aclk) begin
    if (rst) begin
      ctrl_bvalid <= 1'b0;
      ctrl_rvalid <= 1'b0;
    end else begin
      if (wr_go) ctrl_bvalid <= 1'b1;
      else if (s_axi_ctrl_bready) ctrl_bvalid <= 1'b0;
      if (rd_go) ctrl_rvalid <= 1'b1;
      else if (s_axi_ctrl_rready) ctrl_rvalid <= 1'b0;
    end
  end
  always @(posedge aclk) begin
    if (rd_go) ctrl_rdata <= read_value;
  end
  always @(*) begin
    case (s_axi_ctrl_araddr[7:2])
      6'd0: read_value = 32'h4E4E4647;  // ID "NNFG"
      6'd1: read_value = 32'h00010000;  // VERSION 1.0
      6'd2: read_value = 32'h4F21216A;  // MODEL_HASH[0]
      6'd3: read_value = 32'h6B4323D1;  // MODEL_HASH[1]
      6'd4: read_value = 32'hFA14C29B;  // MODEL_HASH[2]
      6'd5: read_value = 32'h0C153ABD;  // MODEL_HASH[3]
      6'd6: read_value = 32'h9744BBB8;  // MODEL_HASH[4]
      6'd7: read_value = 32'h7A7A4D3D;  // MODEL_HASH[5]
      6'd8: read_value = 32'h9665B6D1;  // MODEL_HASH[6]
      6'd9: read_value = 32'h071B1987;  // MODEL_HASH[7]
      6'd10: read_value = last_cycles;  // LAST_CYCLES
      6'd11: read_value = samples;  // SAMPLES
      6'd12: read_value = 32'h0000002D;  // IN_BEATS
      6'd13: read_value = 32'h00000001;  // OUT_BEATS
      6'd14: read_value = tlast_every;  // TLAST_EVERY
      default: read_value = 32'd0;
    endcase
  end
endmodule
