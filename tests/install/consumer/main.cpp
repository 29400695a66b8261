// Reads a model through the installed public API, emulates it, estimates it for every backend,
// writes both projects and verifies each against the emulator; any surprise exits non-zero.
// Usage: consumer MODEL WORK_DIR
#include <nnfpga/nnfpga.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what.c_str());
    ++failures;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: consumer MODEL WORK_DIR\n");
    return 2;
  }
  const std::string model_path = argv[1];
  const std::filesystem::path work = argv[2];
  std::printf("nnfpga %s, backends:", nnfpga::version().c_str());
  for (const std::string& b : nnfpga::backend_names()) std::printf(" %s", b.c_str());
  std::printf("\n");

  const nnfpga::Model model =
      nnfpga::Model::read(model_path, {}, {"Model.Precision=ap_fixed<12,4>"});
  expect(model.input_names().size() == 1 && model.output_names().size() == 1, "one in, one out");
  const std::vector<std::int64_t> in_shape = model.input_shape(model.input_names().front());
  std::int64_t width = 1;
  for (std::int64_t d : in_shape) width *= d;

  // Three samples: zeros, a ramp, and values beyond any 4-integer-bit range (saturation).
  nnfpga::Array x{{3}, std::vector<double>(static_cast<std::size_t>(3 * width))};
  x.shape.insert(x.shape.end(), in_shape.begin(), in_shape.end());
  for (std::int64_t k = 0; k < width; ++k) {
    x.data[static_cast<std::size_t>(width + k)] =
        static_cast<double>(k) / static_cast<double>(width);
    x.data[static_cast<std::size_t>(2 * width + k)] = k % 2 == 0 ? 100.0 : -100.0;
  }
  const std::vector<nnfpga::Array> fixed = model.predict({x});
  const std::vector<nnfpga::Array> real = model.predict({x}, /*float_path=*/true);
  expect(fixed.size() == 1 && fixed.front().shape.front() == 3, "predict: 3 samples out");
  expect(real.size() == 1 && real.front().data.size() == fixed.front().data.size(),
         "the float path has the fixed path's shape");

  for (const std::string& backend : nnfpga::backend_names()) {
    const nnfpga::Estimate e = model.estimate(backend);
    std::printf("%s estimate: latency %lld cycles, interval %lld, %lld LUT, %lld DSP\n",
                backend.c_str(), static_cast<long long>(e.latency_cycles),
                static_cast<long long>(e.interval_cycles), static_cast<long long>(e.lut),
                static_cast<long long>(e.dsp));
    expect(e.latency_cycles > 0 && !e.table.empty() && !e.json.empty(), backend + " estimate");
    const nnfpga::ProjectInfo p = model.convert((work / backend).string(), backend, "consumer");
    expect(p.top == "consumer" && !p.files.empty(), backend + " project written");
    for (const std::string& f : p.files) {
      expect(std::filesystem::exists(work / backend / f), backend + " lists " + f);
    }
    const nnfpga::VerifyResult v = nnfpga::verify(p.dir, {.samples = 300});
    std::printf("%s", v.text.c_str());
    expect(v.backend == backend && v.identical && v.samples == 300 && v.differing == 0,
           backend + " verified bit for bit");
  }

  try {
    (void)nnfpga::Model::read((work / "missing.onnx").string());
    expect(false, "a missing model throws");
  } catch (const nnfpga::Error& e) {
    expect(e.kind() == nnfpga::ErrorKind::kInput,
           std::string("kInput for a missing model: ") + e.what());
  }
  try {
    (void)model.estimate("quartus");
    expect(false, "an unknown backend throws");
  } catch (const nnfpga::Error& e) {
    expect(std::string(e.what()).find("hls") != std::string::npos, "the message lists backends");
  }
  std::printf(failures == 0 ? "consumer: all checks passed\n" : "consumer: %d failed\n", failures);
  return failures == 0 ? 0 : 1;
}
