// `nnfpga boardsim DEPLOY_DIR`: a board run without a board. The deployment folder's own Python
// driver runs unchanged against the accelerator's RTL (<top>_board under Verilator) behind a
// cycle-level AXI DMA model, through a stand-in of the pynq calls it makes; its outputs are
// compared bit for bit with the emulator's on random and adversarial inputs.
#pragma once

#include <cstdint>
#include <string>

namespace nnfpga::boardsim {

struct BoardsimOptions {
  std::int64_t samples = 1000;
  std::uint64_t seed = 1;
  std::string python = "python3";  // the interpreter that runs the driver (needs NumPy)
};

struct BoardsimReport {
  std::int64_t samples = 0;
  std::int64_t outputs = 0;    // output values compared (predict; predict_codes on 50)
  std::int64_t differing = 0;  // values not bit-identical to the emulator's
  std::string first_difference;
  double clock_mhz = 0;
  std::int64_t round_trip_cycles = 0;      // one sample alone: S2MM armed to S2MM idle
  double streaming_cycles_per_sample = 0;  // the largest batch's transfer, per sample
  std::int64_t streaming_batch = 0;
  std::int64_t last_cycles = 0;  // the accelerator's LAST_CYCLES after the run
  std::int64_t mm2s_beats = 0, s2mm_beats = 0;
  std::string text;  // the report for the user
  bool ok() const { return differing == 0 && samples > 0 && outputs > 0; }
};

// Throws nnfpga::Error: kInput when the folder is not a deployment folder, Verilator or Python
// fails (with the end of their log), kUnsupported for types wider than the 53 bits the
// comparison carries.
BoardsimReport run_boardsim(const std::string& deploy_dir, const BoardsimOptions& options);

}  // namespace nnfpga::boardsim
