// Building a written project's C++ with the host compiler, shared by `nnfpga csim` (the test
// bench as a program) and build_csim_library (the bridge as a shared library): which project it
// is, which compiler, where AMD's ap_types headers are, and the compiler run whose output becomes
// the error message.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace nnfpga::backend::hls {

// The top function's name of the project in `dir`. Throws nnfpga::Error (kInput) when `dir` is
// not a project written by write_project, or its project.json is malformed.
std::string read_project_top(const std::filesystem::path& dir);

// `cxx`, else $CXX, else g++.
std::string host_compiler(const std::string& cxx);

// AMD's ap_types directory: `dir`, else $NNFPGA_AP_TYPES_DIR, else the one inside the installed
// hls4ml package. Empty when that directory holds no ap_fixed.h. `scratch` (which must exist)
// receives the probe's output.
std::string find_amd_headers(const std::string& dir, const std::filesystem::path& scratch);

struct HostCompile {
  std::string cxx;                        // as host_compiler returns it
  std::vector<std::string> flags;         // one argument each
  std::vector<std::string> include_dirs;  // -I, in order
  std::vector<std::string> sources;
  std::string output;
};

// Runs the compiler with its messages in `log`. Throws nnfpga::Error (kInput) with `failure`, a
// colon, and the end of the compiler's messages when it fails.
void run_host_compile(const HostCompile& compile, const std::filesystem::path& log,
                      const std::string& failure);

std::string shell_quote(const std::string& s);
std::string read_text(const std::filesystem::path& path);  // empty when unreadable
// The end of a log, for error messages.
std::string log_tail(const std::string& text, std::size_t max_chars = 2000);

}  // namespace nnfpga::backend::hls
