// nnfpga tune: search every layer's types (and reuse factors under a latency bound) for the
// cheapest configuration within a quality bound; print the front, write config.yml and the front.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/model_io.hpp"
#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/labels.hpp"
#include "cli/table.hpp"
#include "cli/tune_dask.hpp"
#include "cli/tune_files.hpp"
#include "nnfpga/error.hpp"
#include "tune/tune.hpp"

namespace nnfpga::cli {
namespace {

struct TuneCliOptions {
  ModelOptions model;
  std::vector<std::string> data;
  std::string labels;
  std::string output = "nnfpga_tune";
  std::string part;
  double clock_period = 0;
  std::string error_measure = "relative";
  std::string objective = "weighted";
  std::int64_t max_latency = 0;
  std::int64_t max_interval = 0;
  std::string dask;
  tune::TuneOptions tune;
};

config::Tree base_config(const TuneCliOptions& o) {
  config::Tree tree = config::Tree::object();
  for (const std::string& file : o.model.configs) {
    tree = config::merge(std::move(tree), config::load_file(file));
  }
  for (const std::string& assignment : o.model.sets) config::apply_assignment(tree, assignment);
  if (!o.part.empty()) config::apply_assignment(tree, "Part=" + o.part);
  if (o.clock_period > 0) {
    config::apply_assignment(tree, "ClockPeriod=" + fmt::format("{}", o.clock_period));
  }
  return tree;
}

// One line, rewritten in place on a terminal; at most one line every 5 s into a log.
std::function<void(const tune::Progress&)> progress_printer() {
  const bool terminal = isatty(STDERR_FILENO) != 0;
  auto last = std::make_shared<double>(0.0);
  return [terminal, last](const tune::Progress& p) {
    if (p.elapsed_seconds - *last < (terminal ? 0.2 : 5.0)) return;
    *last = p.elapsed_seconds;
    const std::string best =
        p.best_objective ? fmt::format("best {:.0f} (loss {:.3g})", *p.best_objective, p.best_loss)
                         : std::string("no feasible point yet");
    std::cerr << fmt::format(
        "{}tune [{}]: {} points evaluated, {}, {:.1f} s, about {:.0f} s left "
        "at most{}",
        terminal ? "\r" : "", p.stage, p.evaluated, best, p.elapsed_seconds, p.left_seconds,
        terminal ? "   " : "\n");
  };
}

std::string front_table(const tune::TuneResult& r) {
  Table t({"id", "stage", r.quality_name, "loss", "objective", "LUT", "DSP", "FF", "BRAM18",
           "latency", "II", ""});
  std::vector<int> ids = r.front;
  constexpr std::size_t kRows = 30;
  const std::size_t more = ids.size() > kRows ? ids.size() - kRows : 0;
  if (more > 0) ids.resize(kRows);
  for (int extra : {r.chosen, r.baseline}) {
    if (std::find(ids.begin(), ids.end(), extra) == ids.end()) ids.push_back(extra);
  }
  for (int id : ids) {
    const tune::Point& p = r.points.at(id);
    std::string mark = id == r.chosen ? "chosen" : id == r.baseline ? "baseline" : "";
    if (!p.feasible()) mark += mark.empty() ? "fails bound" : ", fails bound";
    t.add({std::to_string(id), p.stage, fmt::format("{:.4g}", p.quality),
           fmt::format("{:.3g}", p.loss), fmt::format("{:.0f}", p.objective),
           std::to_string(p.resources.lut), std::to_string(p.resources.dsp),
           std::to_string(p.resources.ff), std::to_string(p.resources.bram18),
           std::to_string(p.resources.latency_cycles), std::to_string(p.resources.interval_cycles),
           mark});
  }
  std::string text = t.str();
  if (more > 0) text += fmt::format("({} more points of the front in front.csv)\n", more);
  return text;
}

std::string holdout_text(const tune::TuneResult& r, const tune::HoldoutReport& h,
                         const std::string& what) {
  std::int64_t result = 0;
  std::int64_t accum = 0;
  std::string layers;
  for (const emulate::LayerOverflow& o : h.overflows) {
    result += o.result_overflows;
    accum += o.accum_overflows;
    if (o.result_overflows + o.accum_overflows > 0) {
      layers +=
          fmt::format(" {} ({} result, {} accum);", o.layer, o.result_overflows, o.accum_overflows);
    }
  }
  const bool accuracy = r.quality_name == "accuracy";
  return fmt::format(
      "{} on the holdout ({} samples): {} {:.4f}{} -> loss {:.4g} ({}); "
      "overflows: {} result, {} accum{}\n",
      what, h.samples, r.quality_name, h.quality,
      accuracy ? fmt::format(" (float {:.4f})", h.float_quality) : "", h.loss,
      h.meets_constraint ? "within the bound" : "OUTSIDE the bound", result, accum,
      layers.empty() ? "" : ":" + layers);
}

void run_tune_command(TuneCliOptions& o) {
  o.tune.objective.kind = tune::parse_objective(o.objective);
  o.tune.quality.error_measure =
      o.error_measure == "absolute" ? tune::ErrorMeasure::kAbsolute : tune::ErrorMeasure::kRelative;
  if (o.max_latency > 0) o.tune.max_latency = o.max_latency;
  if (o.max_interval > 0) o.tune.max_interval = o.max_interval;
  o.tune.progress = progress_printer();
  const char* env_python = std::getenv("NNFPGA_PYTHON");
  const std::string python = env_python ? env_python : "python3";
  const ir::Graph canonical = read_model(o.model.model, weights_file(o.model));
  tune::Dataset data;
  data.inputs = read_inputs(canonical, o.data);
  if (!o.labels.empty()) data.labels = read_labels(o.labels, batch_of(data.inputs));
  // After the model and the data: a mistake there is reported without waiting for a cluster.
  if (!o.dask.empty()) o.tune.remote = dask_measurer(o.dask, python);
  const tune::TuneResult r = tune::run_tune(canonical, base_config(o), data, o.tune);
  if (isatty(STDERR_FILENO) != 0 && r.seconds >= 0.2) std::cerr << '\n';
  for (const std::string& note : r.notes) std::cout << "note: " << note << '\n';
  std::cout << fmt::format(
                   "{} points evaluated in {:.1f} s on {} search samples; the front ({} "
                   "points; loss = {}, objective = {}):\n",
                   r.points.size(), r.seconds, r.search_samples, r.front.size(),
                   r.quality_name == "accuracy" ? "accuracy drop in points" : r.quality_name,
                   tune::to_string(o.tune.objective.kind))
            << front_table(r) << '\n'
            << holdout_text(r, r.holdout, "chosen")
            << holdout_text(r, r.baseline_holdout, "baseline ap_fixed<16,6>");
  const tune::Point& chosen = r.points.at(r.chosen);
  const tune::Point& base = r.points.at(r.baseline);
  if (r.search_best != r.chosen) {
    std::cout << fmt::format(
        "the search part alone would choose point {} (objective {:.0f}); point {} is the "
        "cheapest that also meets the bound on the holdout (validation) part ({} points "
        "checked there)\n",
        r.search_best, r.points.at(r.search_best).objective, r.chosen, r.validated_points);
  }
  if (base.objective > 0) {
    std::cout << fmt::format(
        "objective {:.0f} vs {:.0f} for uniform ap_fixed<16,6>: {:.1f}% less\n", chosen.objective,
        base.objective, 100.0 * (1.0 - chosen.objective / base.objective));
  }
  const WrittenTuneFiles files = write_tune_files(o.output, r, o.tune, python);
  std::cout << files.summary;
  if (!files.warning.empty()) std::cerr << "nnfpga: warning: " << files.warning << '\n';
}

}  // namespace

Command add_tune_command(CLI::App& app) {
  auto o = std::make_shared<TuneCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "tune",
      "Search every layer's types (and reuse factors under a latency bound) for the cheapest "
      "configuration within a quality bound; write config.yml and the Pareto front");
  add_model_options(*cmd, o->model);
  add_repeated(*cmd, "--data", o->data,
               "calibration/search data (.npy or .csv), first axis the batch; once per model "
               "input")
      ->required();
  cmd->add_option("--labels", o->labels,
                  "class labels (.npy or .csv; indices or one-hot): the bound is then an "
                  "accuracy drop; without, an output error against the float model");
  cmd->add_option("-o,--output", o->output, "directory for config.yml and the front")
      ->capture_default_str();
  cmd->add_option("--max-accuracy-drop", o->tune.quality.max_accuracy_drop,
                  "with labels: the accuracy lost against the float model, in percentage points")
      ->capture_default_str();
  cmd->add_option("--max-error", o->tune.quality.max_error,
                  "without labels: the bound of the output error (see --error)")
      ->capture_default_str();
  cmd->add_option("--error", o->error_measure,
                  "without labels: relative (||fixed-float||_2 / ||float||_2 over all outputs) "
                  "or absolute (max |fixed-float|)")
      ->capture_default_str()
      ->check(CLI::IsMember({"relative", "absolute"}));
  cmd->add_option("--holdout", o->tune.holdout_fraction,
                  "the fraction of the samples held out of the search, to check the choice on")
      ->capture_default_str();
  cmd->add_option("--seed", o->tune.seed, "seed of the search/holdout split")
      ->capture_default_str();
  cmd->add_option("--backend", o->tune.backend, "whose estimate is the objective: hls or verilog")
      ->capture_default_str()
      ->check(CLI::IsMember({"hls", "verilog"}));
  cmd->add_option("--part", o->part,
                  "FPGA part (default: the configuration's, else "
                  "xcvu13p-flga2577-2-e)");
  cmd->add_option("--clock-period", o->clock_period,
                  "clock period in ns (default: the configuration's, else 5)");
  cmd->add_option("--max-latency", o->max_latency,
                  "bound on the estimated latency in cycles (0: none); with a bound, reuse "
                  "factors and strategies are searched too")
      ->capture_default_str();
  cmd->add_option("--max-interval", o->max_interval,
                  "bound on the estimated initiation interval in cycles (0: none)")
      ->capture_default_str();
  cmd->add_option("--objective", o->objective,
                  "what to minimize: lut, dsp, ff, bram, or weighted = LUT + dsp-weight x DSP + "
                  "bram-weight x BRAM18")
      ->capture_default_str()
      ->check(CLI::IsMember({"lut", "dsp", "ff", "bram", "weighted"}));
  cmd->add_option("--dsp-weight", o->tune.objective.dsp_weight, "LUTs per DSP in weighted")
      ->capture_default_str();
  cmd->add_option("--bram-weight", o->tune.objective.bram_weight, "LUTs per BRAM18 in weighted")
      ->capture_default_str();
  cmd->add_option("--integer-margin", o->tune.integer_margin_bits,
                  "integer bits added to what the calibration range of each result needs")
      ->capture_default_str();
  cmd->add_option("--start-fraction", o->tune.start_fraction_bits,
                  "fraction bits of the wide starting point (retried with 8 more if it fails)")
      ->capture_default_str();
  cmd->add_flag("--search-reuse", o->tune.search_reuse,
                "search reuse factors and strategies even without a latency bound");
  cmd->add_flag("--allow-qat-changes", o->tune.allow_qat_changes,
                "also search the types a quantization-aware model declares (kept by default)");
  cmd->add_option("--threshold", o->tune.quality.threshold,
                  "for a single-output (binary) classifier: class 1 when the output reaches this")
      ->capture_default_str();
  cmd->add_option("--threads", o->tune.threads, "evaluations in parallel (0: all cores)")
      ->capture_default_str();
  cmd->add_option("--dask", o->dask,
                  "run the evaluations on the Dask cluster whose scheduler is at this address "
                  "(tcp://host:8786), through NNFPGA_PYTHON (default python3) with nnfpga and "
                  "dask.distributed installed; the result is the local one");
  return {cmd, [o] { run_tune_command(*o); }};
}

}  // namespace nnfpga::cli
