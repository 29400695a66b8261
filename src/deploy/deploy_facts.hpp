// deploy.json: the machine-readable facts of a deployment folder (the board contract, section
// 5, docs/board.md). The driver reads only this file and the overlay; `nnfpga build` and
// `nnfpga report` read it back to find the accelerator and its estimate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "deploy/packing.hpp"

namespace nnfpga::deploy {

struct StreamFacts {
  std::string name;                 // the tensor's (the graph input's or output's) name
  std::vector<std::int64_t> shape;  // per sample, channels-last
  StreamPacking packing;
  // Streaming designs: the accelerator's beats per sample, one pixel (all its channels) each,
  // in raster order. deploy.json states them only for such designs.
  std::int64_t pixels = 1;
};

struct DeployFacts {
  std::string board;  // "pynq-z2", ..., "custom"
  std::string part;
  double clock_mhz = 100.0;
  std::string backend = "verilog";
  std::string top;  // the accelerator's top; the wrapper is <top>_board
  std::string model_sha256;
  std::int64_t latency_cycles = 0;  // of the accelerator, in the fabric clock
  std::int64_t interval_cycles = 1;
  bool stream = false;  // the accelerator is a streaming design (a CNN): pixels per handshake
  StreamFacts input, output;
};

inline constexpr const char* kDeployJson = "deploy.json";
inline constexpr const char* kControlCell = "nnfpga_ctrl";  // the accelerator's block-design cell
inline constexpr const char* kDmaCell = "axi_dma_0";
inline constexpr const char* kOverlayBit = "overlay/nnfpga.bit";
inline constexpr const char* kOverlayHwh = "overlay/nnfpga.hwh";

// The JSON text (deterministic: the contract's key order).
std::string deploy_json(const DeployFacts& facts);

// Reads `dir`/deploy.json. Throws nnfpga::Error (kInput) when `dir` holds no deployment folder
// or the file is not one this version writes.
DeployFacts read_deploy_facts(const std::string& dir);

// True when `dir` holds a deploy.json (whatever its contents).
bool is_deploy_folder(const std::string& dir);

}  // namespace nnfpga::deploy
