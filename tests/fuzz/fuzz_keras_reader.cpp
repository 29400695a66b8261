// libFuzzer harness for the Keras reader's architecture side (src/frontend/keras/keras_model.cpp
// and the layer converters): any text as a model config must give a graph or an nnfpga::Error,
// never a crash, a sanitizer report, a leak or an uncaught exception of another type. Weights are
// left out, so the weight checks are exercised too. HDF5 parsing itself is Debian's libhdf5 and
// not fuzzed here.
#include <cstddef>
#include <cstdint>
#include <string>

#include "frontend/keras/keras_reader.hpp"
#include "nnfpga/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    namespace keras = nnfpga::frontend::keras;
    const keras::KerasModel model = keras::parse_keras_model(text, "fuzz.json");
    (void)keras::graph_from_keras(model, {}, "fuzz.json");
  } catch (const nnfpga::Error&) {
    // The documented failure mode.
  }
  return 0;
}
