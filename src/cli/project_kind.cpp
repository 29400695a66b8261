#include "cli/project_kind.hpp"

#include <filesystem>

#include "backend/hls/project.hpp"
#include "backend/verilog/project.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {

void require_project(const std::string& dir, ProjectKind kind, const std::string& command,
                     const std::string& instead) {
  const bool wants_hls = kind == ProjectKind::kHls;
  const char* other_marker = wants_hls ? backend::verilog::kRtlJson : backend::hls::kProjectJson;
  if (!std::filesystem::exists(std::filesystem::path(dir) / other_marker)) return;
  const std::string other = wants_hls ? "a Verilog project (convert --backend verilog)"
                                      : "an HLS project (convert without --backend verilog)";
  throw Error(ErrorKind::kInput, dir + " is " + other + "; `" + command + "` reads " +
                                     (wants_hls ? "HLS" : "Verilog") + " projects: run `nnfpga " +
                                     instead + " " + dir + "` instead");
}

}  // namespace nnfpga::cli
