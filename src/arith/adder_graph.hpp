// A constant matrix-vector product as a network of two-input adders over shifted, signed terms:
// the multiplier-free form the Verilog backend writes for a Dense layer. Integers only; the
// caller has already scaled inputs and weights to integer codes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace nnfpga::arith {

// ±(source << shift). `source` < n_inputs names an input; n_inputs + k names adders[k].
struct Term {
  int source = 0;
  int shift = 0;  // >= 0
  bool negate = false;
  bool operator==(const Term&) const = default;
};

// value = a + b, each a Term (so a - b, b - a and -(a + b) are all one adder).
struct Adder {
  Term a;
  Term b;
};

struct AdderGraph {
  int n_inputs = 0;
  std::vector<Adder> adders;                 // topologically ordered: terms name earlier sources
  std::vector<std::optional<Term>> outputs;  // nullopt: the output is the constant 0
};

// y[j] = sum_i x[i] * matrix[i][j], the layout a Dense layer stores (inputs × outputs).
using ConstantMatrix = std::vector<std::vector<std::int64_t>>;

// Every output of `graph` for the integer inputs `x` (exact, in 128 bits).
std::vector<__int128> evaluate(const AdderGraph& graph, std::span<const std::int64_t> x);

// The adder depth of every source (inputs 0, an adder 1 + the deeper of its terms), and of every
// output (0 for a constant or a bare input term).
std::vector<int> source_depths(const AdderGraph& graph);
std::vector<int> output_depths(const AdderGraph& graph);

// The baseline with no sharing: each output sums the canonical-signed-digit terms of its column
// in a balanced tree (the minimal depth, ceil(log2(terms))). What an optimizer is measured
// against.
AdderGraph csd_adder_graph(const ConstantMatrix& matrix);

}  // namespace nnfpga::arith
