// `nnfpga rtlsim`: builds a written Verilog project's top module with a Verilator test bench,
// feeds it the random and adversarial inputs of backend/test_inputs.hpp as codes, one per clock
// edge, and compares every output code bit for bit with the emulator's, and the cycle each
// output appears in with the latency the project reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::backend::verilog {

struct RtlsimOptions {
  std::int64_t samples = 10000;
  std::uint64_t seed = 1;
};

struct RtlsimReport {
  std::int64_t samples = 0;
  std::int64_t outputs = 0;        // output codes compared
  std::int64_t differing = 0;      // codes not bit-identical to the emulator's
  std::int64_t late_or_early = 0;  // samples whose out_valid missed latency_cycles
  std::int64_t missing = 0;        // samples that never came out (or extra ones)
  int latency_cycles = 0;          // as nnfpga/rtl.json reports it
  std::string first_difference;
  // Streaming designs (rtl.json io "stream"): the interval rtl.json reports, and both figures as
  // measured with s_axis_tvalid and m_axis_tready held high (late_or_early counts each that
  // differs from rtl.json's); the comparison of the codes runs with both randomized.
  bool stream = false;
  std::int64_t interval_cycles = 1;
  std::int64_t measured_interval = 0;
  std::int64_t measured_latency = 0;
  bool ok() const { return differing == 0 && late_or_early == 0 && missing == 0 && samples > 0; }
};

// Throws nnfpga::Error: kInput when `project_dir` is not a Verilog project or Verilator fails,
// kUnsupported when an input or output type is wider than the 53 bits the comparison carries.
RtlsimReport run_rtlsim(const std::string& project_dir, const RtlsimOptions& options);

// run_rtlsim of a streaming design (stream_rtlsim.cpp): `<top>_axis` fed beat by beat.
struct Project;
RtlsimReport run_stream_rtlsim(const Project& project, const ir::Graph& graph,
                               const RtlsimOptions& options);

// The reference of run_rtlsim: the input codes (samples x count) and the emulator's output codes.
struct RtlsimReference {
  std::vector<std::int64_t> inputs;
  std::vector<std::int64_t> outputs;
};
RtlsimReference rtlsim_reference(const ir::Graph& graph, const RtlsimOptions& options);

}  // namespace nnfpga::backend::verilog
