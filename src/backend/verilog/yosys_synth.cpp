// Runs Yosys on a written Verilog project and reads back what it found. The script's choices
// (out of context, flattened, checks before synthesis) are argued in docs/rtlsynth.md.
#include "backend/verilog/yosys_synth.hpp"

#include <fmt/format.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "backend/verilog/project.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSynthDir = "synth";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  q += '\'';
  return q;
}

std::string log_tail(const std::string& text, std::size_t max_chars = 2000) {
  return text.size() <= max_chars ? text : "..." + text.substr(text.size() - max_chars);
}

// A file name Yosys's script parser takes as one word, and that stays inside the project.
void check_listed_file(const fs::path& project, const std::string& file) {
  const fs::path p(file);
  bool escapes = p.is_absolute();
  for (const fs::path& part : p) escapes = escapes || part == "..";
  if (escapes || file.find_first_of(" \t\n\"';") != std::string::npos) {
    throw Error(ErrorKind::kInput,
                "`files` must hold plain paths relative to the project, not '" + file + "'",
                {.file = (project / kRtlJson).string()});
  }
  if (!fs::exists(project / p)) {
    throw Error(ErrorKind::kInput, "the listed Verilog file " + file + " does not exist",
                {.file = (project / kRtlJson).string()});
  }
}

std::string yosys_executable(const YosysOptions& options) {
  if (!options.yosys.empty()) return options.yosys;
  const char* env = std::getenv("NNFPGA_YOSYS");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string("yosys");
}

std::string flow_line(const RtlFacts& facts, const YosysOptions& options) {
  return fmt::format("synth_xilinx -family xc7 -top {} -flatten -noiopad -noclkbuf{}", facts.top,
                     options.abc9 ? " -abc9" : "");
}

// Throws the problems check.txt and latches.txt list, if any.
void refuse_problems(const fs::path& synth) {
  std::vector<std::string> lines;
  for (const report::YosysProblem& p : report::parse_yosys_check(read_text(synth / "check.txt"))) {
    lines.push_back(p.kind + ": " + p.message);
  }
  // latches.txt names the latch cells; the log's "Latch inferred for signal" lines name the
  // signals, which is what a reader of the Verilog needs.
  if (read_text(synth / "latches.txt").find_first_not_of(" \n") != std::string::npos) {
    std::istringstream log(read_text(synth / "yosys.log"));
    std::size_t named = 0;
    for (std::string line; std::getline(log, line);) {
      if (line.rfind("Latch inferred for signal", 0) != 0) continue;
      lines.push_back("latch: " + line);
      ++named;
    }
    if (named == 0) lines.push_back("latch: see synth/latches.txt");
  }
  if (lines.empty()) return;
  std::string message = fmt::format(
      "the design has {} problem(s) that synthesis would hide (nnfpga's RTL is registers and "
      "combinational logic only):",
      lines.size());
  constexpr std::size_t kShown = 20;
  for (std::size_t i = 0; i < lines.size() && i < kShown; ++i) message += "\n  " + lines[i];
  if (lines.size() > kShown) message += fmt::format("\n  ... and {} more", lines.size() - kShown);
  throw Error(ErrorKind::kInput, message, {.file = (synth / "check.txt").string()});
}

// Runs the script from the project directory; returns the wall time in seconds.
double run_yosys(const fs::path& project, const YosysOptions& options) {
  const std::string command =
      fmt::format("cd {} && {} -q -l {}/yosys.log -s {}/synth.ys > {}/yosys.out 2>&1",
                  shell_quote(project.string()), shell_quote(yosys_executable(options)), kSynthDir,
                  kSynthDir, kSynthDir);
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const fs::path synth = project / kSynthDir;
  refuse_problems(synth);  // checked first: a failed assertion is the likely cause of a failure
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) == 127) {
    throw Error(ErrorKind::kInput,
                fmt::format("cannot run Yosys ('{}'): install it (apt-get install yosys), or name "
                            "it with --yosys or NNFPGA_YOSYS",
                            yosys_executable(options)));
  }
  if (WEXITSTATUS(status) != 0) {
    std::string log = read_text(synth / "yosys.log");
    if (log.empty()) log = read_text(synth / "yosys.out");
    throw Error(ErrorKind::kInput, "Yosys failed:\n" + log_tail(log),
                {.file = (synth / "yosys.log").string()});
  }
  return seconds;
}

}  // namespace

RtlFacts read_rtl_facts(const fs::path& project) {
  const fs::path path = project / kRtlJson;
  if (!fs::exists(path)) {
    throw Error(ErrorKind::kInput,
                project.string() +
                    " is not a Verilog project written by nnfpga convert --backend "
                    "verilog (nnfpga/rtl.json is missing)");
  }
  RtlFacts facts;
  try {
    const nlohmann::json doc = nlohmann::json::parse(read_text(path));
    facts.top = doc.at("top").get<std::string>();
    facts.files = doc.at("files").get<std::vector<std::string>>();
    if (doc.contains("latency_cycles"))
      facts.latency_cycles = doc["latency_cycles"].get<long long>();
    if (doc.contains("clock_period_ns"))
      facts.clock_period_ns = doc["clock_period_ns"].get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kInput, std::string("bad rtl.json: ") + e.what(),
                {.file = path.string()});
  }
  if (facts.files.empty()) {
    throw Error(ErrorKind::kInput, "`files` lists no Verilog file", {.file = path.string()});
  }
  if (facts.top.empty() ||
      facts.top.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos) {
    throw Error(ErrorKind::kInput,
                "`top` must be a plain Verilog identifier, not '" + facts.top + "'",
                {.file = path.string()});
  }
  for (const std::string& f : facts.files) check_listed_file(project, f);
  return facts;
}

std::string yosys_script(const RtlFacts& facts, const YosysOptions& options) {
  std::string s =
      "# Written by nnfpga rtlsynth (docs/rtlsynth.md); run from the project directory.\n";
  // -defer: a parameterized module is elaborated only with the parameters it is used with.
  for (const std::string& f : facts.files) s += "read_verilog -defer " + f + "\n";
  s += fmt::format("hierarchy -check -top {}\n", facts.top);
  // The checks run on the processes' netlist, before synthesis can optimize a fault away.
  s += "proc\n";
  s += "tee -q -o synth/check.txt check\n";
  s += "tee -q -o synth/latches.txt select -list t:$dlatch t:$adlatch t:$dlatchsr\n";
  s += "check -assert\n";
  s += "select -assert-none t:$dlatch t:$adlatch t:$dlatchsr\n";
  s += flow_line(facts, options) + "\n";
  s += "tee -q -o synth/stat.json stat -json\n";
  // The longest path through combinational cells only: registers, latches, shift registers and
  // RAMs end a path.
  s += "select -set sequential t:FD* t:LD* t:SRL* t:RAM*\n";
  s += "tee -q -o synth/ltp.txt ltp -noff @sequential %n\n";
  return s;
}

YosysSynthesis synthesize_with_yosys(const fs::path& project, const YosysOptions& options) {
  YosysSynthesis s;
  s.facts = read_rtl_facts(project);
  s.flow = flow_line(s.facts, options);
  const fs::path synth = project / kSynthDir;
  fs::create_directories(synth);
  for (const char* stale : {"check.txt", "latches.txt", "stat.json", "ltp.txt"}) {
    fs::remove(synth / stale);  // a failed run must not read the last run's results
  }
  std::ofstream(synth / "synth.ys") << yosys_script(s.facts, options);
  s.seconds = run_yosys(project, options);
  s.stat = report::read_yosys_stat_json((synth / "stat.json").string());
  if (s.stat.latch > 0) {
    throw Error(ErrorKind::kInput,
                fmt::format("synthesis made {} latch cell(s) (LDCE/LDPE)", s.stat.latch),
                {.file = (synth / "stat.json").string()});
  }
  const std::string ltp = read_text(synth / "ltp.txt");
  // A design without combinational cells has no path: ltp then prints no length.
  s.logic_depth = ltp.find("Longest topological path") == std::string::npos
                      ? 0
                      : report::parse_yosys_ltp_length(ltp, (synth / "ltp.txt").string());
  return s;
}

nlohmann::json to_json(const YosysSynthesis& s) {
  nlohmann::json j;
  j["tool"] = s.stat.creator;
  j["flow"] = s.flow;
  j["top"] = s.facts.top;
  j["latency_cycles"] =
      s.facts.latency_cycles ? nlohmann::json(*s.facts.latency_cycles) : nlohmann::json();
  j["lut"] = s.stat.lut;
  j["ff"] = s.stat.ff;
  j["carry4"] = s.stat.carry;
  j["dsp"] = s.stat.dsp;
  j["bram18"] = s.stat.bram18;
  j["lutram"] = s.stat.lutram;
  j["srl"] = s.stat.srl;
  j["muxf7"] = s.stat.muxf7;
  j["muxf8"] = s.stat.muxf8;
  j["other_cells"] = s.stat.other;
  j["logic_depth"] = s.logic_depth;
  j["cells"] = s.stat.cells;
  j["yosys_seconds"] = s.seconds;
  return j;
}

}  // namespace nnfpga::backend::verilog
