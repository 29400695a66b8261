// nnfpga tune from Python: the search of src/tune/ on a canonical graph, its result as the JSON
// text of front.json (plus every evaluated point), which the Python layer turns into a config
// dict and a DataFrame. The GIL is released during the search.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "nnfpga/error.hpp"
#include "tune/report_json.hpp"
#include "tune/tune.hpp"

namespace nb = nanobind;

namespace nnfpga::python {
namespace {

std::string tune_graph(const ir::Graph& canonical, const std::string& config_json,
                       const std::vector<InputArray>& inputs,
                       const std::optional<std::vector<std::int64_t>>& labels,
                       double max_accuracy_drop, double max_error, const std::string& error,
                       const std::string& backend, const std::string& objective, double dsp_weight,
                       double bram_weight, std::int64_t max_latency, std::int64_t max_interval,
                       bool search_reuse, double holdout, std::uint64_t seed, int integer_margin,
                       int start_fraction, bool allow_qat_changes, double threshold, int threads) {
  if (error != "absolute" && error != "relative") {
    throw Error(ErrorKind::kInput, "error must be 'relative' or 'absolute', not '" + error + "'");
  }
  tune::TuneOptions o;
  o.quality.max_accuracy_drop = max_accuracy_drop;
  o.quality.max_error = max_error;
  o.quality.error_measure =
      error == "absolute" ? tune::ErrorMeasure::kAbsolute : tune::ErrorMeasure::kRelative;
  o.quality.threshold = threshold;
  o.backend = backend;
  o.objective.kind = tune::parse_objective(objective);
  o.objective.dsp_weight = dsp_weight;
  o.objective.bram_weight = bram_weight;
  if (max_latency > 0) o.max_latency = max_latency;
  if (max_interval > 0) o.max_interval = max_interval;
  o.search_reuse = search_reuse;
  o.holdout_fraction = holdout;
  o.seed = seed;
  o.integer_margin_bits = integer_margin;
  o.start_fraction_bits = start_fraction;
  o.allow_qat_changes = allow_qat_changes;
  o.threads = threads;
  tune::Dataset data;
  for (const InputArray& in : inputs) data.inputs.push_back(to_array(in));
  data.labels = labels;
  const config::Tree base =
      config_json.empty() ? config::Tree::object() : config::parse_json(config_json, "hls_config");
  nlohmann::json out;
  {
    nb::gil_scoped_release unlocked;
    const tune::TuneResult r = tune::run_tune(canonical, base, data, o);
    out = tune::to_json(r, o);
    nlohmann::json points = nlohmann::json::array();
    for (const tune::Point& p : r.points) points.push_back(tune::point_json(p));
    out["points"] = points;
  }
  return out.dump();
}

}  // namespace

void bind_tune(nb::module_& m) {
  m.def("tune", &tune_graph, nb::arg("graph"), nb::arg("config_json"), nb::arg("inputs"),
        nb::arg("labels").none(), nb::arg("max_accuracy_drop"), nb::arg("max_error"),
        nb::arg("error"), nb::arg("backend"), nb::arg("objective"), nb::arg("dsp_weight"),
        nb::arg("bram_weight"), nb::arg("max_latency"), nb::arg("max_interval"),
        nb::arg("search_reuse"), nb::arg("holdout"), nb::arg("seed"), nb::arg("integer_margin"),
        nb::arg("start_fraction"), nb::arg("allow_qat_changes"), nb::arg("threshold"),
        nb::arg("threads"),
        "Runs nnfpga tune on a canonical graph (see nnfpga.tune); returns front.json's text "
        "with every evaluated point under 'points'.");
}

}  // namespace nnfpga::python
