// Rows of the front: id, stage, quality, loss, objective, resources, latency, interval, flags.
#include "tune/report_json.hpp"

#include <fmt/format.h>

#include <set>

namespace nnfpga::tune {
nlohmann::json point_json(const Point& p) {
  return {{"id", p.id},
          {"stage", p.stage},
          {"quality", p.quality},
          {"loss", p.loss},
          {"output_error", p.output_error},
          {"objective", p.objective},
          {"lut", p.resources.lut},
          {"dsp", p.resources.dsp},
          {"ff", p.resources.ff},
          {"bram18", p.resources.bram18},
          {"latency_cycles", p.resources.latency_cycles},
          {"interval_cycles", p.resources.interval_cycles},
          {"result_overflows", p.result_overflows},
          {"accum_overflows", p.accum_overflows},
          {"meets_constraints", p.feasible()},
          {"config", describe(p.candidate)}};
}

namespace {

nlohmann::json holdout_json(const HoldoutReport& h) {
  nlohmann::json overflows = nlohmann::json::array();
  for (const emulate::LayerOverflow& o : h.overflows) {
    overflows.push_back({{"layer", o.layer},
                         {"values", o.values},
                         {"result", o.result_overflows},
                         {"accum", o.accum_overflows},
                         {"clipped", o.quantizer_clips}});
  }
  return {{"samples", h.samples},
          {"quality", h.quality},
          {"loss", h.loss},
          {"float_quality", h.float_quality},
          {"meets_constraint", h.meets_constraint},
          {"overflows", overflows}};
}

// The ids a table shows: the front, and the chosen and baseline points even when dominated.
std::vector<int> shown_ids(const TuneResult& r) {
  std::vector<int> ids = r.front;
  const std::set<int> on_front(r.front.begin(), r.front.end());
  for (int extra : {r.chosen, r.baseline}) {
    if (extra >= 0 && !on_front.contains(extra)) ids.push_back(extra);
  }
  return ids;
}

}  // namespace

std::string front_csv(const TuneResult& r) {
  const std::set<int> on_front(r.front.begin(), r.front.end());
  std::string csv =
      "id,stage,quality,loss,objective,lut,dsp,ff,bram18,latency_cycles,interval_cycles,"
      "meets_constraints,on_front,chosen,baseline\n";
  for (int id : shown_ids(r)) {
    const Point& p = r.points.at(id);
    csv += fmt::format(
        "{},{},{:.6g},{:.6g},{:.6g},{},{},{},{},{},{},{},{},{},{}\n", p.id, p.stage, p.quality,
        p.loss, p.objective, p.resources.lut, p.resources.dsp, p.resources.ff, p.resources.bram18,
        p.resources.latency_cycles, p.resources.interval_cycles, p.feasible() ? 1 : 0,
        on_front.contains(id) ? 1 : 0, id == r.chosen ? 1 : 0, id == r.baseline ? 1 : 0);
  }
  return csv;
}

nlohmann::json to_json(const TuneResult& r, const TuneOptions& o) {
  nlohmann::json front = nlohmann::json::array();
  const std::set<int> on_front(r.front.begin(), r.front.end());
  for (int id : shown_ids(r)) {
    nlohmann::json p = point_json(r.points.at(id));
    p["on_front"] = on_front.contains(id);
    front.push_back(p);
  }
  const bool accuracy = r.quality_name == "accuracy";
  return {
      {"quality", r.quality_name},
      {"loss", accuracy ? "points of samples the float model gets right and the fixed point wrong"
                        : r.quality_name},
      {"bound", accuracy ? o.quality.max_accuracy_drop : o.quality.max_error},
      {"objective",
       {{"kind", to_string(o.objective.kind)},
        {"dsp_weight", o.objective.dsp_weight},
        {"bram_weight", o.objective.bram_weight}}},
      {"backend", o.backend},
      {"max_latency", o.max_latency ? nlohmann::json(*o.max_latency) : nlohmann::json()},
      {"max_interval", o.max_interval ? nlohmann::json(*o.max_interval) : nlohmann::json()},
      {"holdout_fraction", o.holdout_fraction},
      {"seed", o.seed},
      {"integer_margin_bits", o.integer_margin_bits},
      {"search_samples", r.search_samples},
      {"float_quality", r.float_quality},
      {"evaluated", r.points.size()},
      {"seconds", r.seconds},
      {"chosen", point_json(r.points.at(r.chosen))},
      {"search_best", point_json(r.points.at(r.search_best))},
      {"validated_points", r.validated_points},
      {"baseline", point_json(r.points.at(r.baseline))},
      {"holdout", holdout_json(r.holdout)},
      {"baseline_holdout", holdout_json(r.baseline_holdout)},
      {"config", r.config},
      {"front", front},
      {"notes", r.notes},
  };
}

}  // namespace nnfpga::tune
