// The backends from Python: write a project, check it against the emulator (csim, rtlsim),
// estimate latency and resources, and read vendor reports back. Dicts cross as JSON text where
// the C++ side already has a JSON form.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>

#include "arrays.hpp"
#include "backend/backend.hpp"
#include "backend/hls/csim_library.hpp"
#include "backend/hls/reference_samples.hpp"
#include "bindings.hpp"
#include "nnfpga/error.hpp"
#include "report/project_reports.hpp"

namespace nb = nanobind;

namespace nnfpga::python {
namespace {

nb::dict write_project(const ir::Graph& graph, const std::string& dir, const std::string& top,
                       const std::string& backend_name) {
  const backend::Backend& b = backend::find_backend(backend_name);
  backend::WrittenProject p;
  {
    nb::gil_scoped_release unlocked;
    p = b.write(graph, dir, {.top = top});
  }
  nb::dict d;
  d["backend"] = p.backend;
  d["dir"] = p.dir;
  d["top"] = p.top;
  d["files"] = p.files;
  d["summary"] = p.summary;
  d["estimate_json"] = p.estimate.json.dump();
  return d;
}

// The backend's verification (csim for HLS, rtlsim for Verilog) as JSON text: `runs` (one per
// simulation, each with samples, outputs, differing, timing_errors, first_difference), `ok`,
// `text` (what the CLI prints) and `details` (the backend's own report).
std::string verify_project(const std::string& dir, std::int64_t samples, std::uint64_t seed,
                           bool require_amd, bool sanitize) {
  const backend::Backend* b = backend::project_backend(dir);
  if (b == nullptr) {
    throw Error(ErrorKind::kInput, dir + " holds no project written by nnfpga convert");
  }
  backend::VerifyReport r;
  {
    nb::gil_scoped_release unlocked;
    r = b->verify(
        dir, {.samples = samples, .seed = seed, .require_amd = require_amd, .sanitize = sanitize});
  }
  nlohmann::json runs = nlohmann::json::array();
  for (const backend::VerifyRun& run : r.runs) {
    runs.push_back({{"simulator", run.simulator},
                    {"samples", run.samples},
                    {"outputs", run.outputs},
                    {"differing", run.differing},
                    {"timing_errors", run.timing_errors},
                    {"first_difference", run.first_difference}});
  }
  return nlohmann::json{
      {"backend", r.backend}, {"runs", runs}, {"ok", r.ok()}, {"text", r.text}, {"details", r.json}}
      .dump();
}

}  // namespace

void bind_project(nb::module_& m) {
  m.def("write_project", &write_project, nb::arg("graph"), nb::arg("dir"), nb::arg("top") = "",
        nb::arg("backend") = "hls",
        "Writes the project of a configured graph with a backend ('hls' or 'verilog'; as `nnfpga "
        "convert`). Returns a dict: backend, dir, top, files, summary, estimate_json.");
  m.def("verify", &verify_project, nb::arg("dir"), nb::arg("samples") = 10000, nb::arg("seed") = 1,
        nb::arg("require_amd") = false, nb::arg("sanitize") = false,
        "Simulates a written project (g++ C simulation for HLS, Verilator for Verilog) and "
        "compares it with the emulator (as `nnfpga csim` / `nnfpga rtlsim`). Returns JSON text: "
        "backend, runs, ok, text, details.");
  m.def(
      "backends",
      [] {
        std::vector<std::string> names;
        for (const backend::Backend* b : backend::all_backends()) names.emplace_back(b->name());
        return names;
      },
      "The backends of this build, by name.");
  m.def(
      "build_csim_library",
      [](const std::string& dir, bool amd_headers) {
        nb::gil_scoped_release unlocked;
        return backend::hls::build_csim_library(
            dir, backend::hls::CsimLibraryOptions{.amd_headers = amd_headers});
      },
      nb::arg("dir"), nb::arg("amd_headers") = false,
      "Compiles a written project's firmware and C bridge into a shared library with g++ and "
      "returns its path (the C functions nnfpga_bridge_*; see docs/hls.md).");
  m.def(
      "reference_inputs",
      [](const ir::Graph& g, std::int64_t samples, std::uint64_t seed) {
        backend::hls::ReferenceSamples r = backend::hls::make_reference_samples(g, samples, seed);
        return to_numpy(std::move(r.inputs), {r.samples, r.input_width});
      },
      nb::arg("graph"), nb::arg("samples"), nb::arg("seed") = 1,
      "Random and adversarial inputs for a configured graph (ties, one LSB off, bounds, beyond "
      "them): samples x (all inputs' values), as `nnfpga csim` uses.");
  m.def(
      "estimate_json",
      [](const ir::Graph& g, const std::string& backend) {
        return backend::find_backend(backend).estimate(g).json.dump();
      },
      nb::arg("graph"), nb::arg("backend") = "hls",
      "The latency, interval and resource estimate of a configured graph for a backend.");
  m.def(
      "estimate_table",
      [](const ir::Graph& g, const std::string& backend) {
        return backend::find_backend(backend).estimate(g).table;
      },
      nb::arg("graph"), nb::arg("backend") = "hls", "The estimate as a text table.");
  m.def(
      "report",
      [](const std::string& dir) { return report::format_comparison(report::find_reports(dir)); },
      nb::arg("dir"),
      "The vendor reports of a built project beside the estimate (as `nnfpga report`).");
}

}  // namespace nnfpga::python
