// run_tune: split, calibrate, search, pick, and check the pick on the holdout part.
#include "tune/tune.hpp"

#include <chrono>
#include <optional>

#include "tune/evaluator.hpp"
#include "tune/search.hpp"
#include "tune/split.hpp"
#include "tune/validate.hpp"

namespace nnfpga::tune {
namespace {

HoldoutReport on_holdout(const Evaluator& holdout, const Candidate& candidate) {
  Measurement m = holdout.measure(candidate);
  HoldoutReport r;
  r.samples = holdout.samples();
  r.quality = m.quality;
  r.loss = m.loss;
  r.float_quality = holdout.float_quality();
  r.meets_constraint = m.meets_quality;
  r.overflows = std::move(m.overflows);
  return r;
}

bool keeps_declared_types(const ir::Graph& graph, const TuneOptions& options) {
  if (options.allow_qat_changes) return false;
  for (const ir::Node& node : graph.nodes) {
    if (!node.declared_types.empty()) return true;
  }
  return false;
}

}  // namespace

TuneResult run_tune(const ir::Graph& canonical, const config::Tree& base, const Dataset& data,
                    const TuneOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  Split split = split_dataset(data, options.holdout_fraction, options.seed);
  Evaluator searching(canonical, base, std::move(split.search), options);
  Evaluator holding_out(canonical, base, std::move(split.holdout), options);

  TuneResult result;
  const std::vector<Knob> knobs =
      make_knobs(searching.configured(Candidate{}), searching.float_ranges(),
                 options.integer_margin_bits, options.allow_qat_changes, result.notes);
  std::optional<config::Tree> reference_config;
  if (keeps_declared_types(canonical, options)) {
    const Candidate reference = wide_candidate(knobs, options.start_fraction_bits + 8);
    reference_config = to_config(base, reference);
    searching.use_reference(reference);
    holding_out.use_reference(reference);
    result.notes.push_back(
        "the model declares types (quantization-aware training): the reference is the model "
        "with those types and every other one wide (" +
        std::to_string(options.start_fraction_bits + 8) +
        " fraction bits), not the float path, which ignores its quantizers");
  }
  if (options.remote) {
    options.remote->start(remote_context(canonical, base, reference_config, options),
                          searching.data());
    searching.use_remote(options.remote);
  }
  const Candidate baseline{.model_precision = kBaselinePrecision};
  SearchOutcome outcome = search(searching, knobs, baseline, options);

  result.points = std::move(outcome.points);
  result.notes.insert(result.notes.end(), outcome.notes.begin(), outcome.notes.end());
  result.front = pareto_front(result.points);
  const ValidatedPick pick = pick_validated(result.points, holding_out, options.threads);
  result.chosen = pick.chosen;
  result.search_best = pick.search_best;
  result.validated_points = pick.checked;
  if (!pick.validated) {
    result.notes.push_back(
        "none of the " + std::to_string(pick.checked) +
        " points that meet the bound on the search part meets it on the holdout (validation) "
        "part: chose the one with the smallest loss there; more data, or a tighter bound, "
        "would help");
  }
  result.baseline = 0;  // the search evaluates the baseline first
  const Candidate& chosen = result.points.at(result.chosen).candidate;
  result.config = to_config(base, chosen);
  result.holdout = on_holdout(holding_out, chosen);
  result.baseline_holdout = on_holdout(holding_out, baseline);
  result.quality_name = searching.quality_name();
  result.float_quality = searching.float_quality();
  result.search_samples = searching.samples();
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace nnfpga::tune
