// rtlsynth's Yosys flow end to end on a small hand-written project laid out by the contract
// (tests/fixtures/rtl_project/tiny), and its refusals: a latch, a multiple driver, a project
// without rtl.json, a missing Yosys. Each synthesis takes a few seconds; the designs stay tiny.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "backend/verilog/yosys_synth.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

namespace fs = std::filesystem;

const fs::path kTiny = fs::path(NNFPGA_FIXTURES_DIR) / "rtl_project" / "tiny";

// A fresh copy of the tiny project, since synthesis writes into the project.
fs::path copy_of_tiny(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("nnfpga_yosys_" + name);
  fs::remove_all(dir);
  fs::copy(kTiny, dir, fs::copy_options::recursive);
  return dir;
}

TEST(YosysSynth, TheScriptIsRelativeAndFollowsTheFileOrder) {
  const RtlFacts facts = read_rtl_facts(kTiny);
  EXPECT_EQ(facts.top, "tiny");
  EXPECT_EQ(facts.latency_cycles.value(), 2);
  const std::string script = yosys_script(facts, {});
  EXPECT_NE(script.find("read_verilog -defer rtl/tiny_fc1.v\nread_verilog -defer rtl/tiny_relu1.v\n"
                        "read_verilog -defer rtl/tiny.v\n"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("synth_xilinx -family xc7 -top tiny -flatten -noiopad -noclkbuf\n"),
            std::string::npos);
  EXPECT_EQ(script.find(kTiny.string()), std::string::npos);  // no absolute path
  EXPECT_EQ(script, yosys_script(read_rtl_facts(kTiny), {}));
  EXPECT_NE(yosys_script(facts, {.abc9 = true}).find(" -abc9\n"), std::string::npos);
}

TEST(YosysSynth, SynthesizesTheTinyProjectToPlausibleCounts) {
  const fs::path dir = copy_of_tiny("ok");
  const YosysSynthesis s = synthesize_with_yosys(dir);
  // Registers: 20 bits of sums, 18 of ReLU outputs, 2 of the valid pipeline; nothing is constant.
  EXPECT_EQ(s.stat.ff, 40);
  // Two 10-bit sums of four shifted terms: tens of LUTs and a few carry chains, no DSP or RAM.
  EXPECT_GE(s.stat.lut, 20);
  EXPECT_LE(s.stat.lut, 150);
  EXPECT_GE(s.stat.carry, 2);
  EXPECT_EQ(s.stat.dsp, 0);
  EXPECT_EQ(s.stat.bram18, 0);
  EXPECT_EQ(s.stat.latch + s.stat.io + s.stat.other, 0);
  // At least one LUT and one carry cell between the input and the sum register.
  EXPECT_GE(s.logic_depth, 2);
  EXPECT_LE(s.logic_depth, 20);
  const nlohmann::json j = to_json(s);
  EXPECT_EQ(j["latency_cycles"], 2);
  EXPECT_EQ(j["lut"], s.stat.lut);
  EXPECT_TRUE(fs::exists(dir / "synth" / "synth.ys"));
  EXPECT_TRUE(fs::exists(dir / "synth" / "yosys.log"));
  fs::remove_all(dir);
}

void expect_refused(const fs::path& dir, const std::string& needle) {
  try {
    synthesize_with_yosys(dir);
    FAIL() << "synthesized " << dir;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(e.message().find(needle), std::string::npos) << e.what();
  }
}

TEST(YosysSynth, RefusesALatch) {
  const fs::path dir = copy_of_tiny("latch");
  // The ReLU as a combinational process that forgets its else branch: q holds its last value.
  std::ofstream(dir / "rtl" / "tiny_relu1.v") << R"(module tiny_relu1 (
    input clk,
    input [19:0] x,
    output reg [17:0] y
);
  reg [17:0] q;
  always @* if (!x[9]) q = {x[18:10], x[8:0]};
  always @(posedge clk) y <= q;
endmodule
)";
  expect_refused(dir, "latch: Latch inferred for signal `\\tiny_relu1.\\q'");
  fs::remove_all(dir);
}

TEST(YosysSynth, RefusesAMultipleDriver) {
  const fs::path dir = copy_of_tiny("drivers");
  std::ofstream(dir / "rtl" / "tiny_relu1.v") << R"(module tiny_relu1 (
    input clk,
    input [19:0] x,
    output reg [17:0] y
);
  reg [8:0] a;
  always @(posedge clk) a <= x[8:0];
  always @(posedge clk) a <= x[18:10];
  always @(posedge clk) y <= {a, a};
endmodule
)";
  expect_refused(dir, "multiple drivers: multiple conflicting drivers for tiny_relu1.\\a");
  fs::remove_all(dir);
}

TEST(YosysSynth, RefusesWhatIsNotAProjectAndAMissingYosys) {
  const fs::path dir = copy_of_tiny("bad");
  fs::remove(dir / "nnfpga" / "rtl.json");
  expect_refused(dir, "nnfpga/rtl.json is missing");
  std::ofstream(dir / "nnfpga" / "rtl.json") << R"({"top": "tiny", "files": ["../x.v"]})";
  expect_refused(dir, "plain paths relative to the project");
  std::ofstream(dir / "nnfpga" / "rtl.json") << R"({"top": "tiny", "files": ["rtl/none.v"]})";
  expect_refused(dir, "rtl/none.v does not exist");
  std::ofstream(dir / "nnfpga" / "rtl.json") << R"({"top": "t y", "files": ["rtl/tiny.v"]})";
  expect_refused(dir, "plain Verilog identifier");
  fs::copy_file(kTiny / "nnfpga" / "rtl.json", dir / "nnfpga" / "rtl.json",
                fs::copy_options::overwrite_existing);
  try {
    synthesize_with_yosys(dir, {.yosys = "/nonexistent/yosys"});
    FAIL() << "ran a missing yosys";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("cannot run Yosys"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nnfpga::backend::verilog
