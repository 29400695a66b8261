// Options shared by the commands that run the emulator: threads and the output dtype.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "emulate/emulator.hpp"
#include "io/array_io.hpp"

namespace nnfpga::cli {

struct RunFlags {
  int threads = 0;
  std::string dtype = "float32";

  emulate::RunOptions run_options(bool trace = false) const {
    emulate::RunOptions options;
    options.trace = trace;
    options.threads = threads;
    return options;
  }
  io::Dtype file_dtype() const { return io::parse_dtype(dtype); }
};

// Adds --threads, and --dtype when `with_dtype` (commands that write arrays).
inline void add_run_flags(CLI::App& command, RunFlags& flags, bool with_dtype) {
  command.add_option("--threads", flags.threads, "worker threads (0: all cores)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  if (with_dtype) {
    command.add_option("--dtype", flags.dtype, "element type of written .npy files")
        ->capture_default_str()
        ->check(CLI::IsMember({"float32", "float64"}));
  }
}

}  // namespace nnfpga::cli
