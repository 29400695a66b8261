// rtl.json, written and read.
#include "backend/verilog/project_facts.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

nlohmann::ordered_json port_json(const PortFacts& p) {
  nlohmann::ordered_json j;
  j["count"] = p.count;
  j["width"] = p.width;
  j["signed"] = p.is_signed;
  j["type"] = p.type;
  if (p.beats != 1) j["beats"] = p.beats;
  return j;
}

PortFacts port_from(const nlohmann::json& j) {
  return {j.at("count").get<std::int64_t>(), j.at("width").get<int>(), j.at("signed").get<bool>(),
          j.at("type").get<std::string>(), j.value("beats", std::int64_t{1})};
}

}  // namespace

std::string facts_json(const Project& project) {
  nlohmann::ordered_json j;
  j["top"] = project.top;
  j["latency_cycles"] = project.latency_cycles;
  j["clock_period_ns"] = project.clock_period_ns;
  j["files"] = project.rtl;
  j["inputs"] = port_json(project.inputs);
  j["outputs"] = port_json(project.outputs);
  if (project.io == "stream") {
    // Keys of streaming designs only, so a parallel design's rtl.json keeps its bytes.
    j["io"] = project.io;
    j["interval_cycles"] = project.interval_cycles;
    nlohmann::ordered_json fifos = nlohmann::ordered_json::array();
    for (const FifoFacts& f : project.fifos)
      fifos.push_back({{"name", f.name}, {"depth", f.depth}});
    j["fifos"] = fifos;
  }
  return j.dump(1) + "\n";
}

Project read_project(const std::string& dir) {
  const std::filesystem::path path = std::filesystem::path(dir) / kRtlJson;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::kInput, dir +
                                       " is not a Verilog project written by nnfpga convert "
                                       "--backend verilog (" +
                                       kRtlJson + " is missing)");
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    const nlohmann::json j = nlohmann::json::parse(text.str());
    Project p;
    p.dir = dir;
    p.top = j.at("top").get<std::string>();
    p.latency_cycles = j.at("latency_cycles").get<int>();
    p.clock_period_ns = j.at("clock_period_ns").get<double>();
    p.rtl = j.at("files").get<std::vector<std::string>>();
    p.inputs = port_from(j.at("inputs"));
    p.outputs = port_from(j.at("outputs"));
    p.io = j.value("io", std::string("parallel"));
    p.interval_cycles = j.value("interval_cycles", std::int64_t{1});
    if (j.contains("fifos")) {
      for (const auto& f : j.at("fifos")) {
        p.fifos.push_back({f.at("name").get<std::string>(), f.at("depth").get<std::int64_t>()});
      }
    }
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kInput, std::string("bad ") + kRtlJson + ": " + e.what(),
                {.file = path.string()});
  }
}

}  // namespace nnfpga::backend::verilog
