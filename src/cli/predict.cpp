// nnfpga predict: run the emulator on a batch and write the outputs.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/run_options.hpp"
#include "cli/table.hpp"
#include "emulate/emulator.hpp"
#include "io/array_io.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct PredictOptions {
  ModelOptions model;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  bool float_path = false;
  bool overflows = false;
  RunFlags run;
};

// Creates the folder an output file goes into, as trace and convert create theirs.
void make_parent_directory(const std::string& file) {
  const std::filesystem::path parent = std::filesystem::path(file).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec || !std::filesystem::is_directory(parent)) {
    throw Error(ErrorKind::kInput,
                "cannot create the folder " + parent.string() + " for the output: " + ec.message(),
                {.file = file});
  }
}

void run_predict(const PredictOptions& o) {
  const ir::Graph graph = load_model(o.model);
  if (o.outputs.size() != graph.outputs.size()) {
    throw Error(ErrorKind::kInput, "the model has " + std::to_string(graph.outputs.size()) +
                                       " output(s) but " + std::to_string(o.outputs.size()) +
                                       " output file(s) were given: give -o once per output");
  }
  const std::vector<emulate::Array> inputs = read_inputs(graph, o.inputs, o.run.array_layout());
  const io::Dtype dtype = o.run.file_dtype();
  const emulate::Emulator emulator(graph);
  const emulate::RunResult result = emulate::run_in_layout(emulator, inputs, o.run.run_options(),
                                                           o.float_path, o.run.array_layout());
  for (std::size_t i = 0; i < o.outputs.size(); ++i) {
    make_parent_directory(o.outputs[i]);
    io::write_array(o.outputs[i], result.outputs.at(i), dtype);
  }
  if (o.overflows) {
    if (o.float_path) {
      std::cout << "no overflow counts: --float runs without quantization\n";
    } else {
      std::cout << overflow_table(graph, result.overflows);
    }
  }
}

}  // namespace

Command add_predict_command(CLI::App& app) {
  auto options = std::make_shared<PredictOptions>();
  CLI::App* cmd = app.add_subcommand(
      "predict", "Run the model on a batch (bit-exact fixed point, or --float) and save outputs");
  add_model_options(*cmd, options->model);
  add_repeated(*cmd, "-i,--input", options->inputs,
               "input batch (.npy or .csv), first axis the batch; once per model input")
      ->required();
  add_repeated(*cmd, "-o,--output", options->outputs,
               "where to write the outputs (.npy or .csv); once per model output")
      ->required();
  cmd->add_flag("--float", options->float_path,
                "run in double precision with the trained parameters, without quantization");
  cmd->add_flag("--overflows", options->overflows,
                "print the per-layer overflow counts as a table on stdout");
  add_run_flags(*cmd, options->run, /*with_dtype=*/true);
  return {cmd, [options] { run_predict(*options); }};
}

}  // namespace nnfpga::cli
