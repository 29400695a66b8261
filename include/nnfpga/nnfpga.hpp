// The public C++ API of nnfpga: read a model, configure it, emulate it bit for bit, estimate it,
// write its firmware with any backend and check that firmware against the emulator. This header
// and nnfpga/error.hpp are all a user includes; they need only the standard library.
//
//   nnfpga::Model model = nnfpga::Model::read("model.onnx", {"config.yml"});
//   std::vector<nnfpga::Array> y = model.predict({x});          // bit-exact fixed point
//   nnfpga::Estimate e = model.estimate("verilog");
//   nnfpga::ProjectInfo prj = model.convert("prj/", "hls");     // or "verilog"
//   nnfpga::VerifyResult check = nnfpga::verify("prj/");        // csim or rtlsim, by project
//
// With CMake: find_package(nnfpga) and target_link_libraries(app PRIVATE nnfpga::nnfpga).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nnfpga/error.hpp"

namespace nnfpga {

// The version of this build ("0.1.0").
std::string version();

// The backends of this build, by name ("hls", "verilog"): what convert, estimate and verify take.
std::vector<std::string> backend_names();

// Values with their shape, row-major. The first axis of an input or output is the batch.
struct Array {
  std::vector<std::int64_t> shape;
  std::vector<double> data;
};

struct Estimate {
  std::string backend;
  double clock_period_ns = 0;
  std::int64_t latency_cycles = 0;
  std::int64_t interval_cycles = 1;  // cycles between samples
  std::int64_t lut = 0;
  std::int64_t dsp = 0;
  std::int64_t bram18 = 0;
  std::string table;  // per layer, as `nnfpga convert` prints it
  std::string json;   // the backend's per-layer detail, as estimate.json holds it
};

struct ProjectInfo {
  std::string backend;
  std::string dir;
  std::string top;                 // the top function's or module's name
  std::vector<std::string> files;  // relative to dir
  Estimate estimate;
  std::string summary;  // what was written and what to run next
};

struct VerifyOptions {
  std::int64_t samples = 10000;
  std::uint64_t seed = 1;
  bool sanitize = false;     // HLS: build the nnfpga-headers C simulation with ASan and UBSan
  bool require_amd = false;  // HLS: fail when AMD's ap_types headers are not found
};

struct VerifyResult {
  std::string backend;
  bool identical = false;  // every output of every run bit-identical, on time
  std::int64_t samples = 0;
  std::int64_t outputs = 0;    // values compared, over all runs
  std::int64_t differing = 0;  // of them, not bit-identical
  std::string text;            // one line per simulation run, as csim and rtlsim print
};

class Model {
 public:
  // Reads an .onnx, .keras, .h5 or .json model, then configures it with the configuration files
  // (YAML or JSON with hls4ml's keys, merged in order) and the KEY=VALUE settings after them, as
  // `nnfpga convert MODEL -c FILE --set KEY=VALUE` does. No files and no settings: the defaults.
  // Throws nnfpga::Error naming every unsupported node at once, or the setting that is wrong.
  static Model read(const std::string& path, const std::vector<std::string>& config_files = {},
                    const std::vector<std::string>& settings = {});

  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  std::string name() const;
  std::vector<std::string> input_names() const;
  std::vector<std::string> output_names() const;
  // Shape of each input or output without the batch axis, in the model file's layout.
  std::vector<std::int64_t> input_shape(const std::string& name) const;
  std::vector<std::int64_t> output_shape(const std::string& name) const;
  // Settings that reached no layer (shadowed by a more specific one): legal, but worth a look.
  const std::vector<std::string>& warnings() const;

  // The bit-exact fixed-point emulator: one array per input ([batch, input shape...] in the
  // model file's layout), one per output. `float_path`: the trained float model instead.
  std::vector<Array> predict(const std::vector<Array>& inputs, bool float_path = false) const;

  // What `backend` would build: latency, interval and resources.
  Estimate estimate(const std::string& backend = "hls") const;

  // Writes the project of `backend` into `dir`; `top` names its top (default: the model's name).
  ProjectInfo convert(const std::string& dir, const std::string& backend = "hls",
                      const std::string& top = "") const;

  // The configured model as nnfpga's JSON IR (readable by Model::read from a .json file).
  std::string to_json() const;

 private:
  struct Impl;
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Simulates a project written by Model::convert (the backend is read from the project) on random
// and adversarial inputs and compares every output with the emulator: g++ C simulation for HLS,
// Verilator for Verilog.
VerifyResult verify(const std::string& project_dir, const VerifyOptions& options = {});

}  // namespace nnfpga
