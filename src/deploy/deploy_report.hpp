// `nnfpga report DEPLOY`: the reports the Vivado build wrote (vivado/reports/: the whole
// design's and the accelerator's utilization, the timing summary) beside the estimate that
// convert wrote (estimate.json).
#pragma once

#include <optional>
#include <string>

#include "report/vendor_report.hpp"

namespace nnfpga::deploy {

inline constexpr const char* kReportsDir = "vivado/reports";
inline constexpr const char* kEstimateJson = "estimate.json";

struct DeployReports {
  std::optional<report::UtilizationReport> design;       // utilization.rpt
  std::optional<report::UtilizationReport> accelerator;  // accelerator_utilization.rpt
  std::optional<report::TimingSummary> timing;           // timing_summary.rpt
};

// Reads what is there. Throws nnfpga::Error (kInput) when `dir` is no deployment folder, or
// when none of the reports exists yet (saying that `nnfpga build` makes them, with Vivado).
DeployReports read_deploy_reports(const std::string& dir);

// The comparison table: estimate, the accelerator's and the whole design's utilization, and the
// timing at the folder's clock.
std::string format_deploy_reports(const std::string& dir, const DeployReports& reports);

}  // namespace nnfpga::deploy
