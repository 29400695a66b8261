// run_boardsim: the reference (inputs, the emulator's outputs), the simulated board's build, the
// driver's run in Python, the comparison and the timing report.
#include "boardsim/boardsim.hpp"

#include <fmt/format.h>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "backend/test_inputs.hpp"
#include "boardsim/deploy_folder.hpp"
#include "boardsim/shell.hpp"
#include "boardsim/sim_library.hpp"
#include "emulate/emulator.hpp"
#include "io/array_io.hpp"
#include "ir/json_io.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::boardsim {
namespace {

namespace fs = std::filesystem;

// The comparison carries values as doubles: exact for codes of up to 53 bits.
void check_exact_in_doubles(const ir::Graph& graph) {
  const std::pair<const char*, std::string> sides[] = {{"input", graph.inputs.front()},
                                                       {"output", graph.outputs.front()}};
  for (const auto& [side, name] : sides) {
    const fixed::FixedType& t = graph.at(name).type("result");
    if (t.width > 53) {
      throw Error(ErrorKind::kUnsupported,
                  fmt::format("boardsim compares through doubles, exact up to 53 bits; the {} "
                              "type {} of '{}' is wider",
                              side, fixed::to_string(t), name));
    }
  }
}

bool same_double(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Compares the driver's values (whole samples from the first) with the emulator's; `frac`
// scales the driver's first (predict_codes returns codes, not values).
void compare(const emulate::Array& want, const emulate::Array& got, int frac, const char* call,
             BoardsimReport& r) {
  const std::size_t per_sample = want.data.size() / static_cast<std::size_t>(r.samples);
  if (got.data.size() > want.data.size() || got.data.size() % per_sample != 0) {
    throw Error(ErrorKind::kInput,
                fmt::format("the driver's {} returned {} output values for samples of {}; the "
                            "emulator {} in all",
                            call, got.data.size(), per_sample, want.data.size()));
  }
  for (std::size_t k = 0; k < got.data.size(); ++k) {
    ++r.outputs;
    const double have = std::ldexp(got.data[k], -frac);
    if (same_double(want.data[k], have)) continue;
    if (r.differing++ == 0) {
      r.first_difference = fmt::format("{} sample {} output {}: board {}, emulator {}", call,
                                       k / per_sample, k % per_sample, have, want.data[k]);
    }
  }
}

void read_timing(const fs::path& file, BoardsimReport& r) {
  std::ifstream in(file);
  const nlohmann::json j = nlohmann::json::parse(in);
  for (const nlohmann::json& call : j.at("calls")) {
    const std::int64_t n = call.at("samples").get<std::int64_t>();
    const std::int64_t cycles = call.at("transfer_cycles").get<std::int64_t>();
    if (n == 1 && r.round_trip_cycles == 0) r.round_trip_cycles = cycles;
    if (n > r.streaming_batch) {
      r.streaming_batch = n;
      r.streaming_cycles_per_sample = static_cast<double>(cycles) / static_cast<double>(n);
    }
    r.last_cycles = call.at("last_cycles").get<std::int64_t>();
  }
  r.mm2s_beats = j.at("beats").at("mm2s").get<std::int64_t>();
  r.s2mm_beats = j.at("beats").at("s2mm").get<std::int64_t>();
}

std::string report_text(const DeployFolder& f, const BoardsimReport& r) {
  const double us_per_cycle = 1.0 / r.clock_mhz;
  std::string t = fmt::format(
      "boardsim: {}_board (Verilator) behind the AXI DMA model, driven by {}/nnfpga_board\n"
      "  samples: {}   outputs compared with the emulator: {}   differing: {}\n"
      "  (every sample through predict, the first 50 again through predict_codes)\n",
      f.top, f.driver.string(), r.samples, r.outputs, r.differing);
  if (r.differing != 0) t += "  first difference: " + r.first_difference + "\n";
  t += fmt::format(
      "  one sample alone: {} cycles from S2MM armed to S2MM idle ({:.3f} us at {} MHz)\n",
      r.round_trip_cycles, static_cast<double>(r.round_trip_cycles) * us_per_cycle, r.clock_mhz);
  t += fmt::format(
      "  streaming: {:.2f} cycles per sample in a batch of {} ({:.3f} us per sample, "
      "{:.0f} samples/s)\n",
      r.streaming_cycles_per_sample, r.streaming_batch,
      r.streaming_cycles_per_sample * us_per_cycle,
      r.streaming_cycles_per_sample > 0 ? r.clock_mhz * 1e6 / r.streaming_cycles_per_sample : 0.0);
  t += fmt::format(
      "  accelerator LAST_CYCLES: {} (first input beat to last output beat of the last sample, "
      "{:.3f} us)\n  DMA beats: MM2S {}, S2MM {}\n",
      r.last_cycles, static_cast<double>(r.last_cycles) * us_per_cycle, r.mm2s_beats, r.s2mm_beats);
  return t;
}

}  // namespace

BoardsimReport run_boardsim(const std::string& deploy_dir, const BoardsimOptions& o) {
  if (o.samples < 1) throw Error(ErrorKind::kInput, "boardsim needs at least one sample");
  const DeployFolder folder = read_deploy_folder(deploy_dir);
  const ir::Graph graph = ir::load_json(folder.model_json.string());
  check_exact_in_doubles(graph);
  const fs::path dir = fs::absolute(folder.root / "boardsim");
  fs::create_directories(dir);
  // Values, not codes: the driver's own float-to-code conversion is part of what is checked.
  const emulate::Array values = backend::test_inputs(graph, o.samples, o.seed).front();
  const emulate::Array expected = emulate::Emulator(graph).run({values}).outputs.front();
  io::write_array((dir / "inputs.npy").string(), values, io::Dtype::kFloat64);
  const fs::path library = build_sim_library(folder, dir);
  fs::remove(dir / "outputs.npy");
  fs::remove(dir / "outputs_codes.npy");
  const std::string cmd = fmt::format(
      "cd {} && NNFPGA_BOARDSIM_LIB={} PYTHONPATH={} PYTHONDONTWRITEBYTECODE=1 {} run_boardsim.py "
      "{} inputs.npy outputs.npy report.json",
      shell_quote(dir.string()), shell_quote(library.string()),
      shell_quote(dir.string() + ":" + fs::absolute(folder.driver).string()), o.python,
      shell_quote(fs::absolute(folder.root).string()));
  run_logged(cmd, dir / "run.log", "the driver's run on the simulated board failed");
  BoardsimReport r;
  r.samples = o.samples;
  r.clock_mhz = folder.clock_mhz;
  compare(expected, io::read_array((dir / "outputs.npy").string()), 0, "predict", r);
  const int out_frac = graph.at(graph.outputs.front()).type("result").frac();
  compare(expected, io::read_array((dir / "outputs_codes.npy").string()), out_frac, "predict_codes",
          r);
  read_timing(dir / "report.json", r);
  r.text = report_text(folder, r);
  return r;
}

}  // namespace nnfpga::boardsim
