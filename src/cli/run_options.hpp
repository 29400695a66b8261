// Options shared by the commands that run the emulator: threads, memory budget, the arrays' layout
// and the output dtype.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "emulate/emulator.hpp"
#include "emulate/source_layout.hpp"
#include "io/array_io.hpp"

namespace nnfpga::cli {

struct RunFlags {
  int threads = 0;
  std::int64_t memory_budget_mib = emulate::kDefaultMemoryBudgetBytes >> 20;
  std::string dtype = "float32";
  std::string layout = "source";

  emulate::RunOptions run_options(bool trace = false) const {
    emulate::RunOptions options;
    options.trace = trace;
    options.threads = threads;
    options.memory_budget_bytes = memory_budget_mib << 20;
    return options;
  }
  io::Dtype file_dtype() const { return io::parse_dtype(dtype); }
  emulate::ArrayLayout array_layout() const { return emulate::parse_array_layout(layout); }
};

// Adds --threads, --memory-budget and --layout, and --dtype when `with_dtype` (commands that write
// arrays).
inline void add_run_flags(CLI::App& command, RunFlags& flags, bool with_dtype) {
  command.add_option("--threads", flags.threads, "worker threads (0: all cores)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  command
      .add_option("--memory-budget", flags.memory_budget_mib,
                  "MiB of working buffers for all emulator threads together (at least one row "
                  "per block runs regardless)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  command
      .add_option("--layout", flags.layout,
                  "axis order of the input and output arrays: source (the model file's own, as "
                  "onnxruntime or Keras take it) or ir (channels-last)")
      ->capture_default_str()
      ->check(CLI::IsMember({"source", "ir"}));
  if (with_dtype) {
    command.add_option("--dtype", flags.dtype, "element type of written .npy files")
        ->capture_default_str()
        ->check(CLI::IsMember({"float32", "float64"}));
  }
}

}  // namespace nnfpga::cli
