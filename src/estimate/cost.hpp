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
  bool streaming = false;        // a dataflow process: one position at a time
  const fixed::FixedType& input_type(std::size_t k) const {
    return graph.at(node.inputs.at(k)).type("result");
  }
};

using CostFunction = LayerEstimate (*)(const CostInput& in);

CostFunction find_cost_function(ir::OpKind kind);  // nullptr when there is none
// The same, throwing nnfpga::Error (kUnsupported) naming the node when there is none.
CostFunction cost_function_of(const ir::Node& node);

// Registers a layer's cost function does not count: `values` output values, once per cycle of
// latency (0 for a node without a result type).
std::int64_t output_registers(const ir::Node& node, std::int64_t values, std::int64_t latency);
void add_to_total(LayerEstimate& total, const LayerEstimate& e);

// estimate_hls for a dataflow plan (stream_estimate.cpp): `m` holds the part and clock.
ModelEstimate estimate_dataflow(const ir::Graph& graph, const plan::Plan& plan,
                                const DspFamily& family, ModelEstimate m);

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
LayerEstimate conv_cost(const CostInput& in);  // window_cost.cpp: Conv, DepthwiseConv
LayerEstimate pool_cost(const CostInput& in);  // window_cost.cpp: the pools, global ones too
LayerEstimate relayout_cost(const CostInput& in);  // window_cost.cpp: padding, cropping, ...

}  // namespace nnfpga::estimate
