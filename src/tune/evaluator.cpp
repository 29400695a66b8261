// One evaluation = configure + emulate + estimate; nothing here computes on values itself.
#include "tune/evaluator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

#include "api/model_io.hpp"
#include "backend/verilog/estimate_rtl.hpp"
#include "emulate/source_layout.hpp"
#include "estimate/estimate.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::tune {
namespace {

emulate::RunOptions single_thread(bool trace) {
  emulate::RunOptions options;
  options.trace = trace;
  options.threads = 1;
  return options;
}

std::int64_t total(const std::vector<emulate::LayerOverflow>& layers,
                   std::int64_t emulate::LayerOverflow::*field) {
  std::int64_t n = 0;
  for (const emulate::LayerOverflow& l : layers) n += l.*field;
  return n;
}

}  // namespace

Evaluator::Evaluator(const ir::Graph& canonical, config::Tree base, Dataset data,
                     const TuneOptions& options)
    : canonical_(canonical), base_(std::move(base)), data_(std::move(data)), options_(options) {
  const emulate::Emulator emulator(configured(Candidate{}));
  emulate::RunOptions run;
  run.threads = options_.threads;
  reference_ = emulate::run_in_layout(emulator, data_.inputs, run, /*float_path=*/true,
                                      emulate::ArrayLayout::kSource)
                   .outputs;
  if (data_.labels) {
    float_classes_ = classes_of(reference_.at(0), options_.quality.threshold);
    float_quality_ = accuracy(float_classes_, *data_.labels);
  }
}

void Evaluator::use_reference(const Candidate& candidate) {
  use_reference_graph(configured(candidate));
}

void Evaluator::use_reference_config(const config::Tree& full) {
  ir::Graph graph = canonical_;
  configure(graph, full);
  use_reference_graph(graph);
}

void Evaluator::use_reference_graph(const ir::Graph& graph) {
  const emulate::Emulator emulator(graph);
  emulate::RunOptions run;
  run.threads = options_.threads;
  reference_ = emulate::run_in_layout(emulator, data_.inputs, run, /*float_path=*/false,
                                      emulate::ArrayLayout::kSource)
                   .outputs;
  if (data_.labels) {
    float_classes_ = classes_of(reference_.at(0), options_.quality.threshold);
    float_quality_ = accuracy(float_classes_, *data_.labels);
  }
}

std::int64_t Evaluator::samples() const {
  return data_.inputs.empty() || data_.inputs[0].shape.empty() ? 0 : data_.inputs[0].shape[0];
}

std::string Evaluator::quality_name() const {
  if (data_.labels) return "accuracy";
  return options_.quality.error_measure == ErrorMeasure::kRelative ? "relative error"
                                                                   : "absolute error";
}

ir::Graph Evaluator::configured(const Candidate& candidate) const {
  ir::Graph graph = canonical_;
  configure(graph, to_config(base_, candidate));
  return graph;
}

std::map<std::string, ValueRange> Evaluator::float_ranges() const {
  const emulate::Emulator emulator(configured(Candidate{}));
  emulate::RunOptions run;
  run.trace = true;
  run.threads = options_.threads;
  const emulate::RunResult traced = emulate::run_in_layout(
      emulator, data_.inputs, run, /*float_path=*/true, emulate::ArrayLayout::kSource);
  std::map<std::string, ValueRange> ranges;
  for (const auto& [layer, values] : traced.trace) {
    ValueRange& r = ranges[layer];
    for (double v : values.data) {
      r.max_abs = std::max(r.max_abs, std::abs(v));
      r.negative = r.negative || v < 0;
    }
  }
  return ranges;
}

Resources Evaluator::estimate(const ir::Graph& graph) const {
  Resources r;
  if (options_.backend == "verilog") {
    const backend::verilog::VerilogEstimate e = backend::verilog::estimate_verilog(graph);
    r.lut = e.lut;
    r.dsp = e.dsp;
    r.ff = e.ff;
    r.latency_cycles = e.latency_cycles;
    r.interval_cycles = 1;  // the pipelined RTL takes a sample every cycle
    return r;
  }
  if (options_.backend != "hls") {
    throw Error(ErrorKind::kInput,
                "unknown backend '" + options_.backend + "' for tune: use hls or verilog");
  }
  const estimate::ModelEstimate e = estimate::estimate_hls(graph);
  r.lut = e.total.lut;
  r.dsp = e.total.dsp;
  r.ff = e.total.ff;
  r.bram18 = e.total.bram18;
  r.latency_cycles = e.total.latency_cycles;
  r.interval_cycles = e.total.interval;
  return r;
}

Measurement Evaluator::measure(const Candidate& candidate) const {
  return measure_graph(configured(candidate));
}

Measurement Evaluator::measure_config(const config::Tree& full) const {
  ir::Graph graph = canonical_;
  configure(graph, full);
  return measure_graph(graph);
}

Measurement Evaluator::measure_graph(const ir::Graph& graph) const {
  const emulate::Emulator emulator(graph);
  emulate::RunResult run = emulate::run_in_layout(emulator, data_.inputs, single_thread(false),
                                                  false, emulate::ArrayLayout::kSource);
  Measurement m;
  if (data_.labels) {
    const std::vector<std::int64_t> classes =
        classes_of(run.outputs.at(0), options_.quality.threshold);
    m.quality = accuracy(classes, *data_.labels);
    m.loss = 100.0 * lost_fraction(float_classes_, classes, *data_.labels);
    // A tolerance below one sample in a million keeps 0.5 points from failing on rounding.
    m.meets_quality = m.loss <= options_.quality.max_accuracy_drop + 1e-9;
  } else {
    m.quality = output_error(run.outputs, reference_, options_.quality.error_measure);
    m.loss = m.quality;
    m.meets_quality = m.loss <= options_.quality.max_error;
  }
  m.output_error = output_error(run.outputs, reference_, ErrorMeasure::kRelative);
  m.resources = estimate(graph);
  m.overflows = std::move(run.overflows);
  return m;
}

Point Evaluator::evaluate(const Candidate& candidate) const {
  return to_point(candidate, measure(candidate));
}

Point Evaluator::to_point(const Candidate& candidate, Measurement m) const {
  Point p;
  p.candidate = candidate;
  p.quality = m.quality;
  p.loss = m.loss;
  p.meets_quality = m.meets_quality;
  p.output_error = m.output_error;
  p.resources = m.resources;
  p.objective = objective_value(options_.objective, m.resources);
  p.result_overflows = total(m.overflows, &emulate::LayerOverflow::result_overflows);
  p.accum_overflows = total(m.overflows, &emulate::LayerOverflow::accum_overflows);
  p.meets_timing =
      (!options_.max_latency || m.resources.latency_cycles <= *options_.max_latency) &&
      (!options_.max_interval || m.resources.interval_cycles <= *options_.max_interval);
  return p;
}

std::vector<Point> Evaluator::evaluate_remotely(const std::vector<Candidate>& candidates) const {
  std::vector<config::Tree> configs;
  configs.reserve(candidates.size());
  for (const Candidate& c : candidates) configs.push_back(to_config(base_, c));
  std::vector<Measurement> measured = remote_->measure(configs);
  if (measured.size() != candidates.size()) {
    throw Error(ErrorKind::kInternal,
                fmt::format("the remote evaluation returned {} measurements for {} "
                            "configurations",
                            measured.size(), candidates.size()));
  }
  std::vector<Point> points;
  points.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    points.push_back(to_point(candidates[i], std::move(measured[i])));
  }
  return points;
}

std::vector<Point> Evaluator::evaluate_all(const std::vector<Candidate>& candidates) const {
  if (remote_ && !candidates.empty()) return evaluate_remotely(candidates);
  std::vector<Point> points(candidates.size());
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t wanted = options_.threads > 0 ? static_cast<std::size_t>(options_.threads)
                                                  : static_cast<std::size_t>(cores);
  const std::size_t workers = std::min(wanted, candidates.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (std::size_t i = next++; i < candidates.size(); i = next++) {
      try {
        points[i] = evaluate(candidates[i]);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return points;
}

}  // namespace nnfpga::tune
