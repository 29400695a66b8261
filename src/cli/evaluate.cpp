// nnfpga evaluate: accuracy of a classifier in float and in fixed point, their agreement, and where
// the fixed-point model overflows.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/labels.hpp"
#include "cli/run_options.hpp"
#include "cli/table.hpp"
#include "emulate/emulator.hpp"
#include "io/array_io.hpp"
#include "ir/tensor.hpp"
#include "nnfpga/error.hpp"
#include "tune/quality.hpp"

namespace nnfpga::cli {
namespace {

struct EvaluateOptions {
  ModelOptions model;
  std::vector<std::string> inputs;
  std::string labels;
  double threshold = 0.5;
  RunFlags run;
};

std::string fraction(std::int64_t hits, std::int64_t total) {
  const double f = total == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(total);
  return fmt::format("{:.4f} ({}/{})", f, hits, total);
}

std::int64_t count_equal(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) n += a[i] == b[i] ? 1 : 0;
  return n;
}

void run_evaluate(const EvaluateOptions& o) {
  const ir::Graph graph = load_model(o.model);
  if (graph.outputs.size() != 1) {
    throw Error(ErrorKind::kInput, "evaluate needs a classifier with one output; this model has " +
                                       std::to_string(graph.outputs.size()));
  }
  const std::vector<emulate::Array> inputs = read_inputs(graph, o.inputs, o.run.array_layout());
  const std::int64_t batch = batch_of(inputs);
  const std::vector<std::int64_t> labels = read_labels(o.labels, batch);
  const emulate::Emulator emulator(graph);
  const emulate::ArrayLayout layout = o.run.array_layout();
  const emulate::RunResult fixed =
      emulate::run_in_layout(emulator, inputs, o.run.run_options(), false, layout);
  const emulate::RunResult flt =
      emulate::run_in_layout(emulator, inputs, o.run.run_options(), true, layout);
  const std::vector<std::int64_t> fixed_classes =
      tune::classes_of(fixed.outputs.at(0), o.threshold);
  const std::vector<std::int64_t> float_classes = tune::classes_of(flt.outputs.at(0), o.threshold);

  double worst = 0;
  const auto& a = fixed.outputs[0].data;
  const auto& b = flt.outputs[0].data;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    worst = std::max(worst, std::abs(a[i] - b[i]));
  }
  std::cout << "samples:               " << batch << '\n'
            << "float accuracy:        " << fraction(count_equal(float_classes, labels), batch)
            << '\n'
            << "fixed-point accuracy:  " << fraction(count_equal(fixed_classes, labels), batch)
            << '\n'
            << "agreement:             "
            << fraction(count_equal(fixed_classes, float_classes), batch) << '\n'
            << "max |fixed - float|:   " << format_number(worst) << "\n\n"
            << "overflows per layer:\n"
            << overflow_table(graph, fixed.overflows);
}

}  // namespace

Command add_evaluate_command(CLI::App& app) {
  auto options = std::make_shared<EvaluateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate",
      "Classifier accuracy in float and in fixed point, their agreement and the overflow counts");
  add_model_options(*cmd, options->model);
  add_repeated(*cmd, "-i,--input", options->inputs,
               "input batch (.npy or .csv), first axis the batch; once per model input")
      ->required();
  cmd->add_option("-l,--labels", options->labels,
                  "labels (.npy or .csv): class indices [N], or one-hot rows [N, classes]")
      ->required();
  cmd->add_option("--threshold", options->threshold,
                  "for a single-output (binary) classifier: class 1 when the output reaches this")
      ->capture_default_str();
  add_run_flags(*cmd, options->run, /*with_dtype=*/false);
  return {cmd, [options] { run_evaluate(*options); }};
}

}  // namespace nnfpga::cli
