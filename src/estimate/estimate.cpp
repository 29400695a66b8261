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
#include "plan/parallel_size.hpp"

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
    case K::kConv1D:
    case K::kConv2D:
    case K::kDepthwiseConv1D:
    case K::kDepthwiseConv2D:
      return conv_cost;
    case K::kMaxPool1D:
    case K::kMaxPool2D:
    case K::kAveragePool1D:
    case K::kAveragePool2D:
    case K::kGlobalMaxPool1D:
    case K::kGlobalMaxPool2D:
    case K::kGlobalAveragePool1D:
    case K::kGlobalAveragePool2D:
      return pool_cost;
    case K::kZeroPadding1D:
    case K::kZeroPadding2D:
    case K::kCropping1D:
    case K::kCropping2D:
    case K::kUpSampling1D:
    case K::kUpSampling2D:
    case K::kTranspose:
      return relayout_cost;
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

CostFunction cost_function_of(const ir::Node& node) {
  const CostFunction cost = find_cost_function(node.op);
  if (cost == nullptr) {
    throw Error(ErrorKind::kUnsupported, "no cost model for " + std::string(ir::op_name(node.op)),
                {.node = node.name});
  }
  return cost;
}

// Registers a layer's cost functions do not count: its output, once per cycle of latency.
std::int64_t output_registers(const ir::Node& node, std::int64_t values, std::int64_t latency) {
  auto t = node.types.find("result");
  return t == node.types.end() ? 0 : values * t->second.width * std::max<std::int64_t>(1, latency);
}

void add_to_total(LayerEstimate& total, const LayerEstimate& e) {
  total.multipliers += e.multipliers;
  total.dsp += e.dsp;
  total.lut_multipliers += e.lut_multipliers;
  total.lut += e.lut;
  total.adders += e.adders;
  total.bram18 += e.bram18;
  total.ff += e.ff;
}

std::vector<std::string> ModelEstimate::over_capacity() const {
  std::vector<std::string> over;
  if (!capacity) return over;
  auto check = [&](const char* what, std::int64_t used, std::int64_t has) {
    if (used <= has) return;
    char text[96];
    std::snprintf(text, sizeof text, "%s %.1f%% (%lld of %lld)", what,
                  100.0 * static_cast<double>(used) / static_cast<double>(has),
                  static_cast<long long>(used), static_cast<long long>(has));
    over.emplace_back(text);
  };
  check("LUT", total.lut, capacity->lut);
  check("FF", total.ff, capacity->ff);
  check("DSP", total.dsp, capacity->dsp);
  check("BRAM18", total.bram18, capacity->bram18);
  return over;
}

ModelEstimate estimate_hls(const ir::Graph& graph, const plan::Plan& plan) {
  const plan::LayerPlan kInputLayer;  // a graph input: interval 1, no parallelism to choose
  ModelEstimate m;
  m.part = graph.settings.part;
  const DspFamily family = dsp_family(m.part);
  m.dsp_family = family.name;
  m.clock_period_ns = graph.settings.clock_period_ns;
  m.capacity = find_part(m.part);
  m.total.layer = "total";
  if (plan.dataflow) return estimate_dataflow(graph, plan, family, std::move(m));
  std::map<std::string, std::int64_t> finish;  // cycle at which each layer's result is ready
  for (const ir::Node& node : graph.nodes) {
    const CostFunction cost = cost_function_of(node);
    if (!ir::merge_is_plain(node)) {  // as the HLS backend, which does not write it yet
      throw Error(ErrorKind::kUnsupported,
                  "no cost model for " + std::string(ir::op_name(node.op)) +
                      (node.op == ir::OpKind::kConcatenate ? " on another axis than the last"
                                                           : " of inputs broadcast to its shape"),
                  {.node = node.name});
    }
    const plan::LayerPlan* layer =
        node.op == ir::OpKind::kInput ? &kInputLayer : &plan.layer(node.name);
    if (plan.io_type == ir::IOType::kParallel && node.op != ir::OpKind::kInput) {
      const plan::ParallelSize size = plan::parallel_size(node);
      if (!size.fits()) {
        m.too_large_for_io_parallel.push_back(std::string(ir::op_name(node.op)) + " layer '" +
                                              node.name + "': " + size.why());
      }
    }
    LayerEstimate e = cost({graph, node, family, m.clock_period_ns, *layer});
    e.interval = layer->interval;
    e.layer = node.name;
    e.op = std::string(ir::op_name(node.op));
    if (e.ff == 0 && node.op != ir::OpKind::kInput) {
      e.ff = output_registers(node, ir::element_count(node.output_shape), e.latency_cycles);
    }
    std::int64_t start = 0;
    for (const std::string& in : node.inputs) start = std::max(start, finish.at(in));
    finish[node.name] = start + e.latency_cycles;
    m.total.interval = std::max(m.total.interval, e.interval);
    add_to_total(m.total, e);
    if (node.op != ir::OpKind::kInput) m.layers.push_back(e);
  }
  for (const std::string& out : graph.outputs) {
    m.total.latency_cycles = std::max(m.total.latency_cycles, finish.at(out));
  }
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
          {"bram18", e.bram18},
          {"ff", e.ff}};
}

std::string percent(std::int64_t used, std::int64_t has) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%",
                100.0 * static_cast<double>(used) / static_cast<double>(has));
  return text;
}

}  // namespace

nlohmann::json to_json(const ModelEstimate& e) {
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerEstimate& l : e.layers) layers.push_back(layer_json(l, e.clock_period_ns));
  nlohmann::json total = layer_json(e.total, e.clock_period_ns);
  total.erase("op");
  total.erase("layer");
  nlohmann::json j = {{"part", e.part},
                      {"dsp_family", e.dsp_family},
                      {"clock_period_ns", e.clock_period_ns},
                      {"model", "docs/estimates.md"},
                      {"total", total},
                      {"layers", layers}};
  if (e.dataflow) {
    nlohmann::json fifos = nlohmann::json::array();
    for (const FifoEstimate& f : e.fifos) {
      fifos.push_back({{"fifo", f.name},
                       {"depth", f.depth},
                       {"width_bits", f.width_bits},
                       {"storage", f.storage},
                       {"lut", f.lut},
                       {"bram18", f.bram18}});
    }
    j["fifos"] = fifos;
  }
  if (!e.too_large_for_io_parallel.empty()) {
    j["too_large_for_io_parallel"] = e.too_large_for_io_parallel;
  }
  if (e.capacity) {
    const PartCapacity& c = *e.capacity;
    j["capacity"] = {{"device", c.device}, {"lut", c.lut},
                     {"ff", c.ff},         {"dsp", c.dsp},
                     {"bram18", c.bram18}, {"fits", e.over_capacity().empty()}};
  }
  return j;
}

std::string format_table(const ModelEstimate& e) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "estimate for %s (%s), clock %g ns\n", e.part.c_str(),
                e.dsp_family.c_str(), e.clock_period_ns);
  out += line;
  std::snprintf(line, sizeof line, "%-24s %-18s %8s %6s %8s %6s %8s %8s %8s %6s %8s\n", "layer",
                "op", "latency", "II", "mults", "DSP", "LUTmult", "LUT", "adders", "BRAM18", "FF");
  out += line;
  auto row = [&](const LayerEstimate& l, const std::string& name, const std::string& op) {
    std::snprintf(line, sizeof line,
                  "%-24s %-18s %8lld %6lld %8lld %6lld %8lld %8lld %8lld %6lld %8lld\n",
                  name.substr(0, 24).c_str(), op.c_str(), static_cast<long long>(l.latency_cycles),
                  static_cast<long long>(l.interval), static_cast<long long>(l.multipliers),
                  static_cast<long long>(l.dsp), static_cast<long long>(l.lut_multipliers),
                  static_cast<long long>(l.lut), static_cast<long long>(l.adders),
                  static_cast<long long>(l.bram18), static_cast<long long>(l.ff));
    out += line;
  };
  for (const LayerEstimate& l : e.layers) row(l, l.layer, l.op);
  row(e.total, e.dataflow ? "total (with FIFOs)" : "total", "");
  std::snprintf(line, sizeof line, "latency %lld cycles = %.1f ns, initiation interval %lld\n",
                static_cast<long long>(e.total.latency_cycles), e.latency_ns(),
                static_cast<long long>(e.total.interval));
  out += line;
  if (e.dataflow) {
    out += "FIFOs (depth in beats x width in bits; the layer rows above exclude them):\n";
    for (const FifoEstimate& f : e.fifos) {
      std::snprintf(line, sizeof line, "  %-44s %6lld x %-5lld %-6s LUT %-6lld BRAM18 %lld\n",
                    f.name.substr(0, 44).c_str(), static_cast<long long>(f.depth),
                    static_cast<long long>(f.width_bits), f.storage.c_str(),
                    static_cast<long long>(f.lut), static_cast<long long>(f.bram18));
      out += line;
    }
  }
  for (const std::string& w : e.too_large_for_io_parallel) {
    out +=
        "WARNING: too large for io_parallel (use io_stream or a larger ReuseFactor): " + w + "\n";
  }
  if (e.capacity) {
    const PartCapacity& c = *e.capacity;
    out += "used of " + c.device + (c.board.empty() ? "" : " (" + c.board + ")") + ": LUT " +
           std::to_string(e.total.lut) + "/" + std::to_string(c.lut) + " " +
           percent(e.total.lut, c.lut) + ", FF " + std::to_string(e.total.ff) + "/" +
           std::to_string(c.ff) + " " + percent(e.total.ff, c.ff) + ", DSP " +
           std::to_string(e.total.dsp) + "/" + std::to_string(c.dsp) + " " +
           percent(e.total.dsp, c.dsp) + ", BRAM18 " + std::to_string(e.total.bram18) + "/" +
           std::to_string(c.bram18) + " " + percent(e.total.bram18, c.bram18) + "\n";
    const std::vector<std::string> over = e.over_capacity();
    if (!over.empty()) {
      out += "WARNING: the design does not fit " + c.device + " by this estimate:";
      for (const std::string& o : over) out += " " + o + ";";
      out += " raise ReuseFactor (fewer multipliers, longer interval) or choose a larger Part\n";
    }
  } else {
    out += "part " + e.part + " is not in the part table (docs/estimates.md): no capacity check\n";
  }
  return out;
}

}  // namespace nnfpga::estimate
