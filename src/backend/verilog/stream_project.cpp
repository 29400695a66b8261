// write_stream_project: the files of a streaming design (docs/verilog.md, "Streaming CNNs"):
//   rtl/<top>_<layer>.v         each layer's per-pixel function (clk, ce, in_data0, out_data)
//   rtl/<top>_stream_fifo.v     the FIFO module every process instantiates
//   rtl/<top>_<layer>_stream.v  each layer's process: controller, line buffer, window, FIFO
//   rtl/<top>.v                 the processes wired, with the stream contract's ports
//   rtl/<top>_axis.v            the AXI-stream wrapper <top>_axis
//   nnfpga/model.json, nnfpga/rtl.json (with io "stream", beats, interval_cycles, fifos)
#include <fmt/format.h>

#include "backend/project_files.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/project_facts.hpp"
#include "backend/verilog/stream_build.hpp"
#include "backend/verilog/stream_fold.hpp"
#include "backend/verilog/stream_text.hpp"
#include "ir/json_io.hpp"

namespace nnfpga::backend::verilog {

Project write_stream_project(const ir::Graph& graph, const std::string& dir,
                             const std::string& top) {
  IdentifierTable ids;
  ids.take(top);
  ids.take(top + "_axis");
  const std::string fifo = ids.take(top + "_stream_fifo");
  const StreamDesign d = build_stream(graph, top, ids);
  ProjectFiles files(dir);
  Project p;
  p.estimate = count_stream(graph, d);
  p.dir = dir;
  p.top = top;
  p.io = "stream";
  p.latency_cycles = static_cast<int>(d.latency);
  p.interval_cycles = d.schedule.interval;
  p.clock_period_ns = graph.settings.clock_period_ns;
  p.inputs = {d.in_channels, d.in_type.width, d.in_type.is_signed, fixed::to_string(d.in_type),
              d.in_beats};
  p.outputs = {d.out_channels, d.out_type.width, d.out_type.is_signed, fixed::to_string(d.out_type),
               d.out_beats};
  auto write = [&](const std::string& module, const std::string& text) {
    p.rtl.push_back("rtl/" + module + ".v");
    files.write(p.rtl.back(), text);
  };
  for (const StreamLayer& l : d.layers) {
    write(l.module, l.fold ? folded_product_text(*l.fold) : l.pixel.module_text(l.module, false));
  }
  write(fifo, stream_fifo_text(fifo));
  for (const StreamLayer& l : d.layers) {
    write(l.process, stream_process_text(l, fifo));
    for (const StreamOutput& o : l.outputs) p.fifos.push_back({o.name, o.depth});
  }
  write(top, stream_top_text(d, top));
  write(top + "_axis", stream_axis_text(d, top));
  files.write(kModelJson, ir::to_json(graph).dump(1) + "\n");
  files.write(kRtlJson, facts_json(p));
  p.files = files.written();
  return p;
}

}  // namespace nnfpga::backend::verilog
