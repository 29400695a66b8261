// The HLS backend from Python: write the project, check its C simulation against the emulator,
// estimate latency and resources, and read vendor reports back. Dicts cross as JSON text where
// the C++ side already has a JSON form.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>

#include "arrays.hpp"
#include "backend/hls/csim_library.hpp"
#include "backend/hls/reference_samples.hpp"
#include "bindings.hpp"
#include "estimate/estimate.hpp"
#include "nnfpga/nnfpga.hpp"
#include "report/project_reports.hpp"

namespace nb = nanobind;

namespace nnfpga::python {
namespace {

nb::dict write_project(const ir::Graph& graph, const std::string& dir, const std::string& top) {
  const Project p = convert(graph, dir, ProjectOptions{.top = top});
  nb::dict d;
  d["dir"] = p.dir;
  d["top"] = p.top;
  d["files"] = p.files;
  d["estimate_json"] = estimate::to_json(p.estimate).dump();
  return d;
}

nb::dict run_csim(const std::string& dir, std::int64_t samples, std::uint64_t seed,
                  bool require_amd, bool sanitize) {
  CsimReport report;
  {
    nb::gil_scoped_release unlocked;
    report = csim(
        dir,
        CsimOptions{
            .samples = samples, .seed = seed, .require_amd = require_amd, .sanitize = sanitize});
  }
  nb::list runs;
  for (const backend::hls::CsimRun& r : report.runs) {
    nb::dict run;
    run["headers"] = r.headers;
    run["include_dir"] = r.include_dir;
    run["samples"] = r.samples;
    run["outputs"] = r.outputs;
    run["differing"] = r.differing;
    run["first_difference"] = r.first_difference;
    runs.append(run);
  }
  nb::dict d;
  d["runs"] = runs;
  d["note"] = report.note;
  d["all_identical"] = report.all_identical();
  return d;
}

}  // namespace

void bind_project(nb::module_& m) {
  m.def("write_project", &write_project, nb::arg("graph"), nb::arg("dir"), nb::arg("top") = "",
        "Writes the HLS project of a configured graph (as `nnfpga convert`). Returns a dict: "
        "dir, top, files, estimate_json.");
  m.def("csim", &run_csim, nb::arg("dir"), nb::arg("samples") = 10000, nb::arg("seed") = 1,
        nb::arg("require_amd") = false, nb::arg("sanitize") = false,
        "Builds a written project's test bench with g++ and compares it with the emulator (as "
        "`nnfpga csim`). Returns a dict: runs (one per header set), note, all_identical.");
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
      [](const ir::Graph& g) { return estimate::to_json(estimate::estimate_hls(g)).dump(); },
      nb::arg("graph"), "The latency, interval and resource estimate of a configured graph.");
  m.def(
      "estimate_table",
      [](const ir::Graph& g) { return estimate::format_table(estimate::estimate_hls(g)); },
      nb::arg("graph"), "The estimate as a text table.");
  m.def(
      "report",
      [](const std::string& dir) { return report::format_comparison(report::find_reports(dir)); },
      nb::arg("dir"),
      "The vendor reports of a built project beside the estimate (as `nnfpga report`).");
}

}  // namespace nnfpga::python
