// The text csynth report (<top>_csynth.rpt), for projects that kept only it: the timing and
// latency summary tables and the "Total" row of the utilization summary.
#include <sstream>
#include <vector>

#include "nnfpga/error.hpp"
#include "report/report_text.hpp"
#include "report/vendor_report.hpp"

namespace nnfpga::report {
namespace {

std::string after_colon(const std::string& line) {
  const auto at = line.find(':');
  if (at == std::string::npos) return "";
  const auto begin = line.find_first_not_of(' ', at + 1);
  return begin == std::string::npos ? "" : line.substr(begin);
}

}  // namespace

HlsReport read_csynth_rpt(const std::string& path) {
  const std::string text = read_report_file(path);
  if (text.find("Report for '") == std::string::npos) {
    throw Error(ErrorKind::kInput, "not an HLS csynth report (no \"Report for '...'\" title)",
                {.file = path});
  }
  HlsReport r;
  r.source = path;
  std::istringstream lines(text);
  std::string line;
  enum class Section { kNone, kTiming, kLatency, kUtilization } section = Section::kNone;
  std::vector<std::string> utilization_header;
  while (std::getline(lines, line)) {
    if (line.find("Report for '") != std::string::npos) {
      const auto a = line.find('\'');
      r.top = line.substr(a + 1, line.rfind('\'') - a - 1);
    } else if (line.find("* Version:") != std::string::npos) {
      const std::string v = after_colon(line);
      r.tool_version = v.substr(0, v.find(' '));
    } else if (line.find("* Target device:") != std::string::npos) {
      r.part = after_colon(line);
    } else if (line.find("+ Timing:") != std::string::npos) {
      section = Section::kTiming;
    } else if (line.find("+ Latency:") != std::string::npos) {
      section = Section::kLatency;
    } else if (line.find("== Utilization Estimates") != std::string::npos) {
      section = Section::kUtilization;
    }
    const std::vector<std::string> cells = table_cells(line);
    if (cells.empty()) continue;
    if (section == Section::kTiming && cells.size() >= 3 && cells[0] == "ap_clk") {
      r.target_clock_ns = number_or(cells[1], 0);
      r.estimated_clock_ns = optional_number(cells[2]);
      section = Section::kNone;
    } else if (section == Section::kLatency && cells.size() >= 6 && optional_integer(cells[0])) {
      r.latency_min = optional_integer(cells[0]);
      r.latency_max = optional_integer(cells[1]);
      r.interval_min = optional_integer(cells[4]);
      r.interval_max = optional_integer(cells[5]);
      section = Section::kNone;
    } else if (section == Section::kUtilization) {
      if (cells[0] == "Name") utilization_header = cells;
      if (cells[0] == "Total" && !utilization_header.empty()) {
        for (std::size_t k = 1; k < cells.size() && k < utilization_header.size(); ++k) {
          const std::string& name = utilization_header[k];
          const auto v = optional_integer(cells[k]);
          if (name == "BRAM_18K") r.bram18 = v;
          if (name == "DSP48E" || name == "DSP") r.dsp = v;
          if (name == "FF") r.ff = v;
          if (name == "LUT") r.lut = v;
          if (name == "URAM") r.uram = v;
        }
        section = Section::kNone;
      }
    }
  }
  if (!r.latency_max && !r.lut) {
    throw Error(ErrorKind::kInput, "the HLS report holds neither latency nor resources",
                {.file = path});
  }
  return r;
}

}  // namespace nnfpga::report
