// What `nnfpga tune -o DIR` writes: config.yml, front.csv, front.json, and front.png drawn by the
// Python package's plotter (nnfpga.profiling.front) when it can be imported.
#pragma once

#include <string>

#include "tune/tune.hpp"

namespace nnfpga::cli {

struct WrittenTuneFiles {
  std::string summary;  // what was written
  std::string warning;  // why front.png was not drawn; empty when it was
};

// Writes the files; `python` is the interpreter that draws the plot.
WrittenTuneFiles write_tune_files(const std::string& dir, const tune::TuneResult& result,
                                  const tune::TuneOptions& options, const std::string& python);

}  // namespace nnfpga::cli
