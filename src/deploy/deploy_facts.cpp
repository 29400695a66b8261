// deploy.json, written and read.
#include "deploy/deploy_facts.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "deploy/board_wrapper.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::deploy {
namespace {

// The order of a streaming design's pixels, as deploy.json states it (docs/board.md).
constexpr const char* kPixelOrder = "raster, channels last";

nlohmann::ordered_json deploy_stream_json(const StreamFacts& s, bool stream) {
  const fixed::FixedType& t = s.packing.type;
  nlohmann::ordered_json j;
  j["name"] = s.name;
  j["shape"] = s.shape;
  j["count"] = s.packing.count;
  j["type"] = fixed::to_string(t);
  j["width"] = t.width;
  j["signed"] = t.is_signed;
  j["frac_bits"] = t.frac();
  j["rounding"] = std::string(fixed::to_string(t.quant));
  j["overflow"] = std::string(fixed::to_string(t.overflow));
  j["lane_bits"] = s.packing.lane_bits;
  j["beat_bits"] = s.packing.beat_bits;
  j["elements_per_beat"] = s.packing.elements_per_beat;
  j["beats_per_sample"] = s.packing.beats_per_sample;
  if (stream) {
    j["pixels"] = s.pixels;
    j["elements_per_pixel"] = s.packing.count / std::max<std::int64_t>(1, s.pixels);
    j["pixel_order"] = kPixelOrder;
  }
  return j;
}

StreamFacts deploy_stream_from(const nlohmann::json& j) {
  StreamFacts s;
  s.name = j.at("name").get<std::string>();
  s.shape = j.at("shape").get<std::vector<std::int64_t>>();
  s.packing.count = j.at("count").get<std::int64_t>();
  s.packing.type = fixed::parse_type(j.at("type").get<std::string>());
  s.packing.lane_bits = j.at("lane_bits").get<int>();
  s.packing.beat_bits = j.at("beat_bits").get<int>();
  s.packing.elements_per_beat = j.at("elements_per_beat").get<int>();
  s.packing.beats_per_sample = j.at("beats_per_sample").get<std::int64_t>();
  s.pixels = j.value("pixels", std::int64_t{1});
  return s;
}

}  // namespace

std::string deploy_json(const DeployFacts& f) {
  nlohmann::ordered_json j;
  j["format"] = "nnfpga-deploy";
  j["version"] = 1;
  j["board"] = f.board;
  j["part"] = f.part;
  j["clock_mhz"] = f.clock_mhz;
  j["backend"] = f.backend;
  j["top"] = f.top;
  j["model_sha256"] = f.model_sha256;
  j["latency_cycles"] = f.latency_cycles;
  j["interval_cycles"] = f.interval_cycles;
  if (f.stream) j["io"] = "stream";
  j["input"] = deploy_stream_json(f.input, f.stream);
  j["output"] = deploy_stream_json(f.output, f.stream);
  nlohmann::ordered_json registers;
  for (const RegisterInfo& r : kRegisters) registers[r.key] = r.address;
  j["control"] = {{"ip", kControlCell}, {"registers", registers}, {"id_value", kIdValue}};
  j["dma"] = {{"ip", kDmaCell},
              {"mm2s_width", f.input.packing.beat_bits},
              {"s2mm_width", f.output.packing.beat_bits}};
  j["overlay"] = {{"bit", kOverlayBit}, {"hwh", kOverlayHwh}};
  return j.dump(1) + "\n";
}

bool is_deploy_folder(const std::string& dir) {
  return std::filesystem::is_regular_file(std::filesystem::path(dir) / kDeployJson);
}

DeployFacts read_deploy_facts(const std::string& dir) {
  const std::filesystem::path path = std::filesystem::path(dir) / kDeployJson;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::kInput, dir +
                                       " is not a deployment folder written by nnfpga convert "
                                       "--board (deploy.json is missing)");
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    const nlohmann::json j = nlohmann::json::parse(text.str());
    if (j.at("format") != "nnfpga-deploy" || j.at("version") != 1) {
      throw Error(ErrorKind::kInput,
                  "deploy.json is not an nnfpga-deploy file of version 1 (format " +
                      j.at("format").dump() + ", version " + j.at("version").dump() + ")",
                  {.file = path.string()});
    }
    DeployFacts f;
    f.board = j.at("board").get<std::string>();
    f.part = j.at("part").get<std::string>();
    f.clock_mhz = j.at("clock_mhz").get<double>();
    f.backend = j.at("backend").get<std::string>();
    f.top = j.at("top").get<std::string>();
    f.model_sha256 = j.at("model_sha256").get<std::string>();
    f.latency_cycles = j.at("latency_cycles").get<std::int64_t>();
    f.interval_cycles = j.at("interval_cycles").get<std::int64_t>();
    f.stream = j.value("io", std::string("parallel")) == "stream";
    f.input = deploy_stream_from(j.at("input"));
    f.output = deploy_stream_from(j.at("output"));
    return f;
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kInput, std::string("bad deploy.json: ") + e.what(),
                {.file = path.string()});
  }
}

}  // namespace nnfpga::deploy
