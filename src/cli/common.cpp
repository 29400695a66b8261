// Shared CLI plumbing. This is the one place that maps error kinds to exit codes.
#include "cli/common.hpp"

#include <exception>
#include <iostream>
#include <new>
#include <string>

#include "api/model_io.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInput:
      return kExitInput;
    case ErrorKind::kUnsupported:
      return kExitUnsupported;
    case ErrorKind::kConfig:
      return kExitConfig;
    case ErrorKind::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

void print_error(const std::string& message) {
  std::cout.flush();  // keep what was already printed ahead of the error
  std::cerr << "nnfpga: error: " << message << '\n';
}

}  // namespace

void add_model_options(CLI::App& command, ModelOptions& options, bool with_config) {
  command
      .add_option("MODEL", options.model,
                  "the model: .onnx, Keras .keras/.h5, a Keras architecture .json (its weights "
                  "<name>_weights.h5, <name>.weights.h5 or <name>.h5 beside it, or --weights), "
                  "or nnfpga's .json IR")
      ->required();
  command.add_option("--weights", options.weights,
                     "the weights file (HDF5, from save_weights) of a Keras architecture .json, "
                     "instead of the one beside it");
  if (!with_config) return;
  add_repeated(command, "-c,--config", options.configs,
               "a configuration file (.yml, .yaml or .json); repeat to overlay several");
  add_repeated(command, "--set", options.sets,
               "one configuration assignment KEY=VALUE, e.g. 'Model.ReuseFactor=4' or "
               "'LayerName.fc1.Precision.weight=ap_fixed<8,3>'; applied after -c; repeatable");
}

CLI::Option* add_repeated(CLI::App& command, const std::string& name,
                          std::vector<std::string>& values, const std::string& help) {
  // One value per occurrence, every occurrence kept: the help shows `TEXT`, not `TEXT ...`,
  // which would suggest that several values may follow one flag.
  return command.add_option(name, values, help)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

std::string weights_file(const ModelOptions& options) {
  const std::string file = weights_file_for(options.model, options.weights);
  if (file.empty() || !options.weights.empty()) return file;
  std::string note = "nnfpga: note: reading the weights from " + file + ", found beside " +
                     options.model + " (--weights FILE to read others)";
  for (const std::string& other : keras_weights_candidates(options.model)) {
    if (other != file) note += "; " + other + " is there too, not read";
  }
  std::cerr << note << '\n';
  return file;
}

ir::Graph load_model(const ModelOptions& options) {
  std::vector<std::string> warnings;
  ir::Graph graph = nnfpga::load_model(options.model, options.configs, options.sets, &warnings,
                                       weights_file(options));
  for (const std::string& warning : warnings) std::cerr << "nnfpga: warning: " << warning << '\n';
  return graph;
}

int run_guarded(const std::function<void()>& body) {
  try {
    body();
    return kExitOk;
  } catch (const Error& e) {
    print_error(e.kind() == ErrorKind::kInternal ? std::string("internal error: ") + e.what()
                                                 : std::string(e.what()));
    return exit_code(e.kind());
  } catch (const std::bad_alloc&) {
    print_error("out of memory");
    return kExitInternal;
  } catch (const std::exception& e) {
    print_error(std::string("internal error: ") + e.what());
    return kExitInternal;
  }
}

int report_parse_error(const CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(error);  // --help and friends: prints the help on stdout
  }
  print_error(error.what());
  std::cerr << "Run with --help for more information.\n";
  return kExitUsage;
}

}  // namespace nnfpga::cli
