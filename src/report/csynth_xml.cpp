// csynth.xml, as Vivado HLS 2020.1 and Vitis HLS write it: <profile> with <UserAssignments>,
// <PerformanceEstimates> and <AreaEstimates>/<Resources>. Vitis names the DSP count <DSP>,
// Vivado HLS <DSP48E>; both are accepted.
#include <pugixml.hpp>

#include "nnfpga/error.hpp"
#include "report/report_text.hpp"
#include "report/vendor_report.hpp"

namespace nnfpga::report {

HlsReport read_csynth_xml(const std::string& path) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_file(path.c_str());
  if (!parsed) {
    throw Error(ErrorKind::kInput,
                "cannot read the HLS report: " + std::string(parsed.description()), {.file = path});
  }
  const pugi::xml_node profile = doc.child("profile");
  if (!profile) {
    throw Error(ErrorKind::kInput, "not an HLS csynth.xml report (no <profile> element)",
                {.file = path});
  }
  HlsReport r;
  r.source = path;
  auto text = [](const pugi::xml_node& n) { return std::string(n.child_value()); };
  r.tool_version = text(profile.child("ReportVersion").child("Version"));
  const pugi::xml_node user = profile.child("UserAssignments");
  r.part = text(user.child("Part"));
  r.top = text(user.child("TopModelName"));
  r.target_clock_ns = number_or(text(user.child("TargetClockPeriod")), 0.0);
  const pugi::xml_node perf = profile.child("PerformanceEstimates");
  r.estimated_clock_ns =
      optional_number(text(perf.child("SummaryOfTimingAnalysis").child("EstimatedClockPeriod")));
  const pugi::xml_node latency = perf.child("SummaryOfOverallLatency");
  r.latency_min = optional_integer(text(latency.child("Best-caseLatency")));
  r.latency_max = optional_integer(text(latency.child("Worst-caseLatency")));
  r.interval_min = optional_integer(text(latency.child("Interval-min")));
  r.interval_max = optional_integer(text(latency.child("Interval-max")));
  const pugi::xml_node res = profile.child("AreaEstimates").child("Resources");
  r.bram18 = optional_integer(text(res.child("BRAM_18K")));
  r.dsp = optional_integer(text(res.child("DSP48E")));
  if (!r.dsp) r.dsp = optional_integer(text(res.child("DSP")));
  r.ff = optional_integer(text(res.child("FF")));
  r.lut = optional_integer(text(res.child("LUT")));
  r.uram = optional_integer(text(res.child("URAM")));
  if (!r.latency_max && !r.lut) {
    throw Error(ErrorKind::kInput, "the HLS report holds neither latency nor resources",
                {.file = path});
  }
  return r;
}

}  // namespace nnfpga::report
