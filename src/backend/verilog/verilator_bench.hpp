// A Verilator test bench for any module with the project contract's ports (clk, rst, in_valid,
// in_data, out_valid, out_data): its C++ text, the Verilator build, and one run that feeds a
// sample per clock edge and records every output with the cycle it appeared in. What `nnfpga
// rtlsim` and the tests of tests/unit/verilog share.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace nnfpga::backend::verilog {

// A packed bit vector, least significant 32-bit word first.
using Bits = std::vector<std::uint32_t>;

struct BenchSpec {
  std::string top;                 // the module
  std::vector<std::string> files;  // Verilog sources, absolute or relative to the bench dir
  int in_bits = 1;
  int out_bits = 1;
  // The driver's main when not the default one (e.g. an AXI-stream driver): it follows the
  // shared prelude (Words, put / get on ports, read_inputs, reset) and the Verilated model's
  // header, whose class TOP_CLASS names.
  std::string driver_cpp;
};

// The test bench's C++ (deterministic): the model's header, the prelude, the driver.
std::string testbench_cpp(const BenchSpec& spec);

// Writes the bench into `dir` and builds it with `verilator --cc --exe --build` (messages in
// dir/build.log). Returns the executable. Throws nnfpga::Error (kInput) with the end of the log
// when Verilator is missing or the build fails.
std::filesystem::path build_testbench(const BenchSpec& spec, const std::filesystem::path& dir);

struct BenchOutput {
  std::int64_t cycle = 0;  // the cycle (0 = the first input's) before whose edge out_valid was high
  Bits data;
};

// Runs the built bench: inputs[c] enters in cycle c (nullopt: in_valid low that cycle), and the
// clock runs `drain` cycles past the last input. Files go to `dir`.
std::vector<BenchOutput> run_testbench(const std::filesystem::path& exe,
                                       const std::filesystem::path& dir,
                                       const std::vector<std::optional<Bits>>& inputs, int out_bits,
                                       std::int64_t drain);

// The same with the driver's arguments after the output words given as text (a custom driver's).
std::vector<BenchOutput> run_testbench_with(const std::filesystem::path& exe,
                                            const std::filesystem::path& dir,
                                            const std::vector<std::optional<Bits>>& inputs,
                                            int out_bits, const std::string& driver_args);

// Bits [lo, lo + width) of `bits` as a two's complement (signed) or unsigned integer.
__int128 extract(const Bits& bits, int lo, int width, bool is_signed);
// Stores the low `width` bits of `value` at [lo, lo + width).
void deposit(Bits& bits, int lo, int width, __int128 value);

}  // namespace nnfpga::backend::verilog
