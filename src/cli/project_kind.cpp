#include "cli/project_kind.hpp"

#include <filesystem>

#include "backend/hls/project.hpp"
#include "backend/verilog/project.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {

void require_hls_project(const std::string& dir, const std::string& command,
                         const std::string& verilog_command) {
  if (!std::filesystem::exists(std::filesystem::path(dir) / backend::verilog::kRtlJson)) return;
  throw Error(ErrorKind::kInput, dir + " is a Verilog project (convert --backend verilog); `" +
                                     command + "` reads HLS projects: run `nnfpga " +
                                     verilog_command + " " + dir + "` instead");
}

void require_verilog_project(const std::string& dir, const std::string& command,
                             const std::string& hls_command) {
  if (!std::filesystem::exists(std::filesystem::path(dir) / backend::hls::kProjectJson)) return;
  throw Error(ErrorKind::kInput, dir + " is an HLS project (convert without --backend verilog); `" +
                                     command + "` reads Verilog projects: run `nnfpga " +
                                     hls_command + " " + dir + "` instead");
}

}  // namespace nnfpga::cli
