// `nnfpga report`: finds the vendor reports inside a built project and sets them beside the
// estimate that convert wrote (estimate.json).
#pragma once

#include <optional>
#include <string>

#include "report/vendor_report.hpp"

namespace nnfpga::report {

struct ProjectReports {
  std::optional<HlsReport> hls;
  std::optional<UtilizationReport> vivado;
  std::optional<std::string> estimate_json;  // the file's text, when present
};

// Explicit paths win; otherwise the project is searched: <top>_prj/solution*/syn/report/
// *_csynth.xml (or .rpt), and vivado_synth.rpt or *utilization*.rpt. Throws nnfpga::Error
// (kInput) when neither report is found, saying how to produce them.
ProjectReports find_reports(const std::string& project_dir, const std::string& hls_path = "",
                            const std::string& vivado_path = "");

// The side-by-side table: estimate, HLS C synthesis, Vivado synthesis.
std::string format_comparison(const ProjectReports& reports);

}  // namespace nnfpga::report
