// Readers for the reports the vendor tools write when a user builds a generated project:
// Vivado/Vitis HLS C synthesis (csynth.xml, or the .rpt text when there is no XML) and the Vivado
// utilization report (report_utilization). They give latency, interval and resources to set
// beside nnfpga's estimate (`nnfpga report`).
#pragma once

#include <optional>
#include <string>

namespace nnfpga::report {

struct HlsReport {
  std::string source;  // the file read
  std::string tool_version, part, top;
  double target_clock_ns = 0;
  std::optional<double> estimated_clock_ns;
  std::optional<long long> latency_min, latency_max;  // cycles
  std::optional<long long> interval_min, interval_max;
  std::optional<long long> bram18, dsp, ff, lut, uram;
};

struct UtilizationReport {
  std::string source;
  std::string device;
  std::optional<long long> lut, ff, dsp, bram18;  // BRAM as 18 Kb blocks (a tile is two)
};

// Vivado's report_timing_summary: the Design Timing Summary table's worst slacks.
struct TimingSummary {
  std::string source;
  std::optional<double> wns_ns, tns_ns;  // setup: worst and total negative slack
  std::optional<double> whs_ns, ths_ns;  // hold
  bool constraints_met = false;          // "All user specified timing constraints are met."
};

// Throw nnfpga::Error (kInput) naming the file when it cannot be read or is not such a report.
HlsReport read_csynth_xml(const std::string& path);
HlsReport read_csynth_rpt(const std::string& path);
UtilizationReport read_utilization_rpt(const std::string& path);
TimingSummary read_timing_summary_rpt(const std::string& path);

}  // namespace nnfpga::report
