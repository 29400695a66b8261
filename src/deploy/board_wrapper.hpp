// The board wrapper `<top>_board` (deploy/ip/rtl/<top>_board.v): AXI4-Stream beats in and out
// of the Verilog backend's `<top>_axis`, and the AXI4-Lite register block the driver reads
// (docs/board.md states the register map and the packing; both are the board contract).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "deploy/packing.hpp"

namespace nnfpga::deploy {

// The registers: 32 bits each, at byte addresses. deploy.json lists them under these keys.
struct RegisterInfo {
  const char* key;
  int address;
};
inline constexpr RegisterInfo kRegisters[] = {
    {"id", 0x00},      {"version", 0x04},  {"model_hash", 0x08}, {"last_cycles", 0x28},
    {"samples", 0x2C}, {"in_beats", 0x30}, {"out_beats", 0x34},  {"tlast_every", 0x38}};
inline constexpr std::uint32_t kIdValue = 0x4E4E4647;       // "NNFG"
inline constexpr std::uint32_t kVersionValue = 0x00010000;  // the contract's version 1.0
inline constexpr int kHashWords = 8;                        // MODEL_HASH at 0x08..0x24
inline constexpr int kControlAddressBits = 8;               // s_axi_ctrl_awaddr/araddr width

struct WrapperSpec {
  std::string top;           // the accelerator's top; the wrapper is <top>_board around <top>_axis
  StreamPacking input;       // beats in
  StreamPacking output;      // beats out
  int latency_cycles = 0;    // of <top>_axis, which bounds the samples in flight
  std::string model_sha256;  // 64 hex digits
  // A streaming design (a CNN, docs/board.md "CNNs on the board"): <top>_axis takes one pixel
  // (all its channels) per handshake, in_pixels of them per sample in raster order, and gives
  // out_pixels; the wrapper regroups bus beats into pixels and back. The sample's packing in bus
  // beats (`input`, `output`) is the same rule as for the parallel core.
  bool stream = false;
  std::int64_t in_pixels = 1;
  std::int64_t out_pixels = 1;
  std::int64_t interval_cycles = 1;  // of <top>_axis: a new sample every this many cycles
};

// The module's text (deterministic).
std::string board_wrapper_text(const WrapperSpec& spec);

// Samples that can be in flight at once between the first input beat and the last output beat:
// one being collected, one per pipeline stage, one being sent. The wrapper keeps a start time
// for each in a FIFO of this depth (a power of two).
int in_flight_depth(int latency_cycles);

// The same for a streaming design, where samples overlap by the interval rather than a cycle:
// deep enough that the stream never waits for a place at full rate. The wrapper holds back the
// first beat of a new sample while this many are in flight (its ready is still not a function
// of its valid), so the depth bounds the FIFO, not the correctness.
int stream_in_flight_depth(const WrapperSpec& spec);

}  // namespace nnfpga::deploy
