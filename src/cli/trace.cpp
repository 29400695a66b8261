// nnfpga trace: every layer's output of a run, saved as one .npy per layer, with a summary table.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/file_names.hpp"
#include "cli/inputs.hpp"
#include "cli/run_options.hpp"
#include "cli/table.hpp"
#include "emulate/emulator.hpp"
#include "io/array_io.hpp"
#include "ir/tensor.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct TraceOptions {
  ModelOptions model;
  std::vector<std::string> inputs;
  std::string directory;
  bool float_path = false;
  bool compare = false;
  RunFlags run;
};

double max_abs_difference(const emulate::Array& a, const emulate::Array& b) {
  double worst = 0;
  const std::size_t n = std::min(a.data.size(), b.data.size());
  for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(a.data[i] - b.data[i]));
  return worst;
}

void make_directory(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec || !std::filesystem::is_directory(path)) {
    throw Error(ErrorKind::kInput, "cannot create the output directory: " + ec.message(),
                {.file = path});
  }
}

std::vector<std::string> table_row(const std::string& layer, const emulate::Array& a) {
  std::string lo = "-", hi = "-";
  if (!a.data.empty()) {
    const auto [mn, mx] = std::minmax_element(a.data.begin(), a.data.end());
    lo = format_number(*mn);
    hi = format_number(*mx);
  }
  return {layer, ir::to_string(a.shape), lo, hi};
}

void run_trace(const TraceOptions& o) {
  const ir::Graph graph = load_model(o.model);
  const std::vector<emulate::Array> inputs = read_inputs(graph, o.inputs, o.run.array_layout());
  const emulate::Emulator emulator(graph);
  const emulate::RunOptions options = o.run.run_options(/*trace=*/true);
  const emulate::ArrayLayout layout = o.run.array_layout();
  const emulate::RunResult result =
      emulate::run_in_layout(emulator, inputs, options, o.float_path, layout);
  emulate::RunResult reference;
  if (o.compare) reference = emulate::run_in_layout(emulator, inputs, options, true, layout);

  std::map<std::string, emulate::LayerOverflow> overflows;
  for (const auto& ov : result.overflows) overflows[ov.layer] = ov;
  std::vector<std::string> header = {"layer", "shape", "min", "max"};
  if (!o.float_path) {
    header.insert(header.end(), {"result_overflows", "accum_overflows", "quantizer_clips"});
  }
  if (o.compare) header.push_back("max_abs_diff_vs_float");
  Table table(header);

  make_directory(o.directory);
  FileNamer namer;
  nlohmann::json index = {{"layers", nlohmann::json::array()}};
  const io::Dtype dtype = o.run.file_dtype();
  for (std::size_t i = 0; i < result.trace.size(); ++i) {
    const auto& [layer, array] = result.trace[i];
    const std::string file = namer.stem_for(layer) + ".npy";
    io::write_array((std::filesystem::path(o.directory) / file).string(), array, dtype);
    index["layers"].push_back({{"layer", layer}, {"file", file}, {"shape", array.shape}});
    std::vector<std::string> row = table_row(layer, array);
    if (!o.float_path) {
      const auto it = overflows.find(layer);
      row.push_back(it == overflows.end() ? "-" : std::to_string(it->second.result_overflows));
      row.push_back(it == overflows.end() ? "-" : std::to_string(it->second.accum_overflows));
      row.push_back(it == overflows.end() ? "-" : std::to_string(it->second.quantizer_clips));
    }
    if (o.compare) {
      row.push_back(i < reference.trace.size()
                        ? format_number(max_abs_difference(array, reference.trace[i].second))
                        : "-");
    }
    table.add(row);
  }
  const std::string index_path = (std::filesystem::path(o.directory) / "index.json").string();
  std::ofstream index_file(index_path);
  index_file << index.dump(2) << '\n';
  if (!index_file) throw Error(ErrorKind::kInput, "cannot write the file", {.file = index_path});
  std::cout << table.str();
}

}  // namespace

Command add_trace_command(CLI::App& app) {
  auto options = std::make_shared<TraceOptions>();
  CLI::App* cmd = app.add_subcommand(
      "trace", "Save every layer's output of a run as DIR/<layer>.npy and print a summary table");
  add_model_options(*cmd, options->model);
  add_repeated(*cmd, "-i,--input", options->inputs,
               "input batch (.npy or .csv), first axis the batch; once per model input")
      ->required();
  cmd->add_option("-o,--output", options->directory,
                  "directory for the per-layer .npy files and index.json (created if missing)")
      ->required();
  CLI::Option* float_flag = cmd->add_flag(
      "--float", options->float_path, "trace the float run (trained parameters, no quantization)");
  cmd->add_flag("--compare", options->compare,
                "also run in float and print each layer's max |fixed - float|")
      ->excludes(float_flag);
  add_run_flags(*cmd, options->run, /*with_dtype=*/true);
  return {cmd, [options] { run_trace(*options); }};
}

}  // namespace nnfpga::cli
