// Helpers the Verilator tests share: whether Verilator is installed, a scratch directory per
// test, and running a netlist (with the contract's ports) on packed inputs.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>

#include <filesystem>
#include <fstream>
#include <string>

#include "backend/verilog/netlist.hpp"
#include "backend/verilog/verilator_bench.hpp"

namespace nnfpga::backend::verilog::testing {

inline bool have_verilator() {
  return std::system("verilator --version > /dev/null 2>&1") == 0;
}

#define NNFPGA_REQUIRE_VERILATOR()                                             \
  if (!::nnfpga::backend::verilog::testing::have_verilator()) {                \
    GTEST_SKIP() << "verilator is not installed (tools/setup.sh installs it)"; \
  }

// Named for the process too, so that checkouts (or build trees) testing at once never share one.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("nnfpga_rtl_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Writes `module_text` and runs `inputs` through it, one per cycle; the outputs in order.
inline std::vector<BenchOutput> simulate(const std::string& module_name,
                                         const std::string& module_text, int in_bits, int out_bits,
                                         int latency,
                                         const std::vector<std::optional<Bits>>& inputs) {
  const std::filesystem::path dir = scratch_dir(module_name);
  std::ofstream(dir / (module_name + ".v")) << module_text;
  const BenchSpec spec{module_name, {module_name + ".v"}, in_bits, out_bits};
  const std::filesystem::path exe = build_testbench(spec, dir);
  return run_testbench(exe, dir, inputs, out_bits, latency + 2);
}

}  // namespace nnfpga::backend::verilog::testing
