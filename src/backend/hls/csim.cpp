// run_csim: inputs, emulator reference, then one g++ build and run per header set.
#include "backend/hls/csim.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "backend/hls/host_build.hpp"
#include "backend/hls/project.hpp"
#include "backend/hls/reference_samples.hpp"
#include "emulate/emulator.hpp"
#include "fixed/exact.hpp"
#include "ir/json_io.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw Error(ErrorKind::kInput, "cannot write " + path.string());
}

CsimRun build_and_compare(const fs::path& dir, const std::string& top, const std::string& headers,
                          const std::string& include_dir, const VerifyOptions& options,
                          const ReferenceSamples& ref, const fs::path& scratch) {
  CsimRun run{headers, include_dir};
  const fs::path exe = scratch / ("tb_" + headers);
  const fs::path log = scratch / ("build_" + headers + ".log");
  HostCompile compile{host_compiler(options.cxx), {"-std=c++14", "-O1", "-w"}};
  if (options.sanitize && headers == "nnfpga") {
    compile.flags.push_back("-fsanitize=address,undefined");
    compile.flags.push_back("-fno-sanitize-recover=all");
  }
  compile.include_dirs = {include_dir, (dir / "firmware").string()};
  compile.sources = {(dir / "tb" / (top + "_test.cpp")).string(),
                     (dir / "firmware" / (top + ".cpp")).string()};
  compile.output = exe.string();
  run_host_compile(
      compile, log,
      "the test bench did not compile against " + headers + " headers (" + include_dir + ")");
  const fs::path outputs = scratch / ("outputs_" + headers + ".txt");
  const std::string execute =
      shell_quote(exe.string()) + " " + shell_quote((scratch / "inputs.txt").string()) + " " +
      shell_quote(outputs.string()) + " > " + shell_quote(log.string()) + " 2>&1";
  if (std::system(execute.c_str()) != 0) {
    throw Error(ErrorKind::kInput, "the test bench built with " + headers + " headers failed:\n" +
                                       log_tail(read_text(log)));
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

CsimReport run_csim(const std::string& project_dir, const VerifyOptions& options) {
  const fs::path dir(project_dir);
  const std::string top = read_project_top(dir);
  if (options.samples < 1) throw Error(ErrorKind::kInput, "csim needs at least one sample");
  const ir::Graph graph = ir::load_json((dir / kModelJson).string());
  const fs::path scratch = dir / "csim";
  fs::create_directories(scratch);
  const ReferenceSamples ref = make_reference_samples(graph, options.samples, options.seed);
  write_text(scratch / "inputs.txt", ref.inputs_text());

  CsimReport report;
  report.runs.push_back(
      build_and_compare(dir, top, "nnfpga", (dir / "ap_types").string(), options, ref, scratch));
  const std::string amd = find_amd_headers(options.amd_ap_types, scratch);
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
