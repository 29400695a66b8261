// libFuzzer harness for the ONNX reader: any byte string must give a graph or an nnfpga::Error,
// never a crash, a sanitizer report, a leak or an uncaught exception of another type.
#include <cstddef>
#include <cstdint>
#include <string>

#include "frontend/onnx/onnx_reader.hpp"
#include "nnfpga/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    (void)nnfpga::frontend::onnx::read_onnx_bytes(bytes, "fuzz.onnx");
  } catch (const nnfpga::Error&) {
    // The documented failure mode.
  }
  return 0;
}
