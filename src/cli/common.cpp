// Shared CLI plumbing. This is the one place that maps error kinds to exit codes.
#include "cli/common.hpp"

#include <exception>
#include <iostream>
#include <new>

#include "nnfpga/error.hpp"
#include "nnfpga/nnfpga.hpp"

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

bool is_configured(const ir::Graph& graph) {
  if (graph.nodes.empty()) return false;
  for (const ir::Node& node : graph.nodes) {
    if (node.types.empty()) return false;
  }
  return true;
}

}  // namespace

void add_model_options(CLI::App& command, ModelOptions& options, bool with_config) {
  command
      .add_option("MODEL", options.model,
                  "the model: .onnx, Keras .keras/.h5 (or a Keras .json with <name>.weights.h5 "
                  "beside it), or nnfpga's .json IR")
      ->required();
  if (!with_config) return;
  add_repeated(command, "-c,--config", options.configs,
               "a configuration file (.yml, .yaml or .json); repeat to overlay several");
  add_repeated(command, "--set", options.sets,
               "one configuration assignment KEY=VALUE, e.g. 'Model.ReuseFactor=4' or "
               "'LayerName.fc1.Precision.weight=ap_fixed<8,3>'; applied after -c; repeatable");
}

CLI::Option* add_repeated(CLI::App& command, const std::string& name,
                          std::vector<std::string>& values, const std::string& help) {
  return command.add_option(name, values, help)->allow_extra_args(false);
}

config::Tree config_tree(const ModelOptions& options) {
  config::Tree tree = config::Tree::object();
  for (const std::string& path : options.configs) {
    tree = config::merge(std::move(tree), config::load_file(path));
  }
  for (const std::string& assignment : options.sets) config::apply_assignment(tree, assignment);
  return tree;
}

ir::Graph load_model(const ModelOptions& options) {
  ir::Graph graph = read_model(options.model);
  if (options.configs.empty() && options.sets.empty() && is_configured(graph)) return graph;
  configure(graph, config_tree(options));
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
