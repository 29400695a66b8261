// The vendor report readers on real reports written by Vivado HLS 2020.1 and Vivado 2020.1
// (tests/fixtures/reports/), and their errors on files that are not such reports.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "nnfpga/error.hpp"
#include "report/project_reports.hpp"
#include "report/vendor_report.hpp"

namespace nnfpga::report {
namespace {

const std::string kDir = std::string(NNFPGA_FIXTURES_DIR) + "/reports/vivado-hls-2020.1/";

void expect_hls_2020_1(const HlsReport& r) {
  EXPECT_EQ(r.top, "myproject");
  EXPECT_EQ(r.part, "xc7z020-clg400-1");
  EXPECT_EQ(r.tool_version, "2020.1");
  EXPECT_DOUBLE_EQ(r.target_clock_ns, 5.0);
  EXPECT_DOUBLE_EQ(r.estimated_clock_ns.value(), 4.049);
  EXPECT_EQ(r.latency_min.value(), 10);
  EXPECT_EQ(r.latency_max.value(), 10);
  EXPECT_EQ(r.interval_min.value(), 8);
  EXPECT_EQ(r.interval_max.value(), 8);
  EXPECT_EQ(r.bram18.value(), 0);
  EXPECT_EQ(r.dsp.value(), 73);
  EXPECT_EQ(r.ff.value(), 7969);
  EXPECT_EQ(r.lut.value(), 2532);
  EXPECT_EQ(r.uram.value(), 0);
}

TEST(Report, ReadsTheCsynthXml) {
  expect_hls_2020_1(read_csynth_xml(kDir + "myproject_csynth.xml"));
}

TEST(Report, ReadsTheCsynthRptToTheSameNumbers) {
  expect_hls_2020_1(read_csynth_rpt(kDir + "myproject_csynth.rpt"));
}

TEST(Report, ReadsTheVivadoUtilization) {
  const UtilizationReport r = read_utilization_rpt(kDir + "vivado_synth.rpt");
  EXPECT_EQ(r.device, "7z020clg400-1");
  EXPECT_EQ(r.lut.value(), 1526);
  EXPECT_EQ(r.ff.value(), 2428);
  EXPECT_EQ(r.dsp.value(), 66);
  EXPECT_EQ(r.bram18.value(), 0);
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("nnfpga_report_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

void expect_input_error(const std::function<void()>& read, const std::string& path) {
  try {
    read();
    FAIL() << "accepted " << path;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(Report, RefusesWhatIsNotAReport) {
  const std::string truncated = write_temp("truncated.xml", "<profile><UserAssignments><Part>");
  expect_input_error([&] { read_csynth_xml(truncated); }, truncated);
  const std::string other = write_temp("other.xml", "<html><body/></html>");
  expect_input_error([&] { read_csynth_xml(other); }, other);
  const std::string text = write_temp("text.rpt", "hello\n| a | b |\n");
  expect_input_error([&] { read_csynth_rpt(text); }, text);
  expect_input_error([&] { read_utilization_rpt(text); }, text);
  const std::string missing = kDir + "no_such_file.rpt";
  expect_input_error([&] { read_utilization_rpt(missing); }, missing);
  // A real Vivado report of another kind is no timing summary.
  expect_input_error([&] { read_timing_summary_rpt(kDir + "vivado_synth.rpt"); },
                     kDir + "vivado_synth.rpt");
  expect_input_error([&] { read_timing_summary_rpt(text); }, text);
}

TEST(Report, FindsReportsInAProjectAndComparesThemWithTheEstimate) {
  const auto dir = std::filesystem::temp_directory_path() / "nnfpga_report_project";
  std::filesystem::remove_all(dir);
  const auto syn = dir / "top_prj" / "solution1" / "syn" / "report";
  std::filesystem::create_directories(syn);
  std::filesystem::copy_file(kDir + "myproject_csynth.xml", syn / "top_csynth.xml");
  std::filesystem::copy_file(kDir + "vivado_synth.rpt", dir / "vivado_synth.rpt");
  std::ofstream(dir / "estimate.json")
      << R"({"clock_period_ns": 5, "total": {"latency_cycles": 12, "interval": 1, "dsp": 80,
             "lut": 100, "bram18": 0}})";
  const ProjectReports r = find_reports(dir.string());
  ASSERT_TRUE(r.hls && r.vivado && r.estimate_json);
  const std::string table = format_comparison(r);
  EXPECT_NE(table.find("latency (cycles)               12             10"), std::string::npos)
      << table;
  EXPECT_NE(table.find("DSP                            80             73               66"),
            std::string::npos)
      << table;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  try {
    find_reports(dir.string());
    FAIL() << "an empty project gave reports";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no vendor reports found"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace nnfpga::report
