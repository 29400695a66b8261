// The Yosys readers on real Yosys 0.23 output (tests/fixtures/yosys/, made by make_fixtures.ys
// from mixed.v and problems.v), and their errors on what is not such output.
#include <gtest/gtest.h>

#include <string>

#include "nnfpga/error.hpp"
#include "report/report_text.hpp"
#include "report/yosys_stat.hpp"

namespace nnfpga::report {
namespace {

const std::string kDir = std::string(NNFPGA_FIXTURES_DIR) + "/yosys/";

TEST(YosysStat, GroupsTheCellsOfARealSynthesis) {
  const YosysStat s = read_yosys_stat_json(kDir + "mixed_stat.json");
  EXPECT_EQ(s.creator.rfind("Yosys 0.23", 0), 0u) << s.creator;
  EXPECT_EQ(s.lut, 16 + 4 + 1 + 18);  // LUT2, LUT4, LUT5, LUT6
  EXPECT_EQ(s.ff, 18);
  EXPECT_EQ(s.carry, 5);
  EXPECT_EQ(s.dsp, 1);
  EXPECT_EQ(s.bram18, 1 + 2);  // one RAMB18E1 and one RAMB36E1
  EXPECT_EQ(s.muxf7, 4);
  EXPECT_EQ(s.muxf8, 0);
  EXPECT_EQ(s.latch + s.io + s.other + s.srl + s.lutram, 0);
  EXPECT_EQ(s.total, 69);
  EXPECT_EQ(s.cells.at("RAMB36E1"), 1);
}

TEST(YosysStat, EveryCellLandsInExactlyOneGroup) {
  const YosysStat s = classify_yosys_cells({{"LUT1", 1},
                                            {"INV", 2},
                                            {"LUT6_2", 3},
                                            {"FDSE", 4},
                                            {"FDCE", 5},
                                            {"FDPE", 6},
                                            {"SRLC32E", 7},
                                            {"RAM64M", 8},
                                            {"MUXF8", 9},
                                            {"LDCE", 10},
                                            {"IBUF", 11},
                                            {"XORCY", 12},
                                            {"RAMB18E1", 13}});
  EXPECT_EQ(s.lut, 6);
  EXPECT_EQ(s.ff, 15);
  EXPECT_EQ(s.srl, 7);
  EXPECT_EQ(s.lutram, 8);
  EXPECT_EQ(s.muxf8, 9);
  EXPECT_EQ(s.latch, 10);
  EXPECT_EQ(s.io, 11);
  EXPECT_EQ(s.other, 12);
  EXPECT_EQ(s.bram18, 13);
  EXPECT_EQ(s.lut + s.ff + s.srl + s.lutram + s.muxf8 + s.latch + s.io + s.other + s.bram18,
            s.total);
}

TEST(YosysStat, TakesTheOnlyModuleWithoutADesignTotal) {
  const YosysStat s = parse_yosys_stat_json(
      R"({"modules": {"\\top": {"num_cells_by_type": {"LUT3": 2, "FDRE": 1}}}})", "inline");
  EXPECT_EQ(s.lut, 2);
  EXPECT_EQ(s.ff, 1);
}

void expect_input_error(const std::string& text, const std::string& needle) {
  try {
    parse_yosys_stat_json(text, "the_source.json");
    FAIL() << "accepted " << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().file, "the_source.json");
    EXPECT_NE(e.message().find(needle), std::string::npos) << e.what();
  }
}

TEST(YosysStat, RefusesWhatIsNotAStatReport) {
  expect_input_error("{\"modules\": ", "not a Yosys");
  expect_input_error("[1, 2]", "not an object");
  expect_input_error("{\"creator\": \"x\"}", "no \"modules\"");
  expect_input_error(R"({"modules": {"a": {"num_cells_by_type": {}}, "b": {}}})",
                     "2 modules and no design total");
  expect_input_error(R"({"modules": {"a": {"num_cells": 3}}})", "num_cells_by_type");
  expect_input_error(R"({"modules": {"a": {"num_cells_by_type": {"LUT1": "x"}}}})", "not a Yosys");
  EXPECT_THROW(read_yosys_stat_json(kDir + "no_such.json"), Error);
}

TEST(YosysLtp, ReadsTheLongestPathOfARealSynthesis) {
  EXPECT_EQ(parse_yosys_ltp_length(read_report_file(kDir + "mixed_ltp.txt"), "ltp"), 6);
  EXPECT_EQ(parse_yosys_ltp_length("Longest topological path in a (length=3):\n"
                                   "Longest topological path in b (length=11):\n",
                                   "two modules"),
            11);
  EXPECT_THROW(parse_yosys_ltp_length("7. Executing LTP pass (find longest path).\n", "x"), Error);
}

TEST(YosysCheck, NamesEachProblemOfARealCheck) {
  const std::vector<YosysProblem> p =
      parse_yosys_check(read_report_file(kDir + "problems_check.txt"));
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].kind, "multiple drivers");
  EXPECT_EQ(p[1].kind, "undriven");
  EXPECT_NE(p[1].message.find("problems.\\u"), std::string::npos) << p[1].message;
  EXPECT_TRUE(
      parse_yosys_check("Checking module mac...\nFound and reported 0 problems.\n").empty());
  EXPECT_EQ(parse_yosys_check("Warning: found logic loop in module m:\n")[0].kind, "logic loop");
}

}  // namespace
}  // namespace nnfpga::report
