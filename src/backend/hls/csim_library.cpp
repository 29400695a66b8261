// build_csim_library: one host compile of the top function and its bridge into a shared library.
#include "backend/hls/csim_library.hpp"

#include <filesystem>

#include "backend/hls/host_build.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {

namespace fs = std::filesystem;

std::string build_csim_library(const std::string& project_dir, const CsimLibraryOptions& options) {
  const std::string top = read_project_top(project_dir);
  const fs::path dir = fs::absolute(project_dir);
  const fs::path bridge = dir / "firmware" / (top + "_bridge.cpp");
  if (!fs::exists(bridge)) {
    throw Error(ErrorKind::kInput, "firmware/" + top + "_bridge.cpp is missing: write " +
                                       project_dir + " again with this version of nnfpga");
  }
  const fs::path out_dir = dir / "build";
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw Error(ErrorKind::kInput, "cannot create " + out_dir.string() + ": " + ec.message());

  const std::string headers = options.amd_headers ? "amd" : "nnfpga";
  std::string include_dir = (dir / "ap_types").string();
  if (options.amd_headers) {
    include_dir = find_amd_headers(options.amd_ap_types, out_dir);
    if (include_dir.empty()) {
      throw Error(ErrorKind::kConfig,
                  "AMD's ap_types headers were not found (pass their directory, set "
                  "NNFPGA_AP_TYPES_DIR, or pip install hls4ml)");
    }
  }
  const std::string stem = "lib" + top + "-" + headers;
  const fs::path library = out_dir / (stem + ".so");
  const fs::path partial = out_dir / (stem + ".so.partial");
  HostCompile compile{host_compiler(options.cxx),
                      {"-std=c++14", "-O2", "-shared", "-fPIC", "-fvisibility=hidden", "-w"}};
  compile.include_dirs = {include_dir, (dir / "firmware").string()};
  compile.sources = {(dir / "firmware" / (top + ".cpp")).string(), bridge.string()};
  compile.output = partial.string();
  try {
    run_host_compile(compile, out_dir / (stem + ".log"),
                     "the C simulation library did not compile against " + headers + " headers (" +
                         include_dir + ")");
  } catch (const Error&) {
    fs::remove(partial, ec);
    throw;
  }
  fs::rename(partial, library, ec);
  if (ec) throw Error(ErrorKind::kInput, "cannot write " + library.string() + ": " + ec.message());
  return library.string();
}

}  // namespace nnfpga::backend::hls
