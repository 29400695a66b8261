// Evaluations run elsewhere (a Dask cluster, nnfpga.tune(client=)): the search loop stays here
// and hands each batch of configurations to a RemoteMeasurer; a RemoteWorker on the other side
// measures them exactly as the local Evaluator would. Everything crosses as JSON text (the IR's
// own round trip, nlohmann's shortest round-tripping doubles), so a remote point is bit for bit
// the local one and the search takes the same path.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "emulate/emulator.hpp"
#include "ir/graph.hpp"
#include "tune/quality.hpp"

namespace nnfpga::tune {

struct TuneOptions;
struct Dataset;
class Evaluator;

// The measurement of one candidate on one part of the data.
struct Measurement {
  double quality = 0;
  double loss = 0;
  bool meets_quality = false;
  double output_error = 0;  // relative, against the reference
  Resources resources;
  std::vector<emulate::LayerOverflow> overflows;
};

nlohmann::json measurement_json(const Measurement& m);
// Throws nnfpga::Error (kInput) when `j` is not what measurement_json writes.
Measurement measurement_from_json(const nlohmann::json& j);

// What a worker needs besides the data, as one JSON object: the canonical graph (IR JSON), the
// base configuration, the reference's configuration (a quantization-aware model; null: the float
// model), the quality bound and the backend.
nlohmann::json remote_context(const ir::Graph& canonical, const config::Tree& base,
                              const std::optional<config::Tree>& reference,
                              const TuneOptions& options);

// The search's side: run_tune calls start() once with the context and the search part of the
// data, then measure() per batch of full configurations (the base with the candidate's
// LayerName entries), and expects the measurements in the same order.
class RemoteMeasurer {
 public:
  virtual ~RemoteMeasurer() = default;
  virtual void start(const nlohmann::json& context, const Dataset& search) = 0;
  virtual std::vector<Measurement> measure(const std::vector<config::Tree>& configs) = 0;
};

// The worker's side: rebuilds the graph, the options and the Evaluator from the context (the
// float reference run once, here), then measures configurations on its own copy of the data.
// measure() is const and thread-safe.
class RemoteWorker {
 public:
  RemoteWorker(const std::string& context_json, Dataset search);
  ~RemoteWorker();
  RemoteWorker(const RemoteWorker&) = delete;
  RemoteWorker& operator=(const RemoteWorker&) = delete;

  // config_json: one full configuration; returns measurement_json's text.
  std::string measure(const std::string& config_json) const;

 private:
  std::unique_ptr<ir::Graph> canonical_;
  std::unique_ptr<TuneOptions> options_;
  std::unique_ptr<Evaluator> evaluator_;
};

}  // namespace nnfpga::tune
