// The per-op-family cost functions behind estimate_hls, and what they are given.
#pragma once

#include "estimate/estimate.hpp"

namespace nnfpga::estimate {

struct CostInput {
  const ir::Graph& graph;
  const ir::Node& node;
  const DspFamily& family;
  double clock_period_ns;
  const plan::LayerPlan& layer;  // the interval and parallelism the plan chose
  const fixed::FixedType& input_type(std::size_t k) const {
    return graph.at(node.inputs.at(k)).type("result");
  }
};

using CostFunction = LayerEstimate (*)(const CostInput& in);

CostFunction find_cost_function(ir::OpKind kind);  // nullptr when there is none

LayerEstimate dense_cost(const CostInput& in);           // dense_cost.cpp
LayerEstimate relu_family_cost(const CostInput& in);     // activation_cost.cpp
LayerEstimate table_function_cost(const CostInput& in);  // activation_cost.cpp
LayerEstimate softmax_cost(const CostInput& in);         // activation_cost.cpp
LayerEstimate batchnorm_cost(const CostInput& in);       // activation_cost.cpp
LayerEstimate quantize_cost(const CostInput& in);        // activation_cost.cpp
LayerEstimate threshold_cost(const CostInput& in);       // activation_cost.cpp
LayerEstimate merge_cost(const CostInput& in);           // merge_cost.cpp
LayerEstimate prelu_cost(const CostInput& in);           // merge_cost.cpp
LayerEstimate hard_sigmoid_cost(const CostInput& in);    // merge_cost.cpp
LayerEstimate free_cost(const CostInput& in);  // wiring only: Input, Flatten, Reshape, Concatenate

}  // namespace nnfpga::estimate
