// The streaming wrapper's text (a CNN's <top>_axis takes one pixel per handshake): two gearboxes
// between bus beats and pixels, one each way. The logic is in the template's comments; the C++
// only computes widths and constants. The ports and the control half are board_wrapper.cpp's.
#include <fmt/format.h>

#include <algorithm>
#include <bit>

#include "deploy/board_wrapper_parts.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::deploy {
namespace {

constexpr const char* kStreamIntro =
    R"(// Board wrapper of ${TOP}_axis, a streaming design: the nnfpga board contract 1.0
// (docs/board.md). The bus carries a sample packed exactly as for every board design (element k,
// in raster order with the channels last, is bits [k*L +: L] of the sample's beats laid end to
// end; the last beat of a sample is padded), while ${TOP}_axis takes one pixel, all its channels,
// per handshake. So bus beats are cut into elements that queue for whole pixels on the way in,
// and the accelerator's pixels queue for whole bus beats on the way out. TLAST marks samples and
// an AXI4-Lite block reports the model and the cycles of the last sample. Nothing is dropped:
// every ready below is a full backpressure path.
//   input  ${IN_PIXELS} pixels x ${IN_C} x ${IN_TYPE}: ${IN_L}-bit lanes, ${IN_E} per beat, ${IN_BEATS} beats
//   output ${OUT_PIXELS} pixels x ${OUT_C} x ${OUT_TYPE}: ${OUT_L}-bit lanes, ${OUT_E} per beat, ${OUT_BEATS} beats
// Model SHA-256 ${HASH}
)";

constexpr const char* kStreamDatapath =
    R"(  // Input gearbox: a queue of up to ${GIN_CAP} elements, element 0 at the bottom. A pixel of ${IN_C}
  // leaves the bottom whenever the queue holds one and the accelerator takes it; a bus beat's
  // lanes, narrowed to their codes, are written just above what stays. A sample's last beat
  // adds only the sample's remaining ${IN_LAST} element(s): its padding lanes fall above the
  // queue's fill and are overwritten. A beat is taken while the queue has room for a whole one,
  // after this edge's pixel has left. A sample is whole pixels, so no pixel spans two samples.
  reg [${GIN_MSB}:0] gin_buf;
  reg [${GIN_FB_MSB}:0] gin_fill;
  reg [${IN_IDX_MSB}:0] in_beat;
  reg [${FLIGHT_MSB}:0] in_flight;
  wire core_in_ready;
  wire in_first = in_beat == ${IN_IDX_ZERO};
  wire in_last = in_beat == ${IN_IDX_LAST};
  wire core_in_valid = gin_fill >= ${GIN_C};
  wire core_in_take = core_in_valid & core_in_ready;
  wire [${GIN_FB_MSB}:0] gin_kept = core_in_take ? gin_fill - ${GIN_C} : gin_fill;
  // The first beat of a sample also waits for a place for its start time (LAST_CYCLES below).
  wire start_room = in_flight != ${FLIGHT_DEPTH};
  assign s_axis_tready = (gin_kept <= ${GIN_ROOM}) & (~in_first | start_room);
  wire in_take = s_axis_tvalid & s_axis_tready;
  wire [${IN_ELEMS_MSB}:0] in_elems;
  genvar k;
  generate
    for (k = 0; k < ${IN_E}; k = k + 1) begin : narrow
      assign in_elems[k*${IN_W} +: ${IN_W}] = s_axis_tdata[k*${IN_L} +: ${IN_W}];
    end
  endgenerate
  wire [${GIN_MSB}:0] gin_shifted = core_in_take ? gin_buf >> ${CORE_IN_BITS} : gin_buf;
  wire [${GIN_FB_MSB}:0] gin_at = gin_kept * ${GIN_W};
  wire [${GIN_MSB}:0] gin_mask = {${GIN_PAD_BITS}'d0, {${IN_ELEMS_BITS}{1'b1}}} << gin_at;
  wire [${GIN_MSB}:0] gin_new = {${GIN_PAD_BITS}'d0, in_elems} << gin_at;
  always @(posedge aclk) begin
    gin_buf <= in_take ? (gin_shifted & ~gin_mask) | gin_new : gin_shifted;
  end
  always @(posedge aclk) begin
    if (rst) begin
      in_beat <= ${IN_IDX_ZERO};
      gin_fill <= ${GIN_ZERO};
    end else begin
      if (in_take) in_beat <= in_last ? ${IN_IDX_ZERO} : in_beat + ${IN_IDX_ONE};
      gin_fill <= gin_kept + (in_take ? (in_last ? ${GIN_LAST} : ${GIN_E}) : ${GIN_ZERO});
    end
  end
  wire [${CORE_IN_MSB}:0] core_in = gin_buf[${CORE_IN_MSB}:0];

  // The accelerator: a pixel per handshake each way, its own FIFOs between its layers.
  wire [${CORE_OUT_MSB}:0] core_out;
  wire core_out_valid;
  wire core_out_ready;
  ${TOP}_axis accelerator (
    .clk(aclk),
    .rst(rst),
    .s_axis_tdata(core_in),
    .s_axis_tvalid(core_in_valid),
    .s_axis_tready(core_in_ready),
    .m_axis_tdata(core_out),
    .m_axis_tvalid(core_out_valid),
    .m_axis_tready(core_out_ready)
  );

  // Output gearbox: the accelerator's pixels of ${OUT_C} queue as elements (up to ${GOUT_CAP}); a bus
  // beat leaves the bottom when the queue holds ${OUT_E}, or on a sample's last beat its remaining
  // ${OUT_LAST}, whose lanes above them are 0. A pixel is taken while the queue has room for it
  // after this edge's beat has left.
  reg [${GOUT_MSB}:0] gout_buf;
  reg [${GOUT_FB_MSB}:0] gout_fill;
  reg [${OUT_IDX_MSB}:0] out_beat;
  wire out_last = out_beat == ${OUT_IDX_LAST};
  wire [${GOUT_FB_MSB}:0] out_need = out_last ? ${GOUT_LAST} : ${GOUT_E};
  wire out_full = gout_fill >= out_need;
  wire out_take = out_full & m_axis_tready;
  wire out_done = out_take & out_last;
  wire [${GOUT_FB_MSB}:0] gout_kept = out_take ? gout_fill - out_need : gout_fill;
  assign core_out_ready = gout_kept <= ${GOUT_ROOM};
  wire core_out_take = core_out_valid & core_out_ready;
  wire [${GOUT_MSB}:0] gout_shifted = out_take ? gout_buf >> (out_need * ${GOUT_W}) : gout_buf;
  wire [${GOUT_FB_MSB}:0] gout_at = gout_kept * ${GOUT_W};
  wire [${GOUT_MSB}:0] gout_mask = {${GOUT_PAD_BITS}'d0, {${CORE_OUT_BITS}{1'b1}}} << gout_at;
  wire [${GOUT_MSB}:0] gout_new = {${GOUT_PAD_BITS}'d0, core_out} << gout_at;
  always @(posedge aclk) begin
    gout_buf <= core_out_take ? (gout_shifted & ~gout_mask) | gout_new : gout_shifted;
  end
  always @(posedge aclk) begin
    if (rst) begin
      out_beat <= ${OUT_IDX_ZERO};
      gout_fill <= ${GOUT_ZERO};
      in_flight <= ${FLIGHT_ZERO};
    end else begin
      if (out_take) out_beat <= out_last ? ${OUT_IDX_ZERO} : out_beat + ${OUT_IDX_ONE};
      gout_fill <= gout_kept + (core_out_take ? ${GOUT_C} : ${GOUT_ZERO});
      if ((in_take & in_first) & ~out_done) in_flight <= in_flight + ${FLIGHT_ONE};
      else if (out_done & ~(in_take & in_first)) in_flight <= in_flight - ${FLIGHT_ONE};
    end
  end
  // The bus beat: lane k holds queue element k, sign- or zero-extended (0 past a sample's end).
  wire [${B_MSB}:0] out_data;
  generate
    for (k = 0; k < ${OUT_E}; k = k + 1) begin : widen
      assign out_data[k*${OUT_L} +: ${OUT_L}] =
          (out_last && k >= ${OUT_LAST}) ? ${OUT_L}'d0 : ${OUT_EXTEND};
    end
  endgenerate

)";

// Bits of a counter that reaches `value` (inclusive).
int stream_counter_bits(std::int64_t value) {
  return std::max(1, static_cast<int>(std::bit_width(static_cast<std::uint64_t>(value))));
}

// A queue element widened to its lane: sign- or zero-extended.
std::string stream_lane_extend(const StreamPacking& p) {
  const int w = p.type.width;
  const std::string code = fmt::format("gout_buf[k*{} +: {}]", w, w);
  const int extra = p.lane_bits - w;
  if (extra == 0) return code;
  if (!p.type.is_signed) return fmt::format("{{{}'d0, {}}}", extra, code);
  return fmt::format("{{{{{}{{gout_buf[k*{} + {}]}}}}, {}}}", extra, w, w - 1, code);
}

// The elements per pixel of one side: the sample's elements over its pixels.
std::int64_t elements_per_pixel(const StreamPacking& p, std::int64_t pixels, const char* side) {
  if (pixels < 1 || p.count % pixels != 0) {
    throw Error(ErrorKind::kInternal,
                fmt::format("board wrapper: the {} sample of {} elements is not {} whole pixels",
                            side, p.count, pixels));
  }
  return p.count / pixels;
}

}  // namespace

int stream_in_flight_depth(const WrapperSpec& s) {
  const std::int64_t period = std::max(
      {s.interval_cycles, s.input.beats_per_sample, s.output.beats_per_sample, std::int64_t{1}});
  const std::int64_t overlap = (s.latency_cycles + period - 1) / period;
  return static_cast<int>(
      std::bit_ceil(static_cast<std::uint64_t>(std::max<std::int64_t>(4, overlap + 3))));
}

namespace wrapper_detail {

const char* stream_wrapper_intro() {
  return kStreamIntro;
}

const char* stream_wrapper_datapath() {
  return kStreamDatapath;
}

void add_stream_fields(const WrapperSpec& s, int depth, WrapperFields& f) {
  const StreamPacking& in = s.input;
  const StreamPacking& out = s.output;
  const std::int64_t in_c = elements_per_pixel(in, s.in_pixels, "input");
  const std::int64_t out_c = elements_per_pixel(out, s.out_pixels, "output");
  // The queues: room for a bus beat (or a pixel) beside a pixel (or a bus beat) waiting.
  const std::int64_t gin_cap = in.elements_per_beat + in_c;
  const std::int64_t gout_cap = out.elements_per_beat + out_c;
  // The fill counters also hold the fill times the element width (the shift amounts).
  const int gin_fb = stream_counter_bits(gin_cap * in.type.width);
  const int gout_fb = stream_counter_bits(gout_cap * out.type.width);
  const int flight = stream_counter_bits(depth);
  const std::int64_t in_last = in.count - (in.beats_per_sample - 1) * in.elements_per_beat;
  const std::int64_t out_last = out.count - (out.beats_per_sample - 1) * out.elements_per_beat;
  const auto str = [](auto v) { return fmt::format("{}", v); };
  f.insert({{"IN_PIXELS", str(s.in_pixels)},
            {"IN_C", str(in_c)},
            {"IN_LAST", str(in_last)},
            {"GIN_CAP", str(gin_cap)},
            {"GIN_MSB", str(gin_cap * in.type.width - 1)},
            {"GIN_FB_MSB", str(gin_fb - 1)},
            {"GIN_ZERO", sized_literal(gin_fb, 0)},
            {"GIN_C", sized_literal(gin_fb, in_c)},
            {"GIN_E", sized_literal(gin_fb, in.elements_per_beat)},
            {"GIN_LAST", sized_literal(gin_fb, in_last)},
            {"GIN_ROOM", sized_literal(gin_fb, gin_cap - in.elements_per_beat)},
            {"GIN_W", sized_literal(gin_fb, in.type.width)},
            {"GIN_PAD_BITS", str(in_c * in.type.width)},
            {"IN_ELEMS_BITS", str(in.elements_per_beat * in.type.width)},
            {"IN_ELEMS_MSB", str(in.elements_per_beat * in.type.width - 1)},
            {"CORE_IN_BITS", str(in_c * in.type.width)},
            {"CORE_IN_MSB", str(in_c * in.type.width - 1)},
            {"FLIGHT_MSB", str(flight - 1)},
            {"FLIGHT_DEPTH", sized_literal(flight, depth)},
            {"FLIGHT_ZERO", sized_literal(flight, 0)},
            {"FLIGHT_ONE", sized_literal(flight, 1)},
            {"OUT_PIXELS", str(s.out_pixels)},
            {"OUT_C", str(out_c)},
            {"OUT_LAST", str(out_last)},
            {"GOUT_CAP", str(gout_cap)},
            {"GOUT_MSB", str(gout_cap * out.type.width - 1)},
            {"GOUT_FB_MSB", str(gout_fb - 1)},
            {"GOUT_ZERO", sized_literal(gout_fb, 0)},
            {"GOUT_C", sized_literal(gout_fb, out_c)},
            {"GOUT_E", sized_literal(gout_fb, out.elements_per_beat)},
            {"GOUT_LAST", sized_literal(gout_fb, out_last)},
            {"GOUT_ROOM", sized_literal(gout_fb, gout_cap - out_c)},
            {"GOUT_W", sized_literal(gout_fb, out.type.width)},
            {"GOUT_PAD_BITS", str(out.elements_per_beat * out.type.width)},
            {"CORE_OUT_BITS", str(out_c * out.type.width)},
            {"CORE_OUT_MSB", str(out_c * out.type.width - 1)},
            {"OUT_EXTEND", stream_lane_extend(out)},
            {"OUT_TDATA", "out_data"}});
}

}  // namespace wrapper_detail
}  // namespace nnfpga::deploy
