// Vivado's report_timing_summary text (UG906, "Report Timing Summary"): the row of numbers under
// the Design Timing Summary's header, whose columns start WNS(ns), TNS(ns), TNS Failing Endpoints,
// TNS Total Endpoints, WHS(ns), THS(ns).
#include <sstream>

#include "nnfpga/error.hpp"
#include "report/report_text.hpp"
#include "report/vendor_report.hpp"

namespace nnfpga::report {

TimingSummary read_timing_summary_rpt(const std::string& path) {
  const std::string text = read_report_file(path);
  const std::size_t section = text.find("Design Timing Summary");
  if (section == std::string::npos) {
    throw Error(ErrorKind::kInput,
                "not a Vivado timing summary (no \"Design Timing Summary\"): write it with "
                "report_timing_summary",
                {.file = path});
  }
  TimingSummary t;
  t.source = path;
  t.constraints_met =
      text.find("All user specified timing constraints are met.") != std::string::npos;
  std::istringstream lines(text.substr(section));
  std::string line;
  bool header = false;
  while (std::getline(lines, line)) {
    if (!header) {
      header = line.find("WNS(ns)") != std::string::npos;
      continue;
    }
    if (line.find_first_not_of(" -\t\r") == std::string::npos) continue;  // rule or blank
    std::istringstream cells(line);
    std::vector<std::string> v;
    for (std::string c; cells >> c;) v.push_back(c);
    if (v.size() < 6) break;
    t.wns_ns = optional_number(v[0]);
    t.tns_ns = optional_number(v[1]);
    t.whs_ns = optional_number(v[4]);
    t.ths_ns = optional_number(v[5]);
    break;
  }
  if (!t.wns_ns) {
    throw Error(ErrorKind::kInput, "the timing summary has no WNS value under its header",
                {.file = path});
  }
  return t;
}

}  // namespace nnfpga::report
