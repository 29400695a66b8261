// The files of hlslib/ compiled into the binary (cmake/embed_files.cmake): the layer library
// (nnfpga/...) and this project's own ap_types headers (ap_types/...).
#pragma once

#include <string>
#include <vector>

namespace nnfpga::backend::hls {

struct EmbeddedFile {
  std::string path;  // relative to hlslib/
  std::string content;
};

const std::vector<EmbeddedFile>& embedded_hlslib();

}  // namespace nnfpga::backend::hls
