#include "frontend/onnx/input_layout.hpp"

#include <map>
#include <queue>
#include <set>
#include <vector>

namespace nnfpga::frontend::onnx {
namespace {

bool is_window_op(const std::string& op) {
  static const std::set<std::string> ops = {
      "Conv",          "MaxPool", "AveragePool", "Pad",        "GlobalAveragePool",
      "GlobalMaxPool", "Resize",  "Upsample",    "ReduceMean", "ReduceMax"};
  return ops.count(op) != 0;
}

// Ops whose output has their first input's axes.
bool keeps_axes(const std::string& op) {
  static const std::set<std::string> ops = {"Relu",         "LeakyRelu",
                                            "Sigmoid",      "Tanh",
                                            "Clip",         "Identity",
                                            "Dropout",      "Cast",
                                            "Add",          "Sub",
                                            "Mul",          "Div",
                                            "Sum",          "Mean",
                                            "Max",          "Min",
                                            "Elu",          "Softsign",
                                            "Softplus",     "PRelu",
                                            "HardSigmoid",  "BatchNormalization",
                                            "Concat",       "Quant",
                                            "BipolarQuant", "Trunc"};
  return ops.count(op) != 0;
}

// The layout that holds the input so that the tensor whose axis k is input axis t[k] is held
// with IR axis j = the tensor's axis want[j].
TensorLayout layout_for(const std::vector<int>& t, const std::vector<int>& want) {
  TensorLayout l{.axes = std::vector<int>(t.size())};
  for (std::size_t j = 0; j < want.size(); ++j) {
    l.axes[static_cast<std::size_t>(t[static_cast<std::size_t>(want[j])])] = static_cast<int>(j);
  }
  return l;
}

}  // namespace

bool is_channels_last_domain(const std::string& domain) {
  return domain == "qonnx.custom_op.channels_last";
}

std::optional<TensorLayout> demanded_input_layout(const ::onnx::GraphProto& graph,
                                                  const std::string& input, int rank) {
  std::map<std::string, std::vector<const ::onnx::NodeProto*>> consumers;
  for (const ::onnx::NodeProto& n : graph.node()) {
    for (const std::string& in : n.input()) consumers[in].push_back(&n);
  }
  std::vector<int> identity(static_cast<std::size_t>(rank));
  for (int k = 0; k < rank; ++k) identity[static_cast<std::size_t>(k)] = k;
  std::queue<std::pair<std::string, std::vector<int>>> pending;
  std::set<std::string> seen;
  pending.emplace(input, identity);
  while (!pending.empty()) {
    auto [tensor, t] = pending.front();
    pending.pop();
    if (!seen.insert(tensor).second) continue;
    for (const ::onnx::NodeProto* n : consumers[tensor]) {
      const std::string& op = n->op_type();
      if (n->output_size() == 0) continue;
      if (is_channels_last_domain(n->domain())) return layout_for(t, identity);
      if (is_window_op(op)) {
        std::vector<int> want;  // the tensor's (C, S...) as (S..., C)
        for (int k = 1; k < rank; ++k) want.push_back(k);
        want.push_back(0);
        return layout_for(t, want);
      }
      if (op == "Transpose") {
        std::vector<int> next;
        for (const ::onnx::AttributeProto& a : n->attribute()) {
          if (a.name() != "perm" || a.ints_size() != rank + 1 || a.ints(0) != 0) continue;
          for (int k = 1; k <= rank; ++k) {
            const auto from = a.ints(k) - 1;
            if (from < 0 || from >= rank) break;
            next.push_back(t[static_cast<std::size_t>(from)]);
          }
        }
        if (next.size() == static_cast<std::size_t>(rank)) pending.emplace(n->output(0), next);
        continue;
      }
      if (keeps_axes(op)) pending.emplace(n->output(0), t);
    }
  }
  return std::nullopt;
}

}  // namespace nnfpga::frontend::onnx
