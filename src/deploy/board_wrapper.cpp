// The wrapper's text: a template with ${NAME} fields, filled from the packing. The logic is in
// the template's comments; the C++ only computes widths and the constants.
#include "deploy/board_wrapper.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <map>

#include "deploy/board_wrapper_parts.hpp"
#include "deploy/sha256.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::deploy {
namespace {

// The parallel core's wrapper (docs/board.md, section 3): whole samples into <top>_axis.
constexpr const char* kParallelIntro =
    R"(// Board wrapper of ${TOP}_axis: the nnfpga board contract 1.0 (docs/board.md). Input beats are
// collected into one sample, the sample enters the pipeline, its outputs leave as beats with
// TLAST, and an AXI4-Lite block reports the model and the cycles of the last sample. Nothing is
// dropped: every ready below is a full backpressure path.
// Packing: element k is bits [k*L +: L] of a sample's beats laid end to end (lane k % E of beat
// k / E), its code sign- or zero-extended to the lane of L bits.
//   input  ${IN_COUNT} x ${IN_TYPE}: ${IN_L}-bit lanes, ${IN_E} per beat, ${IN_BEATS} beats
//   output ${OUT_COUNT} x ${OUT_TYPE}: ${OUT_L}-bit lanes, ${OUT_E} per beat, ${OUT_BEATS} beats
// Model SHA-256 ${HASH}
)";

constexpr const char* kParallelDatapath =
    R"(  // Input: beats shift in from the top, so after the last one beat 0 sits lowest. A new beat is
  // taken while the buffer is not full, or on the edge the full sample enters the pipeline.
  reg [${IN_BUF_MSB}:0] in_buf;
  reg [${IN_IDX_MSB}:0] in_beat;
  reg in_full;
  wire core_in_ready;
  wire in_first = in_beat == ${IN_IDX_ZERO};
  wire in_last = in_beat == ${IN_IDX_LAST};
  assign s_axis_tready = ~in_full | core_in_ready;
  wire in_take = s_axis_tvalid & s_axis_tready;
  always @(posedge aclk) begin
    if (in_take) in_buf <= ${IN_SHIFT};
  end
  always @(posedge aclk) begin
    if (rst) begin
      in_beat <= ${IN_IDX_ZERO};
      in_full <= 1'b0;
    end else begin
      if (in_take) in_beat <= in_last ? ${IN_IDX_ZERO} : in_beat + ${IN_IDX_ONE};
      if (in_take & in_last) in_full <= 1'b1;
      else if (in_full & core_in_ready) in_full <= 1'b0;
    end
  end
  wire [${CORE_IN_MSB}:0] core_in;
  genvar k;
  generate
    for (k = 0; k < ${IN_COUNT}; k = k + 1) begin : unpack
      assign core_in[k*${IN_W} +: ${IN_W}] = in_buf[k*${IN_L} +: ${IN_W}];
    end
  endgenerate

  // The accelerator: its pipeline advances when its output is taken or empty.
  wire [${CORE_OUT_MSB}:0] core_out;
  wire core_out_valid;
  wire core_out_ready;
  ${TOP}_axis accelerator (
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
  wire [${OUT_BUF_MSB}:0] out_packed;
  generate
    for (k = 0; k < ${OUT_COUNT}; k = k + 1) begin : pack
      assign out_packed[k*${OUT_L} +: ${OUT_L}] = ${OUT_EXTEND};
    end
  endgenerate
${OUT_PAD}  reg [${OUT_BUF_MSB}:0] out_buf;
  reg [${OUT_IDX_MSB}:0] out_beat;
  reg out_full;
  wire out_last = out_beat == ${OUT_IDX_LAST};
  wire out_take = out_full & m_axis_tready;
  wire out_done = out_take & out_last;
  assign core_out_ready = ~out_full | out_done;
  wire core_out_take = core_out_valid & core_out_ready;
  always @(posedge aclk) begin
    if (core_out_take) out_buf <= out_packed;
    else if (out_take) out_buf <= ${OUT_SHIFT};
  end
  always @(posedge aclk) begin
    if (rst) begin
      out_beat <= ${OUT_IDX_ZERO};
      out_full <= 1'b0;
    end else begin
      if (out_take) out_beat <= out_last ? ${OUT_IDX_ZERO} : out_beat + ${OUT_IDX_ONE};
      if (core_out_take) out_full <= 1'b1;
      else if (out_done) out_full <= 1'b0;
    end
  end

)";

// Both wrappers' ports, and their control half: TLAST, LAST_CYCLES and the AXI4-Lite block.
constexpr const char* kWrapperPorts =
    R"(module ${TOP}_board (
  input wire aclk,
  input wire aresetn,
  input wire [${B_MSB}:0] s_axis_tdata,
  input wire s_axis_tvalid,
  output wire s_axis_tready,
  input wire s_axis_tlast,
  output wire [${B_MSB}:0] m_axis_tdata,
  output wire m_axis_tvalid,
  input wire m_axis_tready,
  output wire m_axis_tlast,
  output wire [${KEEP_MSB}:0] m_axis_tkeep,
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

)";

constexpr const char* kWrapperControl =
    R"(  // TLAST on the last beat of every TLAST_EVERY-th sample (0 counts as 1): the AXI DMA ends an
  // S2MM transfer at TLAST, so the driver sets it to its batch. Writing it restarts the count.
  reg [31:0] tlast_every;
  reg [31:0] batch_count;
  wire batch_last = batch_count + 32'd1 >= tlast_every;
  assign m_axis_tvalid = out_full;
  assign m_axis_tdata = ${OUT_TDATA};
  assign m_axis_tlast = out_last & batch_last;
  assign m_axis_tkeep = {${KEEP_BITS}{1'b1}};

  // Cycles from the first input beat of a sample to its last output beat. Samples overlap in
  // the pipeline, so each one's start time waits in a FIFO deep enough for all in flight.
  reg [31:0] cycle;
  reg [31:0] start_time [0:${DEPTH_MAX}];
  reg [${PTR_MSB}:0] start_wr;
  reg [${PTR_MSB}:0] start_rd;
  reg [31:0] last_cycles;
  reg [31:0] samples;
  always @(posedge aclk) begin
    if (in_take & in_first) start_time[start_wr] <= cycle;
  end
  always @(posedge aclk) begin
    if (rst) begin
      cycle <= 32'd0;
      start_wr <= ${PTR_ZERO};
      start_rd <= ${PTR_ZERO};
      last_cycles <= 32'd0;
      samples <= 32'd0;
    end else begin
      cycle <= cycle + 32'd1;
      if (in_take & in_first) start_wr <= start_wr + ${PTR_ONE};
      if (out_done) begin
        start_rd <= start_rd + ${PTR_ONE};
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
  wire write_tlast_every = wr_go & (s_axi_ctrl_awaddr[7:2] == 6'd${TLAST_WORD});
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
${READ_CASES}      default: read_value = 32'd0;
    endcase
  end
endmodule
)";

std::string wrapper_shift_in(const StreamPacking& p) {
  if (p.beats_per_sample == 1) return "s_axis_tdata";
  return fmt::format("{{s_axis_tdata, in_buf[{}:{}]}}", p.beats_per_sample * p.beat_bits - 1,
                     p.beat_bits);
}

std::string wrapper_shift_out(const StreamPacking& p) {
  if (p.beats_per_sample == 1) return "out_buf";
  return fmt::format("{{{}'d0, out_buf[{}:{}]}}", p.beat_bits, p.beats_per_sample * p.beat_bits - 1,
                     p.beat_bits);
}

// An output code widened to its lane: sign- or zero-extended.
std::string lane_extend(const StreamPacking& p) {
  const int w = p.type.width;
  const std::string code = fmt::format("core_out[k*{} +: {}]", w, w);
  const int extra = p.lane_bits - w;
  if (extra == 0) return code;
  if (!p.type.is_signed) return fmt::format("{{{}'d0, {}}}", extra, code);
  return fmt::format("{{{{{}{{core_out[k*{} + {}]}}}}, {}}}", extra, w, w - 1, code);
}

// Unused lanes of the last output beat are 0.
std::string lane_pad_text(const StreamPacking& p) {
  const std::int64_t used = p.count * p.lane_bits;
  const std::int64_t all = p.beats_per_sample * p.beat_bits;
  if (used == all) return "";
  return fmt::format("  assign out_packed[{}:{}] = {}'d0;\n", all - 1, used, all - used);
}

std::string register_read_cases(const WrapperSpec& s) {
  const auto line = [](int word, std::uint32_t value, const std::string& what) {
    return fmt::format("      6'd{}: read_value = 32'h{:08X};  // {}\n", word, value, what);
  };
  std::string t;
  t += line(0x00 / 4, kIdValue, "ID \"NNFG\"");
  t += line(0x04 / 4, kVersionValue, "VERSION 1.0");
  for (int i = 0; i < kHashWords; ++i) {
    t += line(0x08 / 4 + i, digest_word(s.model_sha256, i), fmt::format("MODEL_HASH[{}]", i));
  }
  t += "      6'd10: read_value = last_cycles;  // LAST_CYCLES\n";
  t += "      6'd11: read_value = samples;  // SAMPLES\n";
  t += line(0x30 / 4, static_cast<std::uint32_t>(s.input.beats_per_sample), "IN_BEATS");
  t += line(0x34 / 4, static_cast<std::uint32_t>(s.output.beats_per_sample), "OUT_BEATS");
  t += "      6'd14: read_value = tlast_every;  // TLAST_EVERY\n";
  return t;
}

}  // namespace

namespace wrapper_detail {

std::string fill_wrapper_template(std::string text, const WrapperFields& fields) {
  for (const auto& [name, value] : fields) {
    const std::string key = "${" + name + "}";
    for (std::size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size())) {
      text.replace(at, key.size(), value);
    }
  }
  if (text.find("${") != std::string::npos) {
    throw Error(ErrorKind::kInternal, "board wrapper template field left unfilled at: " +
                                          text.substr(text.find("${"), 24));
  }
  return text;
}

int counter_bits(std::int64_t count) {
  return std::max(1, static_cast<int>(std::bit_width(static_cast<std::uint64_t>(count - 1))));
}

std::string sized_literal(int bits, std::int64_t value) {
  return fmt::format("{}'d{}", bits, value);
}

}  // namespace wrapper_detail

int in_flight_depth(int latency_cycles) {
  return static_cast<int>(std::bit_ceil(static_cast<unsigned>(std::max(4, latency_cycles + 3))));
}

std::string board_wrapper_text(const WrapperSpec& s) {
  using wrapper_detail::counter_bits;
  using wrapper_detail::sized_literal;
  const StreamPacking& in = s.input;
  const StreamPacking& out = s.output;
  if (in.beat_bits != out.beat_bits || s.model_sha256.size() != 64) {
    throw Error(ErrorKind::kInternal,
                "board wrapper: beat widths differ or the hash is not a "
                "SHA-256 digest");
  }
  const int in_idx = counter_bits(in.beats_per_sample);
  const int out_idx = counter_bits(out.beats_per_sample);
  const int depth = s.stream ? stream_in_flight_depth(s) : in_flight_depth(s.latency_cycles);
  const int ptr = counter_bits(depth);
  const auto str = [](auto v) { return fmt::format("{}", v); };
  wrapper_detail::WrapperFields fields = {
      {"TOP", s.top},
      {"HASH", s.model_sha256},
      {"B_MSB", str(in.beat_bits - 1)},
      {"KEEP_MSB", str(in.beat_bits / 8 - 1)},
      {"KEEP_BITS", str(in.beat_bits / 8)},
      {"IN_COUNT", str(in.count)},
      {"IN_TYPE", fixed::to_string(in.type)},
      {"IN_W", str(in.type.width)},
      {"IN_L", str(in.lane_bits)},
      {"IN_E", str(in.elements_per_beat)},
      {"IN_BEATS", str(in.beats_per_sample)},
      {"IN_IDX_MSB", str(in_idx - 1)},
      {"IN_IDX_ZERO", sized_literal(in_idx, 0)},
      {"IN_IDX_ONE", sized_literal(in_idx, 1)},
      {"IN_IDX_LAST", sized_literal(in_idx, in.beats_per_sample - 1)},
      {"OUT_COUNT", str(out.count)},
      {"OUT_TYPE", fixed::to_string(out.type)},
      {"OUT_L", str(out.lane_bits)},
      {"OUT_E", str(out.elements_per_beat)},
      {"OUT_BEATS", str(out.beats_per_sample)},
      {"OUT_IDX_MSB", str(out_idx - 1)},
      {"OUT_IDX_ZERO", sized_literal(out_idx, 0)},
      {"OUT_IDX_ONE", sized_literal(out_idx, 1)},
      {"OUT_IDX_LAST", sized_literal(out_idx, out.beats_per_sample - 1)},
      {"DEPTH_MAX", str(depth - 1)},
      {"PTR_MSB", str(ptr - 1)},
      {"PTR_ZERO", sized_literal(ptr, 0)},
      {"PTR_ONE", sized_literal(ptr, 1)},
      {"TLAST_WORD", str(0x38 / 4)},
      {"READ_CASES", register_read_cases(s)}};
  if (s.stream) {
    wrapper_detail::add_stream_fields(s, depth, fields);
    return wrapper_detail::fill_wrapper_template(
        std::string(wrapper_detail::stream_wrapper_intro()) + kWrapperPorts +
            wrapper_detail::stream_wrapper_datapath() + kWrapperControl,
        fields);
  }
  fields.insert({{"IN_BUF_MSB", str(in.beats_per_sample * in.beat_bits - 1)},
                 {"IN_SHIFT", wrapper_shift_in(in)},
                 {"CORE_IN_MSB", str(in.count * in.type.width - 1)},
                 {"OUT_BUF_MSB", str(out.beats_per_sample * out.beat_bits - 1)},
                 {"OUT_SHIFT", wrapper_shift_out(out)},
                 {"OUT_EXTEND", lane_extend(out)},
                 {"OUT_PAD", lane_pad_text(out)},
                 {"CORE_OUT_MSB", str(out.count * out.type.width - 1)},
                 {"OUT_TDATA", fmt::format("out_buf[{}:0]", in.beat_bits - 1)}});
  return wrapper_detail::fill_wrapper_template(
      std::string(kParallelIntro) + kWrapperPorts + kParallelDatapath + kWrapperControl, fields);
}

}  // namespace nnfpga::deploy
