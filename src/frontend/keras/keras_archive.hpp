// The `.keras` format of Keras 3: a zip archive holding config.json (the architecture),
// metadata.json (versions, not needed) and model.weights.h5 (the weights, HDF5). Read with Debian's
// libzip.
#pragma once

#include <string>

namespace nnfpga::frontend::keras {

struct KerasArchive {
  std::string config_json;
  std::string weights_h5;  // the bytes of model.weights.h5
};

// Throws nnfpga::Error (kInput) naming the file: not a zip, or a member missing or too large.
KerasArchive read_keras_archive(const std::string& path);

}  // namespace nnfpga::frontend::keras
