#include "deploy/deploy_report.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "deploy/deploy_facts.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::deploy {
namespace {

namespace fs = std::filesystem;

std::string dash_or_count(const std::optional<long long>& v) {
  return v ? std::to_string(*v) : "-";
}

std::string estimate_value(const nlohmann::json& e, const char* key) {
  return e.contains(key) && e[key].is_number() ? std::to_string(e[key].get<long long>()) : "-";
}

nlohmann::json read_estimate(const std::string& dir) {
  std::ifstream in(fs::path(dir) / kEstimateJson);
  if (!in) return nlohmann::json::object();
  std::stringstream s;
  s << in.rdbuf();
  try {
    return nlohmann::json::parse(s.str());
  } catch (const nlohmann::json::exception&) {
    return nlohmann::json::object();
  }
}

}  // namespace

DeployReports read_deploy_reports(const std::string& dir) {
  read_deploy_facts(dir);  // refuses a folder that is not one
  const fs::path reports = fs::path(dir) / kReportsDir;
  DeployReports r;
  if (fs::is_regular_file(reports / "utilization.rpt")) {
    r.design = report::read_utilization_rpt((reports / "utilization.rpt").string());
  }
  if (fs::is_regular_file(reports / "accelerator_utilization.rpt")) {
    r.accelerator =
        report::read_utilization_rpt((reports / "accelerator_utilization.rpt").string());
  }
  if (fs::is_regular_file(reports / "timing_summary.rpt")) {
    r.timing = report::read_timing_summary_rpt((reports / "timing_summary.rpt").string());
  }
  if (!r.design && !r.accelerator && !r.timing) {
    throw Error(ErrorKind::kInput, "no Vivado reports in " + reports.string() +
                                       " yet: `nnfpga build " + dir +
                                       "` writes them (it needs Vivado); the estimate is in " +
                                       (fs::path(dir) / kEstimateJson).string());
  }
  return r;
}

std::string format_deploy_reports(const std::string& dir, const DeployReports& r) {
  const DeployFacts f = read_deploy_facts(dir);
  const nlohmann::json e = read_estimate(dir);
  const char* row = "{:<28} {:>10} {:>10} {:>8} {:>8}\n";
  std::string t = fmt::format("{} on {} ({}) at {} MHz\n", f.top, f.board, f.part, f.clock_mhz);
  t += fmt::format(fmt::runtime(row), "", "LUT", "FF", "DSP", "BRAM18");
  t += fmt::format(fmt::runtime(row), "estimate (accelerator core)", estimate_value(e, "lut"),
                   estimate_value(e, "ff"), estimate_value(e, "dsp"), estimate_value(e, "bram18"));
  const auto line = [&](const char* what, const std::optional<report::UtilizationReport>& u) {
    if (!u) return fmt::format("{:<28} (no report)\n", what);
    return fmt::format(fmt::runtime(row), what, dash_or_count(u->lut), dash_or_count(u->ff),
                       dash_or_count(u->dsp), dash_or_count(u->bram18));
  };
  t += line("Vivado: accelerator", r.accelerator);
  t += line("Vivado: whole design", r.design);
  if (r.timing) {
    const double period = 1000.0 / f.clock_mhz;
    t += fmt::format(
        "timing: WNS {:.3f} ns, WHS {:.3f} ns at {:.3f} ns ({}); the accelerator's clock could "
        "reach about {:.0f} MHz\n",
        *r.timing->wns_ns, r.timing->whs_ns.value_or(0.0), period,
        r.timing->constraints_met ? "constraints met" : "constraints NOT met",
        1000.0 / (period - *r.timing->wns_ns));
  } else {
    t += "timing: (no timing summary)\n";
  }
  t += fmt::format(
      "latency {} cycles = {:.1f} ns at {} MHz (estimate; the board's LAST_CYCLES "
      "register adds the beats in and out)\n",
      f.latency_cycles, static_cast<double>(f.latency_cycles) * 1000.0 / f.clock_mhz, f.clock_mhz);
  return t;
}

}  // namespace nnfpga::deploy
