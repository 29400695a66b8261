// Text of the streaming modules. Every process follows its token order exactly as the schedule's
// model does (src/schedule/schedule.hpp): at most one read and one write a cycle, a write in the
// cycle of the read that completes its window, a read after a write in the write's cycle, and its
// output FIFO written `latency` cycles after the write. So the schedule's interval, latency and
// FIFO depths are the RTL's, cycle for cycle.
#include "backend/verilog/stream_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "backend/verilog/line_buffer.hpp"

namespace nnfpga::backend::verilog {
namespace {

// Bits to hold every value in [0, n].
int bits_for(std::int64_t n) {
  int b = 1;
  while ((std::int64_t{1} << b) <= n) ++b;
  return b;
}

std::string port_list(int in_bits, int out_bits) {
  return fmt::format(
      "  input wire clk,\n  input wire rst,\n  input wire in_valid,\n  output wire in_ready,\n"
      "  input wire [{}:0] in_data,\n  output wire out_valid,\n  input wire out_ready,\n"
      "  output wire [{}:0] out_data\n",
      in_bits - 1, out_bits - 1);
}

// function <name>(w): table[w] for w < table.size(), `rest` above (a case statement, a LUT ROM).
std::string rom_function(const std::string& name, int out_bits, int in_bits,
                         const std::vector<std::int64_t>& table, std::int64_t rest) {
  std::string t = fmt::format("  function [{}:0] {};\n    input [{}:0] w;\n    case (w)\n",
                              out_bits - 1, name, in_bits - 1);
  for (std::size_t k = 0; k < table.size(); ++k) {
    t += fmt::format("      {}'d{}: {} = {}'d{};\n", in_bits, k, name, out_bits, table[k]);
  }
  t += fmt::format("      default: {} = {}'d{};\n    endcase\n  endfunction\n", name, out_bits,
                   rest);
  return t;
}

// The register holding tap k (k >= 1) of a buffer laid out as `segments` (line_buffer.hpp):
// segment i's shift register line<i> (tap first in its low bits), or, behind a RAM, its head
// line<i>_head (the RAM's read register) and line<i> with the taps after it.
std::string segment_tap(const std::vector<LineSegment>& segments, std::int64_t in_bits,
                        std::int64_t k) {
  if (k == 0) return "in_data";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const LineSegment& g = segments[i];
    if (k < g.first || k > g.last) continue;
    const bool behind_ram = i > 0 && segments[i - 1].storage != LineStorage::kRegisters;
    if (!behind_ram) return fmt::format("line{}[{} +: {}]", i, (k - g.first) * in_bits, in_bits);
    if (k == g.first) return fmt::format("line{}_head", i);
    return fmt::format("line{}[{} +: {}]", i, (k - g.first - 1) * in_bits, in_bits);
  }
  return "";  // not reached: plan_line_buffer puts every read tap in a register segment
}

// A line buffer with RAM delay lines: per segment a shift register or a circular buffer of its
// beats, each moving exactly when the single shift register would (`move`). A delay
// line reads the entry it overwrites (written `beats` moves ago) into the next segment's head, so
// that head is the RAM's output register; its memory has no reset, only its address.
std::string line_buffer_with_ram(const std::vector<LineSegment>& segments, std::int64_t in_bits,
                                 const std::string& move) {
  std::string t =
      "  // The line buffer, newest first; tap 0 is the beat on in_data. Unread stretches are\n"
      "  // RAM delay lines (nnfpga's rule in bits; docs/verilog.md).\n";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const LineSegment& g = segments[i];
    const std::string feed = segment_tap(segments, in_bits, g.first - 1);
    if (g.storage != LineStorage::kRegisters) {
      const int ab = bits_for(g.beats() - 1);
      t += fmt::format(
          "  // Taps {0} to {1}: a delay line of {2} beats in {3}.\n"
          "  (* ram_style = \"{4}\" *) reg [{5}:0] line{6} [0:{7}];\n"
          "  reg [{8}:0] line{6}_at;\n  reg [{5}:0] line{9}_head;\n"
          "  always @(posedge clk) begin\n    if ({12}) begin\n"
          "      line{9}_head <= line{6}[line{6}_at];\n      line{6}[line{6}_at] <= {10};\n"
          "    end\n  end\n"
          "  always @(posedge clk) begin\n    if (rst) line{6}_at <= {11}'d0;\n"
          "    else if ({12}) line{6}_at <= line{6}_at == {11}'d{7} ? {11}'d0 : line{6}_at + "
          "1'b1;\n"
          "  end\n",
          g.first, g.last, g.beats(), g.storage == LineStorage::kBlockRam ? "block RAM" : "LUT RAM",
          g.storage == LineStorage::kBlockRam ? "block" : "distributed", in_bits - 1, i,
          g.beats() - 1, ab - 1, i + 1, feed, ab, move);
      continue;
    }
    const bool behind_ram = i > 0;  // register segments are never adjacent
    const std::int64_t regs = g.beats() - (behind_ram ? 1 : 0);
    if (regs == 0) continue;
    const std::string in = behind_ram ? fmt::format("line{}_head", i) : std::string("in_data");
    t += fmt::format("  // Taps {} to {}: registers.\n  reg [{}:0] line{};\n", g.first, g.last,
                     regs * in_bits - 1, i);
    t += regs == 1
             ? fmt::format("  always @(posedge clk) begin\n    if ({}) line{} <= {};\n  end\n",
                           move, i, in)
             : fmt::format(
                   "  always @(posedge clk) begin\n    if ({3}) line{0} <= {{line{0}[{1}:0], "
                   "{2}}};\n  end\n",
                   i, (regs - 1) * in_bits - 1, in, move);
  }
  return t;
}

// The controller of a window op (stream_window.hpp): counters of the reads (r) and writes (w) of
// the current sample, the token order as a ROM, and the read/write decisions of one cycle.
std::string window_controller(const StreamLayer& l, int in_bits) {
  const StreamReads& s = l.reads;
  const int rb = bits_for(s.in_beats + 1), wb = bits_for(s.out_beats + 1);
  std::string t = rom_function("need", rb, wb, s.need, s.in_beats);
  // A folded product (stream_fold.hpp) takes a window only when free: the write waits for it, and
  // so do the reads that would pass the window still waiting to be written.
  const std::string free = l.fold ? "fold_free & " : "";
  if (l.fold) t += "  wire fold_free;\n";
  const int cb =
      bits_for(std::max<std::int64_t>(1, static_cast<std::int64_t>(s.case_taps.size()) - 1));
  std::vector<std::int64_t> cases(s.case_of.begin(), s.case_of.end());
  t += rom_function("case_of", cb, wb, cases, 0);
  t += fmt::format(
      "  reg [{0}:0] r;  // input beats read in this sample\n"
      "  reg [{1}:0] w;  // output beats written in this sample\n"
      "  wire [{0}:0] need_w = need(w);\n"
      "  wire [{0}:0] need_next = need(w + {2}'d1);\n"
      "  // Reads still owed to output w (or the sample's last reads, once w = {3}).\n"
      "  wire reading = r < need_w;\n"
      "  // After a write: the reads owed to the next output; after the last write, the sample's\n"
      "  // last reads or, with none left, the next sample's first, in the same cycle.\n"
      "  wire last_write = w + {2}'d1 == {2}'d{3};\n"
      "  assign in_ready = ce & (reading | {8}(r < need_next) | last_write{9});\n"
      "  wire rd = in_valid & in_ready;\n"
      "  wire read_first = rd & reading;  // this cycle's read comes before its write\n"
      "  wire wr = ce & {7}(w != {2}'d{3}) & (reading ? (rd & (r + 1'b1 == need_w)) : 1'b1);\n"
      "  wire [{0}:0] r_next = r + rd;\n"
      "  wire [{1}:0] w_next = w + wr;\n"
      "  always @(posedge clk) begin\n"
      "    if (rst) begin\n      r <= {4}'d0;\n      w <= {2}'d0;\n"
      "    end else if (w_next == {2}'d{3} && r_next >= {4}'d{5}) begin\n"
      "      r <= r_next - {4}'d{5};  // the next sample's first read, if it came\n"
      "      w <= {2}'d0;\n"
      "    end else begin\n      r <= r_next;\n      w <= w_next;\n    end\n  end\n"
      "  wire [{6}:0] case_w = case_of(w);\n",
      rb - 1, wb - 1, wb, s.out_beats, rb, s.in_beats, cb - 1, free, l.fold ? "fold_free & (" : "",
      l.fold ? ")" : "");
  const std::vector<LineSegment> segments = plan_line_buffer(s, in_bits);
  const bool any_ram = has_ram(segments);
  std::function<std::string(std::int64_t)> tap;
  // The buffer moves on each read and, with tail shifts (stream_window.hpp), on each tail write
  // after the first.
  const std::string move = s.tail_shifts ? "shift" : "rd";
  if (s.tail_shifts) {
    t += fmt::format("  wire shift = rd | (wr & (w > {}'d{}));\n", wb, s.tail_first);
  }
  if (any_ram) {
    t += line_buffer_with_ram(segments, in_bits, move);
    tap = [segments, in_bits](std::int64_t k) { return segment_tap(segments, in_bits, k); };
  } else {
    // The line buffer: the last buffer_beats input beats, newest first; tap 0 is the beat on
    // in_data.
    const std::int64_t lb = s.buffer_beats;
    t += fmt::format("  reg [{}:0] line;\n  always @(posedge clk) begin\n", lb * in_bits - 1);
    t += lb == 1 ? fmt::format("    if ({}) line <= in_data;\n", move)
                 : fmt::format("    if ({}) line <= {{line[{}:0], in_data}};\n", move,
                               (lb - 1) * in_bits - 1);
    t += "  end\n";
    tap = [in_bits](std::int64_t k) {
      return k == 0 ? std::string("in_data")
                    : fmt::format("line[{} +: {}]", (k - 1) * in_bits, in_bits);
    };
  }
  const std::string pad = fmt::format(
      "{{{}{{{}}}}}", l.in_channels,
      fmt::format("{}'d{}", l.in_type.width,
                  static_cast<std::uint64_t>(l.pad_code) &
                      (l.in_type.width >= 64 ? ~std::uint64_t{0}
                                             : (std::uint64_t{1} << l.in_type.width) - 1)));
  // Each window element: the tap of this output's case, one further back when no read precedes
  // the write in this cycle.
  const std::int64_t window_bits = s.elements * in_bits + l.divisor_bits;
  t += fmt::format("  wire [{}:0] window;\n", window_bits - 1);
  if (l.divisor_bits > 0) {
    // An average's count at this output (fewer real elements at padded borders), by its index.
    std::vector<std::int64_t> index(l.divisor_of_case.begin(), l.divisor_of_case.end());
    t += rom_function("divisor_of", l.divisor_bits, cb, index, 0);
    t += fmt::format("  assign window[{} +: {}] = divisor_of(case_w);\n", s.elements * in_bits,
                     l.divisor_bits);
  }
  for (std::int64_t e = 0; e < s.elements; ++e) {
    t += fmt::format(
        "  reg [{}:0] element{};\n  always @* begin\n    case ({{case_w, read_first}})\n",
        in_bits - 1, e);
    for (std::size_t c = 0; c < s.case_taps.size(); ++c) {
      const std::int64_t k = s.case_taps[c][static_cast<std::size_t>(e)];
      for (int first = 0; first < 2; ++first) {
        t += fmt::format("      {}'d{}: element{} = {};\n", cb + 1, 2 * c + first, e,
                         k == kPadding ? pad : tap(k + (first ? 0 : 1)));
      }
    }
    t += fmt::format("      default: element{} = {};\n    endcase\n  end\n", e, pad);
    t += fmt::format("  assign window[{} +: {}] = element{};\n", e * in_bits, in_bits, e);
  }
  // The window register: the first stage of the layer's pipeline.
  t += fmt::format(
      "  reg [{0}:0] window_q;\n  always @(posedge clk) begin\n    if (wr) window_q <= window;\n"
      "  end\n",
      window_bits - 1);
  return t;
}

// A process's port name: `prefix` alone when it has one such port, else prefix<k>.
std::string stream_port(const char* prefix, std::size_t k, std::size_t count) {
  return count == 1 ? std::string(prefix) : std::string(prefix).append(std::to_string(k));
}

// The controller of a merge (a join): one beat of every input per output beat. Each input is read
// as soon as its beat comes, as the schedule's model reads it; a beat that comes before the others
// waits in a holding register, so no input is read twice before the write. x<k>: input k's beat of
// this write.
std::string join_controller(const StreamLayer& l) {
  std::string t, all;
  const std::size_t n = l.inputs.size();
  for (std::size_t k = 0; k < n; ++k) {
    t += fmt::format(
        "  reg held{0};  // a beat of input {0} waits for the others\n  reg [{1}:0] hold{0};\n", k,
        l.inputs[k].channels * l.inputs[k].type.width - 1);
    all += fmt::format(" & (held{0} | in{0}_valid)", k);
  }
  t += fmt::format("  wire wr = ce{};\n", all);
  for (std::size_t k = 0; k < n; ++k) {
    t += fmt::format(
        "  assign in{0}_ready = ce & (~held{0} | wr);\n"
        "  wire rd{0} = in{0}_valid & in{0}_ready;\n"
        "  wire [{1}:0] x{0} = held{0} ? hold{0} : in{0}_data;\n"
        "  always @(posedge clk) begin\n"
        "    if (rst) held{0} <= 1'b0;\n"
        "    else if (ce) held{0} <= wr ? held{0} & rd{0} : held{0} | rd{0};\n"
        "    // Kept unless this write consumes it in its own cycle.\n"
        "    if (rd{0} & ~(wr & ~held{0})) hold{0} <= in{0}_data;\n"
        "  end\n",
        k, l.inputs[k].channels * l.inputs[k].type.width - 1);
  }
  return t;
}

}  // namespace

std::string stream_fifo_text(const std::string& fifo) {
  return fmt::format(
      "// A FIFO of WIDTH-bit beats, DEPTH deep (nnfpga's schedule sizes it). A pushed beat is\n"
      "// readable from the next cycle; a pop in a push's cycle frees no room for that push.\n"
      "module {} #(\n  parameter WIDTH = 1,\n  parameter DEPTH = 2,\n  parameter ADDR_BITS = 1,\n"
      "  parameter COUNT_BITS = 2\n) (\n  input wire clk,\n  input wire rst,\n"
      "  input wire push,\n  output wire full,\n  input wire [WIDTH-1:0] push_data,\n"
      "  output wire out_valid,\n  input wire out_ready,\n  output wire [WIDTH-1:0] out_data\n"
      ");\n"
      "  reg [WIDTH-1:0] mem [0:DEPTH-1];\n  reg [ADDR_BITS-1:0] wp, rp;\n"
      "  reg [COUNT_BITS-1:0] count;\n"
      "  assign full = count == DEPTH;\n  assign out_valid = count != 0;\n"
      "  assign out_data = mem[rp];\n  wire pop = out_valid & out_ready;\n"
      "  always @(posedge clk) begin\n    if (push) mem[wp] <= push_data;\n  end\n"
      "  always @(posedge clk) begin\n    if (rst) begin\n      wp <= 0;\n      rp <= 0;\n"
      "      count <= 0;\n    end else begin\n"
      "      if (push) wp <= wp == DEPTH - 1 ? 0 : wp + 1'b1;\n"
      "      if (pop) rp <= rp == DEPTH - 1 ? 0 : rp + 1'b1;\n"
      "      if (push != pop) count <= push ? count + 1'b1 : count - 1'b1;\n    end\n  end\n"
      "endmodule\n",
      fifo);
}

std::string stream_process_text(const StreamLayer& l, const std::string& fifo) {
  const int out_bits = static_cast<int>(l.out_channels * l.out_type.width);
  const std::size_t n_in = l.inputs.size(), n_out = l.outputs.size();
  std::string t = fmt::format(
      "// {} {} as a streaming process: {} input beats and {} output beats a sample, written\n"
      "// {} cycles after the write decision into one FIFO per reader:",
      l.clone ? "The clone of input" : "Layer", l.node->name, l.reads.in_beats, l.reads.out_beats,
      l.latency);
  for (std::size_t j = 0; j < n_out; ++j) {
    t += fmt::format("{} {} beats to {}", j == 0 ? "" : ",", l.outputs[j].depth,
                     l.outputs[j].reader);
  }
  t += ".\n";
  t += fmt::format("module {} (\n  input wire clk,\n  input wire rst", l.process);
  for (std::size_t k = 0; k < n_in; ++k) {
    const std::string in = stream_port("in", k, n_in);
    t += fmt::format(
        ",\n  input wire {0}_valid,\n  output wire {0}_ready,\n  input wire [{1}:0] {0}_data", in,
        l.inputs[k].channels * l.inputs[k].type.width - 1);
  }
  for (std::size_t j = 0; j < n_out; ++j) {
    const std::string out = stream_port("out", j, n_out);
    t += fmt::format(
        ",\n  output wire {0}_valid,\n  input wire {0}_ready,\n  output wire [{1}:0] {0}_data", out,
        out_bits - 1);
  }
  t += "\n);\n";
  std::string full;
  for (std::size_t j = 0; j < n_out; ++j) {
    t += fmt::format("  wire full{};\n", j);
    full += fmt::format("{}full{}", j == 0 ? "" : " | ", j);
  }
  t += fmt::format(
      "  wire fifo_full = {1};\n  reg [{0}:0] valid_pipe;\n"
      "  // The whole layer holds while a beat waits at a full FIFO (a fan-out: at any of them).\n"
      "  wire ce = ~(valid_pipe[{0}] & fifo_full);\n",
      l.latency - 1, full);
  std::vector<std::string> pixel_in;
  if (n_in > 1) {
    t += join_controller(l);
    for (std::size_t k = 0; k < n_in; ++k) pixel_in.push_back(fmt::format("x{}", k));
  } else if (l.reads.per_position) {
    t += "  assign in_ready = ce;\n  wire wr = in_valid & ce;\n";
    pixel_in.push_back("in_data");
  } else {
    t += window_controller(l, static_cast<int>(l.in_channels * l.in_type.width));
    pixel_in.push_back("window_q");
  }
  t += "  always @(posedge clk) begin\n    if (rst) valid_pipe <= 0;\n";
  t += l.latency == 1 ? "    else if (ce) valid_pipe <= wr;\n"
                      : fmt::format("    else if (ce) valid_pipe <= {{valid_pipe[{}:0], wr}};\n",
                                    l.latency - 2);
  t += "  end\n";
  t += fmt::format("  wire [{}:0] y;\n", out_bits - 1);
  t += fmt::format("  {} pixel (\n    .clk(clk),\n{}    .ce(ce),\n", l.module,
                   l.fold ? "    .rst(rst),\n    .start(wr),\n    .free(fold_free),\n" : "");
  for (std::size_t k = 0; k < pixel_in.size(); ++k) {
    t += fmt::format("    .in_data{}({}),\n", k, pixel_in[k]);
  }
  t += "    .out_data(y)\n  );\n";
  for (std::size_t j = 0; j < n_out; ++j) {
    const std::int64_t depth = l.outputs[j].depth;
    const std::string out = stream_port("out", j, n_out);
    t += fmt::format(
        "  {} #(\n    .WIDTH({}),\n    .DEPTH({}),\n    .ADDR_BITS({}),\n    .COUNT_BITS({})\n"
        "  ) out_fifo{} (\n    .clk(clk),\n    .rst(rst),\n    .push(valid_pipe[{}] & "
        "~fifo_full),\n"
        "    .full(full{}),\n    .push_data(y),\n    .out_valid({}_valid),\n"
        "    .out_ready({}_ready),\n    .out_data({}_data)\n  );\n",
        fifo, out_bits, depth, bits_for(depth - 1), bits_for(depth), j, l.latency - 1, j, out, out,
        out);
  }
  return t + "endmodule\n";
}

std::string stream_top_text(const StreamDesign& d, const std::string& top) {
  std::string t = fmt::format(
      "// The streaming top: one beat (a position's channels, raster order) per handshake; a\n"
      "// sample is {} input beats and {} output beats (nnfpga/rtl.json). Stream s<k>_<j> is "
      "layer\n"
      "// k's FIFO j, read by one layer.\n"
      "module {} (\n{});\n",
      d.in_beats, d.out_beats, top, port_list(d.in_beat_bits, d.out_beat_bits));
  auto stream = [&](std::size_t k, std::size_t j) {
    return d.layers[k].outputs[j].reader == "<output>" ? std::string("out")
                                                       : fmt::format("s{}_{}", k, j);
  };
  for (std::size_t k = 0; k < d.layers.size(); ++k) {
    const StreamLayer& l = d.layers[k];
    for (std::size_t j = 0; j < l.outputs.size(); ++j) {
      if (stream(k, j) == "out") continue;
      t += fmt::format("  wire {0}_valid, {0}_ready;\n  wire [{1}:0] {0}_data;\n", stream(k, j),
                       l.out_channels * l.out_type.width - 1);
    }
  }
  for (std::size_t k = 0; k < d.layers.size(); ++k) {
    const StreamLayer& l = d.layers[k];
    t += fmt::format("  {} u{} (\n    .clk(clk),\n    .rst(rst)", l.process, k);
    auto connect = [&](const std::string& port, const std::string& wire) {
      t += fmt::format(
          ",\n    .{0}_valid({1}_valid),\n    .{0}_ready({1}_ready),\n"
          "    .{0}_data({1}_data)",
          port, wire);
    };
    for (std::size_t i = 0; i < l.inputs.size(); ++i) {
      const StreamSource& src = l.inputs[i];
      connect(stream_port("in", i, l.inputs.size()),
              src.layer == StreamSource::kInputPort ? std::string("in")
                                                    : stream(static_cast<std::size_t>(src.layer),
                                                             static_cast<std::size_t>(src.output)));
    }
    for (std::size_t j = 0; j < l.outputs.size(); ++j) {
      connect(stream_port("out", j, l.outputs.size()), stream(k, j));
    }
    t += "\n  );\n";
  }
  return t + "endmodule\n";
}

std::string stream_axis_text(const StreamDesign& d, const std::string& top) {
  return fmt::format(
      "// AXI-stream wrapper of {0}: s_axis carries input beats, m_axis output beats.\n"
      "module {0}_axis (\n  input wire clk,\n  input wire rst,\n"
      "  input wire [{1}:0] s_axis_tdata,\n  input wire s_axis_tvalid,\n"
      "  output wire s_axis_tready,\n  output wire [{2}:0] m_axis_tdata,\n"
      "  output wire m_axis_tvalid,\n  input wire m_axis_tready\n);\n"
      "  {0} core (\n    .clk(clk),\n    .rst(rst),\n    .in_valid(s_axis_tvalid),\n"
      "    .in_ready(s_axis_tready),\n    .in_data(s_axis_tdata),\n"
      "    .out_valid(m_axis_tvalid),\n    .out_ready(m_axis_tready),\n"
      "    .out_data(m_axis_tdata)\n  );\nendmodule\n",
      top, d.in_beat_bits - 1, d.out_beat_bits - 1);
}

}  // namespace nnfpga::backend::verilog
