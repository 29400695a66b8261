// nnfpga show: the IR after canonicalization and configuration, and with --resolved the
// resolved configuration and the implementation plan; the pipeline's passes (--passes) and the IR
// after one of them (--after).
#include <iomanip>
#include <iostream>
#include <memory>

#include "api/model_io.hpp"
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "ir/json_io.hpp"
#include "ir/printer.hpp"
#include "nnfpga/error.hpp"
#include "passes/passes.hpp"
#include "plan/plan.hpp"

namespace nnfpga::cli {
namespace {

struct ShowOptions {
  ModelOptions model;
  bool resolved = false;
  std::string json;
  bool passes = false;
  std::string after;
};

// --passes: the pipeline in order, one pass a line, from the one list in passes/pipeline.cpp.
void print_passes() {
  const passes::Pass* previous = nullptr;
  for (const passes::Pass& pass : passes::pipeline()) {
    if (previous == nullptr || previous->canonicalization != pass.canonicalization) {
      std::cout << (pass.canonicalization
                        ? "canonicalization, in rounds until the graph stops changing:\n"
                        : "after configuration:\n");
    }
    std::cout << "  " << std::left << std::setw(28) << pass.name << ' ' << pass.description << '\n';
    previous = &pass;
  }
}

// --after PASS: the IR right after PASS's first run. A canonicalization pass shows the graph
// before configuration, which -c, --set and --resolved would contradict.
void run_show_after(const ShowOptions& o) {
  const passes::Pass& pass = passes::find_pass(o.after);
  if (pass.canonicalization && (!o.model.configs.empty() || !o.model.sets.empty() || o.resolved)) {
    throw Error(ErrorKind::kInput, "--after " + o.after +
                                       " shows the graph before configuration: drop -c, --set "
                                       "and --resolved, or use --after quantize_parameters");
  }
  const ir::Graph graph = pass.canonicalization
                              ? read_model_through(o.model.model, pass, weights_file(o.model))
                              : load_model(o.model);
  std::cout << "# after " << pass.name << '\n' << ir::print(graph);
  if (!o.json.empty()) ir::save_json(graph, o.json);
}

void run_show(const ShowOptions& o) {
  if (o.passes) return print_passes();
  if (!o.after.empty()) return run_show_after(o);
  const ir::Graph graph = load_model(o.model);
  std::cout << ir::print(graph);
  if (o.resolved) {
    std::cout << "\n# resolved configuration\n" << config::to_yaml(config::resolved_config(graph));
    std::cout << "\n# implementation plan\n" << plan::to_text(plan::make_plan(graph));
  }
  if (!o.json.empty()) ir::save_json(graph, o.json);
}

// --passes needs no MODEL; everything else does.
void add_pipeline_options(CLI::App& cmd, ShowOptions& o) {
  CLI::Option* passes =
      cmd.add_flag("--passes", o.passes, "list the passes in pipeline order, and exit");
  cmd.add_option("--after", o.after,
                 "print the IR right after this pass's first run (names: --passes)");
  CLI::Option* model = cmd.get_option("MODEL");
  model->required(false);
  passes->excludes(model);
  cmd.parse_complete_callback([&o] {
    if (!o.passes && o.model.model.empty()) throw CLI::RequiredError("MODEL");
  });
}

}  // namespace

Command add_show_command(CLI::App& app) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* cmd = app.add_subcommand(
      "show", "Print the model's IR after canonicalization and configuration (types, settings)");
  add_model_options(*cmd, options->model);
  cmd->add_flag("--resolved", options->resolved,
                "also print the resolved per-layer configuration, as YAML, and the "
                "implementation plan (interval, parallelism, how each tensor travels)");
  cmd->add_option("--json", options->json,
                  "save the configured IR as JSON (loadable again as MODEL)");
  add_pipeline_options(*cmd, *options);
  return {cmd, [options] { run_show(*options); }};
}

}  // namespace nnfpga::cli
