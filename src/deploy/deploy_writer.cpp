// write_deploy: the Verilog backend's project under ip/, the board wrapper beside it, the Vivado
// Tcl, the driver, and the facts. The wrapper and deploy.json are made from the project's own
// facts (rtl.json) and its model.json as written, so that they describe exactly the RTL there.
#include "deploy/deploy_writer.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "backend/project_files.hpp"
#include "backend/verilog/project.hpp"
#include "deploy/board_wrapper.hpp"
#include "deploy/deploy_report.hpp"
#include "deploy/embedded_boardlib.hpp"
#include "deploy/folder_readme.hpp"
#include "deploy/sha256.hpp"
#include "deploy/vivado_settings.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::deploy {
namespace {

namespace fs = std::filesystem;

void check_deploy_backend(const std::string& backend) {
  if (backend == "verilog" || backend == "rtl") return;
  if (backend == "vitis" || backend == "hls") {
    throw Error(ErrorKind::kUnsupported,
                "--board with --backend " + backend +
                    " is not built yet: the board wrapper streams samples into the Verilog "
                    "backend's <top>_axis; use --backend verilog (the default)");
  }
  throw Error(ErrorKind::kUnsupported, "--board takes --backend verilog (the default); '" +
                                           backend +
                                           "' is not a backend "
                                           "the deployment package wraps");
}

void check_single_streams(const ir::Graph& graph) {
  if (graph.inputs.size() != 1 || graph.outputs.size() != 1) {
    throw Error(ErrorKind::kUnsupported,
                fmt::format("the board package streams one input and one output tensor; this "
                            "model has {} inputs and {} outputs (several streams are not built "
                            "yet)",
                            graph.inputs.size(), graph.outputs.size()));
  }
}

std::string read_bytes_to_hash(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kInput, "cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

StreamFacts deploy_stream_facts(const ir::Graph& graph, const std::string& node,
                                const backend::verilog::PortFacts& port, int beat_bits) {
  StreamFacts s;
  s.name = node;
  s.shape = graph.at(node).output_shape;
  // A streaming design's port is one pixel of `count` elements, `beats` pixels per sample.
  std::int64_t elements = 0;
  if (__builtin_mul_overflow(port.count, port.beats, &elements)) {
    throw Error(
        ErrorKind::kInput,
        fmt::format("tensor '{}': {} pixels of {} elements overflow", node, port.beats, port.count),
        {.node = node});
  }
  s.packing = pack_stream(node, elements, fixed::parse_type(port.type), beat_bits);
  s.pixels = port.beats;
  return s;
}

// The accelerator's RTL in the order Vivado reads it: the Verilog project's files, then the
// wrapper. A parallel design's plain top (<top>.v) is left out: its <top>_axis wraps <top>_core,
// while a streaming design's <top>_axis wraps <top> itself.
std::vector<std::string> rtl_for_vivado(const backend::verilog::Project& p,
                                        const std::string& wrapper_file) {
  std::vector<std::string> files;
  for (const std::string& f : p.rtl) {
    if (p.io == "stream" || f != "rtl/" + p.top + ".v") files.push_back("ip/" + f);
  }
  files.push_back(wrapper_file);
  return files;
}

// What `nnfpga report` sets Vivado's numbers beside: the accelerator's estimate.
std::string estimate_json(const backend::EstimateReport& e) {
  nlohmann::ordered_json j;
  j["clock_period_ns"] = e.clock_period_ns;
  j["latency_cycles"] = e.latency_cycles;
  j["interval_cycles"] = e.interval_cycles;
  j["lut"] = e.lut;
  if (e.json.contains("ff")) j["ff"] = e.json["ff"];
  j["dsp"] = e.dsp;
  j["bram18"] = e.bram18;
  j["detail"] = e.json;
  return j.dump(1) + "\n";
}

}  // namespace

DeployFolder write_deploy(const ir::Graph& source, const std::string& dir, const DeployOptions& o) {
  check_deploy_backend(o.backend);
  check_single_streams(source);
  ir::Graph graph = source;
  graph.settings.part = o.board.part;
  graph.settings.clock_period_ns = 1000.0 / o.board.clock_mhz;
  const backend::Backend& verilog = backend::find_backend("verilog");
  verilog.check(graph);

  const fs::path root(dir);
  const backend::WrittenProject written =
      verilog.write(graph, (root / "ip").string(), {.top = o.top});
  const backend::verilog::Project p = backend::verilog::read_project((root / "ip").string());

  DeployFolder d;
  d.dir = dir;
  d.estimate = written.estimate;
  DeployFacts& f = d.facts;
  f.board = o.board.name;
  f.part = o.board.part;
  f.clock_mhz = o.board.clock_mhz;
  f.backend = "verilog";
  f.top = p.top;
  f.model_sha256 = sha256_hex(read_bytes_to_hash(root / "ip" / backend::verilog::kModelJson));
  f.latency_cycles = p.latency_cycles;
  f.interval_cycles = written.estimate.interval_cycles;
  f.stream = p.io == "stream";
  f.input = deploy_stream_facts(graph, graph.inputs.front(), p.inputs, o.beat_bits);
  f.output = deploy_stream_facts(graph, graph.outputs.front(), p.outputs, o.beat_bits);

  backend::ProjectFiles files(dir);
  const std::string wrapper_file = "ip/rtl/" + p.top + "_board.v";
  files.write(wrapper_file, board_wrapper_text({.top = p.top,
                                                .input = f.input.packing,
                                                .output = f.output.packing,
                                                .latency_cycles = p.latency_cycles,
                                                .model_sha256 = f.model_sha256,
                                                .stream = f.stream,
                                                .in_pixels = f.input.pixels,
                                                .out_pixels = f.output.pixels,
                                                .interval_cycles = p.interval_cycles}));
  files.write("vivado/settings.tcl",
              vivado_settings_tcl(o.board, f, rtl_for_vivado(p, wrapper_file)));
  for (const EmbeddedFile& e : embedded_boardlib()) {
    if (e.path == "README.md") continue;  // boardlib's own, about the source tree
    files.write(e.path, e.content);
  }
  files.write(kDeployJson, deploy_json(f));
  files.write(kEstimateJson, estimate_json(written.estimate));
  files.write("README.md", folder_readme(o.board, f));
  std::error_code ec;
  fs::create_directories(root / "overlay", ec);
  if (ec) throw Error(ErrorKind::kInput, "cannot create " + (root / "overlay").string());

  for (const std::string& w : written.files) d.files.push_back("ip/" + w);
  for (const std::string& w : files.written()) d.files.push_back(w);
  d.summary = fmt::format(
      "wrote deployment folder {} for {} ({}, {} MHz): accelerator {}_board, {}-bit streams, "
      "{} beats in and {} beats out per sample\n"
      "next: nnfpga build {}   (runs Vivado: the bitstream into {}/overlay/)\n",
      dir, o.board.name, o.board.part, o.board.clock_mhz, p.top, o.beat_bits,
      f.input.packing.beats_per_sample, f.output.packing.beats_per_sample, dir, dir);
  if (f.stream) {
    d.summary += fmt::format(
        "a streaming design: the wrapper cuts the beats into {} pixels in and gathers {} out per "
        "sample; a sample every {} cycles\n",
        f.input.pixels, f.output.pixels, p.interval_cycles);
  }
  return d;
}

}  // namespace nnfpga::deploy
