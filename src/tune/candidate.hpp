// A point of the search space: per layer, the types of the searched kinds and the reuse factor
// and strategy, written over the user's base configuration as LayerName entries.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "fixed/fixed_type.hpp"
#include "ir/graph.hpp"

namespace nnfpga::tune {

struct LayerChoice {
  std::map<std::string, fixed::FixedType> types;  // by precision key: weight, bias, result
  int reuse_factor = 0;                           // 0: not set (the base configuration's)
  std::string strategy;                           // "" : not set
  bool operator==(const LayerChoice&) const = default;
};

struct Candidate {
  std::map<std::string, LayerChoice> layers;  // by layer name
  std::string model_precision;  // Model.Precision over the base (the uniform baseline); "" none
  bool operator==(const Candidate&) const = default;
};

// The configuration of `candidate`: `base` with a LayerName entry per chosen layer (inside
// HLSConfig when the base uses that wrapper).
config::Tree to_config(const config::Tree& base, const Candidate& candidate);

// A short text of the candidate's choices ("layer_0: w<6,1> b<8,2> r<9,4> rf2"), for tables.
std::string describe(const Candidate& candidate);

// One searched type: a layer's weight, bias or result.
struct Knob {
  std::string layer;
  std::string kind;       // "weight", "bias", "result"
  bool is_signed = true;  // unsigned when no value of the range is negative
  int integer = 1;        // integer bits of the start: the range's need plus the margin
  int floor_integer = 1;  // the range's own need: the refinement may drop the margin
};

// The searched knobs of a configured graph: weight and bias of every layer with parameters, the
// result of every layer that computes its own (not Flatten/Reshape), except the kinds a
// quantization-aware model declares (unless `allow_qat_changes`). Integer bits come from the
// parameters' and the calibration `ranges` (largest magnitude, and whether any value is
// negative), plus `margin_bits` on results. `notes` receives what was left alone and why.
struct ValueRange {
  double max_abs = 0;
  bool negative = false;
};
std::vector<Knob> make_knobs(const ir::Graph& configured,
                             const std::map<std::string, ValueRange>& ranges, int margin_bits,
                             bool allow_qat_changes, std::vector<std::string>& notes);

// Every knob at its calibrated integer bits and `fraction_bits` fraction bits (the widths kept
// within 1..64): the safe wide start of the search.
Candidate wide_candidate(const std::vector<Knob>& knobs, int fraction_bits);

// The integer bits a type needs to hold magnitudes up to `max_abs` (a signed type holds
// [-2^(I-1), 2^(I-1)), an unsigned one [0, 2^I)).
int integer_bits_for(double max_abs, bool is_signed);

}  // namespace nnfpga::tune
