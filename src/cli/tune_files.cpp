// The plot is matplotlib's, through the Python package, so that the PNG looks like the other
// profiling plots and the C++ side carries no plotting code.
#include "cli/tune_files.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "backend/hls/host_build.hpp"
#include "nnfpga/error.hpp"
#include "tune/report_json.hpp"

namespace nnfpga::cli {
namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) {
    throw Error(ErrorKind::kInput, "cannot write the file", {.file = path.string()});
  }
}

}  // namespace

WrittenTuneFiles write_tune_files(const std::string& dir, const tune::TuneResult& result,
                                  const tune::TuneOptions& options, const std::string& python) {
  const std::filesystem::path out(dir);
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec)
    throw Error(ErrorKind::kInput, "cannot create the directory: " + ec.message(), {.file = dir});
  write_text(out / "config.yml",
             "# Chosen by nnfpga tune (front.json has the search and the holdout check).\n" +
                 config::to_yaml(result.config));
  write_text(out / "front.csv", tune::front_csv(result));
  write_text(out / "front.json", tune::to_json(result, options).dump(2) + "\n");
  std::string written = "wrote " + (out / "config.yml").string() + ", front.csv, front.json";
  using backend::hls::shell_quote;
  const std::string probe = shell_quote(python) + " -c 'import nnfpga.profiling.front' 2>/dev/null";
  if (std::system(probe.c_str()) != 0) {
    return {written + "\n", "front.png not drawn: '" + python +
                                " -c \"import nnfpga.profiling.front\"' failed (pip install "
                                "the nnfpga package with matplotlib, or set NNFPGA_PYTHON to an "
                                "interpreter that has it); front.csv and front.json were written"};
  }
  const std::string plot = shell_quote(python) + " -m nnfpga.profiling.front " +
                           shell_quote((out / "front.json").string()) + " " +
                           shell_quote((out / "front.png").string());
  if (std::system(plot.c_str()) != 0) {
    return {written + "\n", "front.png not drawn: '" + plot + "' failed"};
  }
  return {written + ", front.png\n", ""};
}

}  // namespace nnfpga::cli
