#include "deploy/folder_readme.hpp"

#include <fmt/format.h>

#include "deploy/board_wrapper.hpp"

namespace nnfpga::deploy {
namespace {

std::string readme_stream_row(const char* side, const StreamFacts& s) {
  const StreamPacking& p = s.packing;
  return fmt::format("| {} | `{}` | {} | `{}` | {} | {} | {} |\n", side, s.name, p.count,
                     fixed::to_string(p.type), p.lane_bits, p.elements_per_beat,
                     p.beats_per_sample);
}

// A streaming design takes pixels; the bus packing above is unchanged, the wrapper regroups.
std::string readme_pixels_text(const DeployFacts& f) {
  const auto side = [](const StreamFacts& s) {
    return fmt::format("{} pixel{} of {} elements", s.pixels, s.pixels == 1 ? "" : "s",
                       s.packing.count / s.pixels);
  };
  return fmt::format(
      "\nThe accelerator is a streaming design: `{}_axis` takes one pixel (all its channels) per "
      "handshake, in raster order, {} in and {} out per sample. The bus packing above is the "
      "same: the flattened sample in raster order with the channels last, padded at its end to a "
      "whole beat, so a beat never holds two samples; the wrapper cuts the beats into pixels and "
      "gathers the output pixels into beats.\n",
      f.top, side(f.input), side(f.output));
}

}  // namespace

std::string folder_readme(const Board& board, const DeployFacts& f) {
  std::string t = fmt::format(
      "# nnfpga deployment folder: {top} on {board}\n\n"
      "Written by `nnfpga convert --board`. The accelerator is `{top}_board` on {part} at {mhz} "
      "MHz ({ps}); its pipeline takes {lat} cycles per sample and a new sample every {ii} "
      "cycle(s). Model SHA-256 `{hash}` (of `ip/nnfpga/model.json`).\n\n"
      "| path | what |\n|---|---|\n"
      "| `deploy.json` | the facts the driver reads: packing, types, registers, cell names |\n"
      "| `ip/rtl/` | the Verilog: the layers, `{top}_axis`, and the board wrapper "
      "`{top}_board.v` |\n"
      "| `ip/nnfpga/` | the typed model (`model.json`) and the RTL's facts (`rtl.json`) |\n"
      "| `vivado/` | `build.tcl` and its parts; `settings.tcl` holds this model's and board's "
      "values |\n"
      "| `overlay/` | empty until `nnfpga build`: `nnfpga.bit` and `nnfpga.hwh` |\n"
      "| `driver/nnfpga_board/` | the Python driver (pynq and NumPy only) |\n\n",
      fmt::arg("top", f.top), fmt::arg("board", f.board), fmt::arg("part", f.part),
      fmt::arg("mhz", f.clock_mhz), fmt::arg("ps", ps_label(board.ps)),
      fmt::arg("lat", f.latency_cycles), fmt::arg("ii", f.interval_cycles),
      fmt::arg("hash", f.model_sha256));
  t += fmt::format(
      "## Packing ({}-bit AXI4-Stream beats)\n\n"
      "Element k of a sample's flattened tensor (channels-last) is in lane `k % E` of beat "
      "`k / E`: bits `[j*L +: L]` of TDATA hold lane j. Each element is its fixed-point code "
      "(value * 2^frac_bits, two's complement or unsigned), sign- or zero-extended to L bits. "
      "Unused lanes of a sample's last beat are ignored on input and 0 on output. So the "
      "little-endian memory of a NumPy array of codes (int8/16/32/64 for L = 8/16/32/64), padded "
      "per sample to whole beats, is the DMA buffer.\n\n"
      "| stream | tensor | elements | type | L | E | beats per sample |\n"
      "|---|---|---|---|---|---|---|\n",
      f.input.packing.beat_bits);
  t += readme_stream_row("in", f.input);
  t += readme_stream_row("out", f.output);
  if (f.stream) t += readme_pixels_text(f);
  t += "\nTLAST rises on the last beat of every TLAST_EVERY-th output sample; input TLAST is "
       "ignored (the wrapper counts beats).\n\n## Registers (AXI4-Lite, cell `nnfpga_ctrl`)\n\n"
       "| offset | name | |\n|---|---|---|\n";
  t += fmt::format("| 0x00 | ID | 0x{:08X} (\"NNFG\") |\n", kIdValue);
  t += fmt::format("| 0x04 | VERSION | 0x{:08X} (1.0) |\n", kVersionValue);
  t += "| 0x08..0x24 | MODEL_HASH | word i = hex digits [8i, 8i+8) of the SHA-256 |\n"
       "| 0x28 | LAST_CYCLES | first input beat to last output beat of the last sample |\n"
       "| 0x2C | SAMPLES | samples completed since reset |\n";
  t += fmt::format("| 0x30 | IN_BEATS | {} |\n| 0x34 | OUT_BEATS | {} |\n",
                   f.input.packing.beats_per_sample, f.output.packing.beats_per_sample);
  t += "| 0x38 | TLAST_EVERY | read/write, default 1 |\n\n"
       "## Next steps\n\n"
       "1. `nnfpga build <this folder>` runs `vivado -mode batch -source vivado/build.tcl` "
       "(Vivado 2022.2 or later on PATH, or `--vivado PATH`): IP, block design, bitstream, and "
       "`overlay/nnfpga.bit` + `overlay/nnfpga.hwh`.\n"
       "2. `nnfpga report <this folder>`: Vivado's utilization and timing beside the estimate.\n"
       "3. Copy the folder to the board and use `driver/nnfpga_board` from the board's Python "
       "(docs/board.md in the nnfpga repository).\n";
  return t;
}

}  // namespace nnfpga::deploy
