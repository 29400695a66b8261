// Board wrapper of golden_axis: the nnfpga board contract 1.0 (docs/board.md). Input beats are
// collected into one sample, the sample enters the pipeline, its outputs leave as beats with
// TLAST, and an AXI4-Lite block reports the model and the cycles of the last sample. Nothing is
// dropped: every ready below is a full backpressure path.
// Packing: element k is bits [k*L +: L] of a sample's beats laid end to end (lane k % E of beat
// k / E), its code sign- or zero-extended to the lane of L bits.
//   input  8 x ap_fixed<8,3,AP_RND,AP_SAT>: 8-bit lanes, 8 per beat, 1 beats
//   output 4 x ap_fixed<8,3,AP_RND,AP_SAT>: 8-bit lanes, 8 per beat, 1 beats
// Model SHA-256 3b987b220bf5b0332608ef7de3a7778c65dcd40287fdd803da6fd59921e5b6f6
module golden_board (
  input wire aclk,
  input wire aresetn,
  input wire [63:0] s_axis_tdata,
  input wire s_axis_tvalid,
  output wire s_axis_tready,
  input wire s_axis_tlast,
  output wire [63:0] m_axis_tdata,
  output wire m_axis_tvalid,
  input wire m_axis_tready,
  output wire m_axis_tlast,
  output wire [7:0] m_axis_tkeep,
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

  // Input: beats shift in from the top, so after the last one beat 0 sits lowest. A new beat is
  // taken while the buffer is not full, or on the edge the full sample enters the pipeline.
  reg [63:0] in_buf;
  reg [0:0] in_beat;
  reg in_full;
  wire core_in_ready;
  wire in_first = in_beat == 1'd0;
  wire in_last = in_beat == 1'd0;
  assign s_axis_tready = ~in_full | core_in_ready;
  wire in_take = s_axis_tvalid & s_axis_tready;
  always @(posedge aclk) begin
    if (in_take) in_buf <= s_axis_tdata;
  end
  always @(posedge aclk) begin
    if (rst) begin
      in_beat <= 1'd0;
      in_full <= 1'b0;
    end else begin
      if (in_take) in_beat <= in_last ? 1'd0 : in_beat + 1'd1;
      if (in_take & in_last) in_full <= 1'b1;
      else if (in_full & core_in_ready) in_full <= 1'b0;
    end
  end
  wire [63:0] core_in;
  genvar k;
  generate
    for (k = 0; k < 8; k = k + 1) begin : unpack
      assign core_in[k*8 +: 8] = in_buf[k*8 +: 8];
    end
  endgenerate

  // The accelerator: its pipeline advances when its output is taken or empty.
  wire [31:0] core_out;
  wire core_out_valid;
  wire core_out_ready;
  golden_axis accelerator (
    .clk(aclk),
    .rst(rst),
    .s_axis_tdata(core_in),
    .s_axis_tvalid(in_full),
    .s_axis_tready(core_in_ready),
    .m_axis_tdata(core_out),
    .m_axis_tvalid(core_out_valid),
    .m_axis_tready(core_out_ready)
  );

  // Output: the sample is packed into lanes, then shifted out one beat per handshake. The next
  // sample is taken on the edge the last beat of this one leaves.
  wire [63:0] out_packed;
  generate
    for (k = 0; k < 4; k = k + 1) begin : pack
      assign out_packed[k*8 +: 8] = core_out[k*8 +: 8];
    end
  endgenerate
  assign out_packed[63:32] = 32'd0;
  reg [63:0] out_buf;
  reg [0:0] out_beat;
  reg out_full;
  wire out_last = out_beat == 1'd0;
  wire out_take = out_full & m_axis_tready;
  wire out_done = out_take & out_last;
  assign core_out_ready = ~out_full | out_done;
  wire core_out_take = core_out_valid & core_out_ready;
  always @(posedge aclk) begin
    if (core_out_take) out_buf <= out_packed;
    else if (out_take) out_buf <= out_buf;
  end
  always @(posedge aclk) begin
    if (rst) begin
      out_beat <= 1'd0;
      out_full <= 1'b0;
    end else begin
      if (out_take) out_beat <= out_last ? 1'd0 : out_beat + 1'd1;
      if (core_out_take) out_full <= 1'b1;
      else if (out_done) out_full <= 1'b0;
    end
  end

  // TLAST on the last beat of every TLAST_EVERY-th sample (0 counts as 1): the AXI DMA ends an
  // S2MM transfer at TLAST, so the driver sets it to its batch. Writing it restarts the count.
  reg [31:0] tlast_every;
  reg [31:0] batch_count;
  wire batch_last = batch_count + 32'd1 >= tlast_every;
  assign m_axis_tvalid = out_full;
  assign m_axis_tdata = out_buf[63:0];
  assign m_axis_tlast = out_last & batch_last;
  assign m_axis_tkeep = {8{1'b1}};

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
      6'd2: read_value = 32'h3B987B22;  // MODEL_HASH[0]
      6'd3: read_value = 32'h0BF5B033;  // MODEL_HASH[1]
      6'd4: read_value = 32'h2608EF7D;  // MODEL_HASH[2]
      6'd5: read_value = 32'hE3A7778C;  // MODEL_HASH[3]
      6'd6: read_value = 32'h65DCD402;  // MODEL_HASH[4]
      6'd7: read_value = 32'h87FDD803;  // MODEL_HASH[5]
      6'd8: read_value = 32'hDA6FD599;  // MODEL_HASH[6]
      6'd9: read_value = 32'h21E5B6F6;  // MODEL_HASH[7]
      6'd10: read_value = last_cycles;  // LAST_CYCLES
      6'd11: read_value = samples;  // SAMPLES
      6'd12: read_value = 32'h00000001;  // IN_BEATS
      6'd13: read_value = 32'h00000001;  // OUT_BEATS
      6'd14: read_value = tlast_every;  // TLAST_EVERY
      default: read_value = 32'd0;
    endcase
  end
endmodule
