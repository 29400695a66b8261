// What a layer converter is given (the builder, the layer, its inputs and weights), with the
// helpers every converter uses. Shared by the converters of Keras's layers (layer_converters.cpp)
// and of QKeras's (qkeras_layers.cpp).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "frontend/keras/graph_builder.hpp"
#include "frontend/keras/keras_model.hpp"
#include "frontend/keras/keras_weights.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {

using json = nlohmann::json;
using Weights = std::map<std::string, ir::Tensor>;

struct Call {
  GraphBuilder& b;
  const KerasLayer& layer;
  const std::vector<std::string>& inputs;
  std::vector<LayerWeight> weights;
  // The variables of the layers nested in this one (LayerWeights::nested).
  std::map<std::string, std::vector<ir::Tensor>> nested;

  [[noreturn]] void malformed(const std::string& why) const {
    throw Error(ErrorKind::kInput, why, {.file = b.origin(), .node = layer.name});
  }
  void refuse(const std::string& why) const { b.refuse(layer.name, layer.class_name, why); }
  // Refuses a layer whose output has its input's shape, and lets its input stand in for it, so
  // that the layers after it are still read and their own problems reported in the same error.
  void refuse_elementwise(const std::string& why, const std::string& stand_in) const {
    refuse(why);
    b.set_output(layer.name, stand_in);
  }

  const std::string& only_input() const {
    if (inputs.size() != 1) {
      malformed("expects one input, has " + std::to_string(inputs.size()));
    }
    return inputs.front();
  }

  // The weights by name. Keras 2 names them; Keras 3 stores them in creation order, which
  // `order` gives (the names of the weights this layer has, given its config).
  Weights named(const std::vector<std::string>& order) {
    if (weights.size() != order.size()) {
      malformed("has " + std::to_string(weights.size()) + " weight tensors in the file, expected " +
                std::to_string(order.size()) + " (missing or extra weights)");
    }
    Weights out;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const std::string& name = weights[i].name.empty() ? order[i] : weights[i].name;
      out[name] = std::move(weights[i].tensor);
    }
    for (const std::string& name : order) {
      if (!out.count(name)) malformed("has no weight '" + name + "' in the file");
    }
    return out;
  }

  template <typename T>
  T config_or(const std::string& key, T fallback) const {
    const json& c = layer.config;
    if (!c.contains(key) || c[key].is_null()) return fallback;
    try {
      return c[key].get<T>();
    } catch (const json::exception&) {
      malformed("config key '" + key + "' has an unexpected value " + c[key].dump());
    }
  }

  std::string add(ir::Node node, const std::string& name) {
    node.name = name;
    return b.add(std::move(node), layer.class_name);
  }
};

// A one-input node of kind `op`, its name and shape still to be set by Call::add.
ir::Node unary(ir::OpKind op, const std::string& input);

// The Keras activation `act` applied to `input`, as a node named `name`; `input` itself for
// linear. Empty (and the layer refused) for an activation nnfpga lacks.
std::string activation(Call& c, const std::string& act, const std::string& input,
                       const std::string& name);

// The Dense node of a Dense-like layer (Dense, QKeras's QDense): its kernel and its bias, zeros
// with use_bias=False; name and shape still to be set by Call::add.
ir::Node dense_node(Call& c);

// A BatchNormalization-like layer's weights by name (gamma and beta only with scale and center
// on), each one value per channel of the last axis; nullopt after refusing another axis.
std::optional<Weights> batchnorm_weights(Call& c);

// gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta as the IR's element-wise
// BatchNorm (scale and bias broadcast to the input's shape); its name is still to be set.
ir::Node batchnorm_node(Call& c, const Weights& w);

// The name of the layer's `activation` config entry (a string, or a Keras 3 serialized object).
std::string activation_name(const Call& c);

}  // namespace nnfpga::frontend::keras
