// The files of boardlib/ compiled into the binary (cmake/embed_files.cmake): the Vivado Tcl
// (vivado/...) and the board driver (driver/nnfpga_board/...), copied into every deployment
// folder at the same relative paths.
#pragma once

#include <string>
#include <vector>

namespace nnfpga::deploy {

struct EmbeddedFile {
  std::string path;  // relative to boardlib/
  std::string content;
};

const std::vector<EmbeddedFile>& embedded_boardlib();

}  // namespace nnfpga::deploy
