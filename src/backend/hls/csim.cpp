// run_csim: inputs, emulator reference, then one g++ build and run per header set.
#include "backend/hls/csim.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "backend/hls/project.hpp"
#include "backend/hls/reference_samples.hpp"
#include "emulate/emulator.hpp"
#include "fixed/exact.hpp"
#include "ir/json_io.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last lines of a log, for error messages.
std::string tail(const std::string& text, std::size_t max_chars = 2000) {
  return text.size() <= max_chars ? text : "..." + text.substr(text.size() - max_chars);
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw Error(ErrorKind::kInput, "cannot write " + path.string());
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

// AMD's headers: the option, then $NNFPGA_AP_TYPES_DIR, then where pip put hls4ml.
std::string find_amd_headers(const CsimOptions& options, const fs::path& scratch) {
  std::string dir =
      options.amd_ap_types.empty() ? env_or("NNFPGA_AP_TYPES_DIR", "") : options.amd_ap_types;
  if (dir.empty()) {
    const fs::path out = scratch / "hls4ml_path.txt";
    const std::string cmd =
        "python3 -c \"import hls4ml, os; print(os.path.join(os.path.dirname(hls4ml.__file__), "
        "'templates', 'vivado', 'ap_types'))\" > " +
        shell_quote(out.string()) + " 2>/dev/null";
    if (std::system(cmd.c_str()) == 0) {
      dir = read_text(out);
      while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) dir.pop_back();
    }
  }
  return !dir.empty() && fs::exists(fs::path(dir) / "ap_fixed.h") ? dir : std::string();
}

CsimRun build_and_compare(const fs::path& dir, const std::string& top, const std::string& headers,
                          const std::string& include_dir, const CsimOptions& options,
                          const ReferenceSamples& ref, const fs::path& scratch) {
  CsimRun run{headers, include_dir};
  const fs::path exe = scratch / ("tb_" + headers);
  const fs::path log = scratch / ("build_" + headers + ".log");
  const std::string cxx = options.cxx.empty() ? env_or("CXX", "g++") : options.cxx;
  const std::string sanitize = options.sanitize && headers == "nnfpga"
                                   ? " -fsanitize=address,undefined -fno-sanitize-recover=all"
                                   : "";
  const std::string compile =
      shell_quote(cxx) + " -std=c++14 -O1 -w" + sanitize + " -I" + shell_quote(include_dir) +
      " -I" + shell_quote((dir / "firmware").string()) + " " +
      shell_quote((dir / "tb" / (top + "_test.cpp")).string()) + " " +
      shell_quote((dir / "firmware" / (top + ".cpp")).string()) + " -o " +
      shell_quote(exe.string()) + " > " + shell_quote(log.string()) + " 2>&1";
  if (std::system(compile.c_str()) != 0) {
    throw Error(ErrorKind::kInput, "the test bench did not compile against " + headers +
                                       " headers (" + include_dir + "):\n" + tail(read_text(log)));
  }
  const fs::path outputs = scratch / ("outputs_" + headers + ".txt");
  const std::string execute =
      shell_quote(exe.string()) + " " + shell_quote((scratch / "inputs.txt").string()) + " " +
      shell_quote(outputs.string()) + " > " + shell_quote(log.string()) + " 2>&1";
  if (std::system(execute.c_str()) != 0) {
    throw Error(ErrorKind::kInput, "the test bench built with " + headers + " headers failed:\n" +
                                       tail(read_text(log)));
  }
  std::ifstream in(outputs);
  std::string line;
  while (std::getline(in, line) && run.samples < options.samples) {
    const std::vector<double> want = ref.output_row(run.samples);
    std::istringstream fields(line);
    std::vector<double> got;
    for (std::string field; fields >> field;) got.push_back(std::strtod(field.c_str(), nullptr));
    if (got.size() != want.size()) {
      throw Error(ErrorKind::kInput, "C simulation (" + headers + ") wrote " +
                                         std::to_string(got.size()) + " values for sample " +
                                         std::to_string(run.samples) + ", expected " +
                                         std::to_string(want.size()));
    }
    for (std::size_t k = 0; k < got.size(); ++k) {
      ++run.outputs;
      if (got[k] == want[k]) continue;
      if (run.differing++ == 0) {
        char text[160];
        std::snprintf(text, sizeof text,
                      "sample %lld output %zu: C simulation %.17g, emulator %.17g",
                      static_cast<long long>(run.samples), k, got[k], want[k]);
        run.first_difference = text;
      }
    }
    ++run.samples;
  }
  if (run.samples != options.samples) {
    throw Error(ErrorKind::kInput, "C simulation (" + headers + ") wrote " +
                                       std::to_string(run.samples) + " samples of " +
                                       std::to_string(options.samples));
  }
  return run;
}

}  // namespace

CsimReport run_csim(const std::string& project_dir, const CsimOptions& options) {
  const fs::path dir(project_dir);
  if (!fs::exists(dir / kModelJson) || !fs::exists(dir / kProjectJson)) {
    throw Error(ErrorKind::kInput, project_dir + " is not a project written by nnfpga convert (" +
                                       kModelJson + " or " + kProjectJson + " is missing)");
  }
  if (options.samples < 1) throw Error(ErrorKind::kInput, "csim needs at least one sample");
  const ir::Graph graph = ir::load_json((dir / kModelJson).string());
  std::string top;
  try {
    top = nlohmann::json::parse(read_text(dir / kProjectJson)).at("top").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kInput, std::string("bad ") + kProjectJson + ": " + e.what());
  }
  const fs::path scratch = dir / "csim";
  fs::create_directories(scratch);
  const ReferenceSamples ref = make_reference_samples(graph, options.samples, options.seed);
  write_text(scratch / "inputs.txt", ref.inputs_text());

  CsimReport report;
  report.runs.push_back(
      build_and_compare(dir, top, "nnfpga", (dir / "ap_types").string(), options, ref, scratch));
  const std::string amd = find_amd_headers(options, scratch);
  if (amd.empty()) {
    report.note =
        "AMD's ap_types headers were not found (pass --ap-types DIR, set NNFPGA_AP_TYPES_DIR, "
        "or pip install hls4ml): compared with nnfpga's headers only";
    if (options.require_amd) throw Error(ErrorKind::kConfig, report.note);
  } else {
    report.runs.push_back(build_and_compare(dir, top, "AMD", amd, options, ref, scratch));
  }
  return report;
}

}  // namespace nnfpga::backend::hls
