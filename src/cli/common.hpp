// What every subcommand shares: exit codes, turning exceptions into messages, and loading a model
// with its configuration (-c files and --set assignments).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "ir/graph.hpp"

namespace nnfpga::cli {

// Exit codes, documented in docs/cli.md; scripts rely on them.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;        // command-line syntax (CLI11's errors)
inline constexpr int kExitInput = 2;        // ErrorKind::kInput: a file or argument is malformed
inline constexpr int kExitUnsupported = 3;  // ErrorKind::kUnsupported
inline constexpr int kExitConfig = 4;       // ErrorKind::kConfig
inline constexpr int kExitInternal = 70;    // a bug (EX_SOFTWARE)

// A subcommand: its CLI11 node and what to run when it was given. Options live in state captured
// by `run`, filled in by the parse.
struct Command {
  CLI::App* app = nullptr;
  std::function<void()> run;
};

// The model argument and its configuration, shared by every command that loads a model.
struct ModelOptions {
  std::string model;
  std::string weights;               // --weights: a Keras architecture .json's weights file
  std::vector<std::string> configs;  // -c files, merged in order
  std::vector<std::string> sets;     // --set KEY=VALUE, applied after the files
};

// Adds the positional MODEL and --weights, and -c/--config and --set unless `with_config` is
// false.
void add_model_options(CLI::App& command, ModelOptions& options, bool with_config = true);

// Adds a repeatable option whose every occurrence takes exactly one value ("-i a.npy -i b.npy"),
// so that it never swallows the positional MODEL after it.
CLI::Option* add_repeated(CLI::App& command, const std::string& name,
                          std::vector<std::string>& values, const std::string& help);

// The file the model's weights are read from: --weights, else the file found beside a Keras
// architecture .json (said on stderr, with any other candidate left aside); "" for a model file
// that holds its own weights.
std::string weights_file(const ModelOptions& options);

// Reads and configures the model (api/model_io.hpp's load_model), printing a warning for each
// setting that reached no layer.
ir::Graph load_model(const ModelOptions& options);

// Runs a command body, turning nnfpga::Error and other exceptions into "nnfpga: error: ..." on
// stderr and the matching exit code.
int run_guarded(const std::function<void()>& body);

// Reports a CLI11 parse error: help and similar requests print and exit 0, real usage errors
// print "nnfpga: error: ..." and exit kExitUsage.
int report_parse_error(const CLI::App& app, const CLI::ParseError& error);

}  // namespace nnfpga::cli
