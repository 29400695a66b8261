// estimate_hls: each layer's cost from its op family at the plan's parallelism, then the
// model's: latency along the longest path of layers, interval the largest of any layer (the
// plan's), resources summed.
#include "estimate/estimate.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <map>

#include "estimate/cost.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::estimate {

CostFunction find_cost_function(ir::OpKind kind) {
  using K = ir::OpKind;
  switch (kind) {
    case K::kInput:
    case K::kFlatten:
    case K::kReshape:
    case K::kConcatenate:
      return free_cost;
    case K::kDense:
      return dense_cost;
    case K::kRelu:
    case K::kLeakyRelu:
    case K::kClip:
      return relu_family_cost;
    case K::kSigmoid:
    case K::kTanh:
    case K::kElu:
    case K::kSoftsign:
    case K::kSoftplus:
      return table_function_cost;
    case K::kSoftmax:
      return softmax_cost;
    case K::kBatchNorm:
      return batchnorm_cost;
    case K::kAdd:
    case K::kSubtract:
    case K::kMultiply:
    case K::kAverage:
    case K::kMaximum:
    case K::kMinimum:
      return merge_cost;
    case K::kPRelu:
      return prelu_cost;
    case K::kHardSigmoid:
      return hard_sigmoid_cost;
    case K::kQuantize:
      return quantize_cost;
    case K::kThreshold:
      return threshold_cost;
    // No cost model yet (issue 16: the CNN backends come later).
    case K::kConv1D:
    case K::kConv2D:
    case K::kMaxPool1D:
    case K::kMaxPool2D:
    case K::kAveragePool1D:
    case K::kAveragePool2D:
    case K::kGlobalMaxPool1D:
    case K::kGlobalMaxPool2D:
    case K::kGlobalAveragePool1D:
    case K::kGlobalAveragePool2D:
    case K::kZeroPadding1D:
    case K::kZeroPadding2D:
    case K::kCropping1D:
    case K::kCropping2D:
    case K::kUpSampling1D:
    case K::kUpSampling2D:
    case K::kDepthwiseConv1D:
    case K::kDepthwiseConv2D:
    case K::kTranspose:
      return nullptr;
    // No cost model: removed by the passes before any estimate.
    case K::kConstant:
    case K::kMatMul:
    case K::kAddConstant:
    case K::kSubConstant:
    case K::kMulConstant:
    case K::kDivConstant:
    case K::kIdentity:
    case K::kDropout:
      return nullptr;
  }
  return nullptr;  // not reached: the switch names every kind (-Wswitch)
}

DspFamily dsp_family(const std::string& part) {
  std::string p;
  for (char c : part) p += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto starts = [&](const char* prefix) { return p.rfind(prefix, 0) == 0; };
  if (starts("xc7")) return {"7-series (DSP48E1 25x18)", 25, 18};
  if (starts("xcku") || starts("xcvu") || starts("xczu") || starts("xcau") || starts("xck26") ||
      starts("xqzu") || starts("xcu")) {
    return {"UltraScale/UltraScale+ (DSP48E2 27x18)", 27, 18};
  }
  if (starts("xcvc") || starts("xcve") || starts("xcvm") || starts("xcvp") || starts("xcvh")) {
    return {"Versal (DSP58 27x24)", 27, 24};
  }
  throw Error(ErrorKind::kConfig,
              "unknown part family for '" + part +
                  "': the estimates know 7-series (xc7...), UltraScale(+) (xcku, xcvu, xczu, "
                  "xcau...) and Versal (xcvc, xcve, xcvm, xcvp, xcvh) parts",
              {.key = "Part"});
}

ModelEstimate estimate_hls(const ir::Graph& graph) {
  return estimate_hls(graph, plan::make_plan(graph));
}

ModelEstimate estimate_hls(const ir::Graph& graph, const plan::Plan& plan) {
  const plan::LayerPlan kInputLayer;  // a graph input: interval 1, no parallelism to choose
  ModelEstimate m;
  m.part = graph.settings.part;
  const DspFamily family = dsp_family(m.part);
  m.dsp_family = family.name;
  m.clock_period_ns = graph.settings.clock_period_ns;
  std::map<std::string, std::int64_t> finish;  // cycle at which each layer's result is ready
  for (const ir::Node& node : graph.nodes) {
    const CostFunction cost = find_cost_function(node.op);
    if (cost == nullptr) {
      throw Error(ErrorKind::kUnsupported, "no cost model for " + std::string(ir::op_name(node.op)),
                  {.node = node.name});
    }
    if (!ir::merge_is_plain(node)) {  // as the HLS backend, which does not write it yet
      throw Error(ErrorKind::kUnsupported,
                  "no cost model for " + std::string(ir::op_name(node.op)) +
                      (node.op == ir::OpKind::kConcatenate ? " on another axis than the last"
                                                           : " of inputs broadcast to its shape"),
                  {.node = node.name});
    }
    const plan::LayerPlan* layer =
        node.op == ir::OpKind::kInput ? &kInputLayer : &plan.layer(node.name);
    LayerEstimate e = cost({graph, node, family, m.clock_period_ns, *layer});
    e.interval = layer->interval;
    e.layer = node.name;
    e.op = std::string(ir::op_name(node.op));
    std::int64_t start = 0;
    for (const std::string& in : node.inputs) start = std::max(start, finish.at(in));
    finish[node.name] = start + e.latency_cycles;
    m.total.interval = std::max(m.total.interval, e.interval);
    m.total.multipliers += e.multipliers;
    m.total.dsp += e.dsp;
    m.total.lut_multipliers += e.lut_multipliers;
    m.total.lut += e.lut;
    m.total.adders += e.adders;
    m.total.bram18 += e.bram18;
    if (node.op != ir::OpKind::kInput) m.layers.push_back(e);
  }
  for (const std::string& out : graph.outputs) {
    m.total.latency_cycles = std::max(m.total.latency_cycles, finish.at(out));
  }
  m.total.layer = "total";
  return m;
}

namespace {

nlohmann::json layer_json(const LayerEstimate& e, double period) {
  return {{"layer", e.layer},
          {"op", e.op},
          {"latency_cycles", e.latency_cycles},
          {"latency_ns", static_cast<double>(e.latency_cycles) * period},
          {"interval", e.interval},
          {"multipliers", e.multipliers},
          {"dsp", e.dsp},
          {"lut_multipliers", e.lut_multipliers},
          {"lut", e.lut},
          {"adders", e.adders},
          {"bram18", e.bram18}};
}

}  // namespace

nlohmann::json to_json(const ModelEstimate& e) {
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerEstimate& l : e.layers) layers.push_back(layer_json(l, e.clock_period_ns));
  nlohmann::json total = layer_json(e.total, e.clock_period_ns);
  total.erase("op");
  total.erase("layer");
  return {{"part", e.part},
          {"dsp_family", e.dsp_family},
          {"clock_period_ns", e.clock_period_ns},
          {"model", "docs/estimates.md"},
          {"total", total},
          {"layers", layers}};
}

std::string format_table(const ModelEstimate& e) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "estimate for %s (%s), clock %g ns\n", e.part.c_str(),
                e.dsp_family.c_str(), e.clock_period_ns);
  out += line;
  std::snprintf(line, sizeof line, "%-24s %-18s %8s %6s %8s %6s %8s %8s %8s %6s\n", "layer", "op",
                "latency", "II", "mults", "DSP", "LUTmult", "LUT", "adders", "BRAM18");
  out += line;
  auto row = [&](const LayerEstimate& l, const std::string& name, const std::string& op) {
    std::snprintf(line, sizeof line,
                  "%-24s %-18s %8lld %6lld %8lld %6lld %8lld %8lld %8lld %6lld\n",
                  name.substr(0, 24).c_str(), op.c_str(), static_cast<long long>(l.latency_cycles),
                  static_cast<long long>(l.interval), static_cast<long long>(l.multipliers),
                  static_cast<long long>(l.dsp), static_cast<long long>(l.lut_multipliers),
                  static_cast<long long>(l.lut), static_cast<long long>(l.adders),
                  static_cast<long long>(l.bram18));
    out += line;
  };
  for (const LayerEstimate& l : e.layers) row(l, l.layer, l.op);
  row(e.total, "total", "");
  std::snprintf(line, sizeof line, "latency %lld cycles = %.1f ns, initiation interval %lld\n",
                static_cast<long long>(e.total.latency_cycles), e.latency_ns(),
                static_cast<long long>(e.total.interval));
  out += line;
  return out;
}

}  // namespace nnfpga::estimate
