// The JSON both sides of a remote evaluation speak, and the worker that answers it.
#include "tune/remote.hpp"

#include <tuple>

#include "ir/json_io.hpp"
#include "nnfpga/error.hpp"
#include "tune/evaluator.hpp"
#include "tune/tune.hpp"

namespace nnfpga::tune {
namespace {

nlohmann::json quality_json(const QualitySpec& q) {
  return {{"max_accuracy_drop", q.max_accuracy_drop},
          {"error_measure", q.error_measure == ErrorMeasure::kAbsolute ? "absolute" : "relative"},
          {"max_error", q.max_error},
          {"threshold", q.threshold}};
}

QualitySpec quality_from_json(const nlohmann::json& j) {
  QualitySpec q;
  q.max_accuracy_drop = j.at("max_accuracy_drop").get<double>();
  q.error_measure = j.at("error_measure").get<std::string>() == "absolute"
                        ? ErrorMeasure::kAbsolute
                        : ErrorMeasure::kRelative;
  q.max_error = j.at("max_error").get<double>();
  q.threshold = j.at("threshold").get<double>();
  return q;
}

// nlohmann's own exceptions name a key but not what was being read: say it.
template <typename Read>
auto reading(const char* what, Read read) {
  try {
    return read();
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kInput, std::string("a remote tune ") + what +
                                       " that this version of nnfpga cannot read: " + e.what());
  }
}

}  // namespace

nlohmann::json measurement_json(const Measurement& m) {
  nlohmann::json overflows = nlohmann::json::array();
  for (const emulate::LayerOverflow& o : m.overflows) {
    overflows.push_back(
        {o.layer, o.values, o.result_overflows, o.accum_overflows, o.quantizer_clips});
  }
  return {{"quality", m.quality},
          {"loss", m.loss},
          {"meets_quality", m.meets_quality},
          {"output_error", m.output_error},
          {"resources",
           {m.resources.lut, m.resources.dsp, m.resources.ff, m.resources.bram18,
            m.resources.latency_cycles, m.resources.interval_cycles}},
          {"overflows", overflows}};
}

Measurement measurement_from_json(const nlohmann::json& j) {
  return reading("measurement", [&j] {
    Measurement m;
    m.quality = j.at("quality").get<double>();
    m.loss = j.at("loss").get<double>();
    m.meets_quality = j.at("meets_quality").get<bool>();
    m.output_error = j.at("output_error").get<double>();
    const nlohmann::json& r = j.at("resources");
    m.resources = {r.at(0).get<std::int64_t>(), r.at(1).get<std::int64_t>(),
                   r.at(2).get<std::int64_t>(), r.at(3).get<std::int64_t>(),
                   r.at(4).get<std::int64_t>(), r.at(5).get<std::int64_t>()};
    for (const nlohmann::json& o : j.at("overflows")) {
      m.overflows.push_back({o.at(0).get<std::string>(), o.at(1).get<std::int64_t>(),
                             o.at(2).get<std::int64_t>(), o.at(3).get<std::int64_t>(),
                             o.at(4).get<std::int64_t>()});
    }
    return m;
  });
}

nlohmann::json remote_context(const ir::Graph& canonical, const config::Tree& base,
                              const std::optional<config::Tree>& reference,
                              const TuneOptions& options) {
  return {{"graph", ir::to_json(canonical)},
          {"base", base},
          {"reference", reference ? *reference : nlohmann::json()},
          {"quality", quality_json(options.quality)},
          {"backend", options.backend}};
}

RemoteWorker::RemoteWorker(const std::string& context_json, Dataset search) {
  const nlohmann::json context = config::parse_json(context_json, "remote tune context");
  const auto [graph, base, reference] = reading("context", [&context] {
    return std::tuple{context.at("graph"), context.at("base"), context.at("reference")};
  });
  canonical_ = std::make_unique<ir::Graph>(ir::graph_from_json(graph));
  options_ = std::make_unique<TuneOptions>(reading("context", [&context] {
    TuneOptions o;
    o.quality = quality_from_json(context.at("quality"));
    o.backend = context.at("backend").get<std::string>();
    o.threads = 1;  // a Dask worker thread is one core; the results do not depend on it
    return o;
  }));
  evaluator_ = std::make_unique<Evaluator>(*canonical_, base, std::move(search), *options_);
  if (!reference.is_null()) evaluator_->use_reference_config(reference);
}

RemoteWorker::~RemoteWorker() = default;

std::string RemoteWorker::measure(const std::string& config_json) const {
  return measurement_json(
             evaluator_->measure_config(config::parse_json(config_json, "remote tune config")))
      .dump();
}

}  // namespace nnfpga::tune
