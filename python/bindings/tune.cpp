// nnfpga tune from Python: the search of src/tune/ on a canonical graph, its result as the JSON
// text of front.json (plus every evaluated point), which the Python layer turns into a config
// dict and a DataFrame. The GIL is released during the search, and taken back only to call the
// Python side: the progress callback and, with a Dask client, the measurer that sends batches of
// configurations to the cluster (python/nnfpga/_dask.py), whose workers answer with TuneWorker.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "nnfpga/error.hpp"
#include "tune/report_json.hpp"
#include "tune/tune.hpp"

namespace nb = nanobind;

namespace nnfpga::python {
namespace {

// The Python object nnfpga._dask.DaskMeasurer as the search's RemoteMeasurer. A Python exception
// it raises (a worker's error, an interrupt) propagates as itself.
class PythonMeasurer : public tune::RemoteMeasurer {
 public:
  explicit PythonMeasurer(nb::object measurer) : measurer_(std::move(measurer)) {}
  ~PythonMeasurer() override {
    nb::gil_scoped_acquire locked;
    measurer_.reset();
  }

  void start(const nlohmann::json& context, const tune::Dataset& search) override {
    nb::gil_scoped_acquire locked;
    nb::list arrays;
    for (const emulate::Array& a : search.inputs) arrays.append(to_numpy(a));
    nb::object labels = nb::none();
    if (search.labels) labels = nb::cast(*search.labels);
    measurer_.attr("start")(context.dump(), arrays, labels);
  }

  std::vector<tune::Measurement> measure(const std::vector<config::Tree>& configs) override {
    nb::gil_scoped_acquire locked;
    nb::list texts;
    for (const config::Tree& c : configs) texts.append(nb::str(c.dump().c_str()));
    const auto answers = nb::cast<std::vector<std::string>>(measurer_.attr("measure")(texts));
    std::vector<tune::Measurement> out;
    out.reserve(answers.size());
    for (const std::string& a : answers) {
      out.push_back(tune::measurement_from_json(config::parse_json(a, "remote measurement")));
    }
    return out;
  }

 private:
  nb::object measurer_;
};

// progress(dict) from the search thread, under the GIL.
std::function<void(const tune::Progress&)> progress_callback(nb::object progress) {
  auto held = std::shared_ptr<nb::object>(new nb::object(std::move(progress)), [](nb::object* o) {
    nb::gil_scoped_acquire locked;
    delete o;
  });
  return [held](const tune::Progress& p) {
    nb::gil_scoped_acquire locked;
    nb::dict d;
    d["evaluated"] = p.evaluated;
    d["stage"] = p.stage;
    d["best_objective"] = p.best_objective ? nb::cast(*p.best_objective) : nb::none();
    d["best_loss"] = p.best_loss;
    d["elapsed_seconds"] = p.elapsed_seconds;
    d["left_seconds"] = p.left_seconds;
    (*held)(d);
  };
}

std::string tune_graph(const ir::Graph& canonical, const std::string& config_json,
                       const std::vector<InputArray>& inputs,
                       const std::optional<std::vector<std::int64_t>>& labels,
                       double max_accuracy_drop, double max_error, const std::string& error,
                       const std::string& backend, const std::string& objective, double dsp_weight,
                       double bram_weight, std::int64_t max_latency, std::int64_t max_interval,
                       bool search_reuse, double holdout, std::uint64_t seed, int integer_margin,
                       int start_fraction, bool allow_qat_changes, double threshold, int threads,
                       nb::object measurer, nb::object progress) {
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
  if (!measurer.is_none()) o.remote = std::make_shared<PythonMeasurer>(std::move(measurer));
  if (!progress.is_none()) o.progress = progress_callback(std::move(progress));
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

void init_worker(tune::RemoteWorker* self, const std::string& context_json,
                 const std::vector<InputArray>& inputs,
                 const std::optional<std::vector<std::int64_t>>& labels) {
  tune::Dataset data;
  for (const InputArray& in : inputs) data.inputs.push_back(to_array(in));
  data.labels = labels;
  nb::gil_scoped_release unlocked;
  new (self) tune::RemoteWorker(context_json, std::move(data));
}

}  // namespace

void bind_tune(nb::module_& m) {
  m.def("tune", &tune_graph, nb::arg("graph"), nb::arg("config_json"), nb::arg("inputs"),
        nb::arg("labels").none(), nb::arg("max_accuracy_drop"), nb::arg("max_error"),
        nb::arg("error"), nb::arg("backend"), nb::arg("objective"), nb::arg("dsp_weight"),
        nb::arg("bram_weight"), nb::arg("max_latency"), nb::arg("max_interval"),
        nb::arg("search_reuse"), nb::arg("holdout"), nb::arg("seed"), nb::arg("integer_margin"),
        nb::arg("start_fraction"), nb::arg("allow_qat_changes"), nb::arg("threshold"),
        nb::arg("threads"), nb::arg("measurer").none(), nb::arg("progress").none(),
        "Runs nnfpga tune on a canonical graph (see nnfpga.tune); returns front.json's text "
        "with every evaluated point under 'points'. measurer: None, or an object whose "
        "start(context_json, arrays, labels) and measure(config_texts) -> measurement_texts "
        "evaluate elsewhere (nnfpga._dask); progress: None or a callable taking a dict.");
  nb::class_<tune::RemoteWorker>(m, "TuneWorker",
                                 "The worker side of a remote tune: rebuilt from the context "
                                 "and the search data once, then measures configurations.")
      .def("__init__", &init_worker, nb::arg("context_json"), nb::arg("inputs"),
           nb::arg("labels").none())
      .def(
          "measure",
          [](const tune::RemoteWorker& w, const std::string& config_json) {
            nb::gil_scoped_release unlocked;
            return w.measure(config_json);
          },
          nb::arg("config_json"),
          "Measures one full configuration (JSON text) on the worker's data; returns the "
          "measurement as JSON text.");
}

}  // namespace nnfpga::python
