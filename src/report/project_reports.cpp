// Finding a project's reports and printing them beside the estimate.
#include "report/project_reports.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "nnfpga/error.hpp"
#include "report/report_text.hpp"

namespace nnfpga::report {
namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Files under `dir` whose name satisfies `match`, sorted so that the choice is deterministic.
template <typename Match>
std::vector<fs::path> find_files(const fs::path& dir, Match match) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && match(it->path().filename().string())) {
      found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string cell(const std::optional<long long>& v) {
  return v ? std::to_string(*v) : "-";
}

std::string range(const std::optional<long long>& lo, const std::optional<long long>& hi) {
  if (!lo && !hi) return "-";
  if (lo && hi && *lo != *hi) return std::to_string(*lo) + "-" + std::to_string(*hi);
  return cell(hi ? hi : lo);
}

}  // namespace

ProjectReports find_reports(const std::string& project_dir, const std::string& hls_path,
                            const std::string& vivado_path) {
  const fs::path dir(project_dir);
  if (!fs::is_directory(dir)) {
    throw Error(ErrorKind::kInput, "not a directory", {.file = project_dir});
  }
  ProjectReports r;
  std::string hls = hls_path;
  if (hls.empty()) {
    auto xml = find_files(dir, [](const std::string& n) { return ends_with(n, "_csynth.xml"); });
    auto rpt = find_files(dir, [](const std::string& n) { return ends_with(n, "_csynth.rpt"); });
    if (!xml.empty()) hls = xml.front().string();
    if (hls.empty() && !rpt.empty()) hls = rpt.front().string();
  }
  if (!hls.empty()) {
    r.hls = ends_with(hls, ".xml") ? read_csynth_xml(hls) : read_csynth_rpt(hls);
  }
  std::string vivado = vivado_path;
  if (vivado.empty()) {
    auto found = find_files(dir, [](const std::string& n) {
      return n == "vivado_synth.rpt" ||
             (n.find("utilization") != std::string::npos && ends_with(n, ".rpt"));
    });
    if (!found.empty()) vivado = found.front().string();
  }
  if (!vivado.empty()) r.vivado = read_utilization_rpt(vivado);
  if (!r.hls && !r.vivado) {
    throw Error(ErrorKind::kInput,
                "no vendor reports found under " + project_dir +
                    ": run `vitis_hls -f build_prj.tcl -tclargs \"synth=1\"` (or vivado_hls) there "
                    "first, or pass --hls FILE / --vivado FILE");
  }
  if (fs::exists(dir / "estimate.json"))
    r.estimate_json = read_report_file((dir / "estimate.json").string());
  return r;
}

std::string format_comparison(const ProjectReports& r) {
  std::optional<long long> e_latency, e_interval, e_dsp, e_lut, e_bram;
  double e_clock = 0;
  if (r.estimate_json) {
    try {
      const nlohmann::json e = nlohmann::json::parse(*r.estimate_json);
      const nlohmann::json& t = e.at("total");
      e_latency = t.at("latency_cycles").get<long long>();
      e_interval = t.at("interval").get<long long>();
      e_dsp = t.at("dsp").get<long long>();
      e_lut = t.at("lut").get<long long>();
      e_bram = t.at("bram18").get<long long>();
      e_clock = e.at("clock_period_ns").get<double>();
    } catch (const nlohmann::json::exception& ex) {
      throw Error(ErrorKind::kInput, std::string("bad estimate.json: ") + ex.what());
    }
  }
  std::string out;
  char line[200];
  if (r.hls) {
    out += "HLS C synthesis: " + r.hls->source + " (" + r.hls->tool_version + ", " + r.hls->part +
           ", top " + r.hls->top + ")\n";
  }
  if (r.vivado) out += "Vivado synthesis: " + r.vivado->source + " (" + r.vivado->device + ")\n";
  std::snprintf(line, sizeof line, "%-20s %12s %14s %16s\n", "", "estimate", "HLS csynth",
                "Vivado synth");
  out += line;
  auto row = [&](const char* what, const std::string& e, const std::string& h,
                 const std::string& v) {
    std::snprintf(line, sizeof line, "%-20s %12s %14s %16s\n", what, e.c_str(), h.c_str(),
                  v.c_str());
    out += line;
  };
  const HlsReport h = r.hls.value_or(HlsReport{});
  const UtilizationReport v = r.vivado.value_or(UtilizationReport{});
  row("latency (cycles)", cell(e_latency), range(h.latency_min, h.latency_max), "-");
  row("interval (cycles)", cell(e_interval), range(h.interval_min, h.interval_max), "-");
  row("DSP", cell(e_dsp), cell(h.dsp), cell(v.dsp));
  row("LUT", cell(e_lut), cell(h.lut), cell(v.lut));
  row("FF", "-", cell(h.ff), cell(v.ff));
  row("BRAM18", cell(e_bram), cell(h.bram18), cell(v.bram18));
  char clock[64] = "-";
  if (r.hls) {
    std::snprintf(clock, sizeof clock, "%g (est. %g)", h.target_clock_ns,
                  h.estimated_clock_ns.value_or(0));
  }
  char e_clock_text[32] = "-";
  if (r.estimate_json) std::snprintf(e_clock_text, sizeof e_clock_text, "%g", e_clock);
  row("clock (ns)", e_clock_text, clock, "-");
  if (!r.estimate_json) out += "(no estimate.json in the project: run nnfpga convert to get one)\n";
  return out;
}

}  // namespace nnfpga::report
