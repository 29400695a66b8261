// The result of a search as files: the front as CSV, the whole result as JSON (front.json),
// both deterministic apart from the measured wall time.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tune/tune.hpp"

namespace nnfpga::tune {

// One point's measures and a short text of its configuration.
nlohmann::json point_json(const Point& p);

// The front's points (and the chosen and baseline points, flagged), one row each.
std::string front_csv(const TuneResult& result);

// Everything: options, float quality, baseline, chosen point with its holdout report, the front
// with each point's per-layer configuration, and the count of evaluated points.
nlohmann::json to_json(const TuneResult& result, const TuneOptions& options);

}  // namespace nnfpga::tune
