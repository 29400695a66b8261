// What boardsim reads of a deployment folder (the board contract, docs/board.md): deploy.json's
// facts, the model, the wrapper's RTL and the driver's location.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace nnfpga::boardsim {

struct DeployFolder {
  std::filesystem::path root;
  std::string top;  // the accelerator; the wrapper is <top>_board
  double clock_mhz = 0;
  int beat_bits = 0;
  std::filesystem::path model_json;        // ip/nnfpga/model.json
  std::vector<std::filesystem::path> rtl;  // ip/rtl/*.v, sorted
  std::filesystem::path driver;            // driver/ (holds nnfpga_board/)
};

// Throws nnfpga::Error (kInput) naming the missing file or key.
DeployFolder read_deploy_folder(const std::filesystem::path& dir);

}  // namespace nnfpga::boardsim
