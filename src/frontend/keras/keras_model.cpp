#include "frontend/keras/keras_model.hpp"

#include <set>

#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {
namespace {

using nlohmann::json;

[[noreturn]] void corrupt(const std::string& origin, const std::string& what,
                          const std::string& layer = "") {
  throw Error(ErrorKind::kInput, what, {.file = origin, .node = layer});
}

[[noreturn]] void unsupported(const std::string& origin, const std::string& what,
                              const std::string& layer) {
  throw Error(ErrorKind::kUnsupported, what, {.file = origin, .node = layer});
}

std::string layer_name(const json& layer) {
  if (layer.contains("name") && layer["name"].is_string()) return layer["name"];
  if (layer.contains("config") && layer["config"].contains("name") &&
      layer["config"]["name"].is_string()) {
    return layer["config"]["name"];
  }
  return "";
}

// One reference to a layer's output: Keras 2 ["name", node, tensor, {kwargs}], Keras 3 a
// __keras_tensor__ whose keras_history is ["name", node, tensor].
std::string referenced_layer(const json& ref, const std::string& origin, const std::string& at) {
  const json* history = &ref;
  if (ref.is_object()) {
    if (!ref.contains("config") || !ref["config"].contains("keras_history")) {
      unsupported(origin, "an argument that is not a layer output (a constant or a Python value)",
                  at);
    }
    history = &ref["config"]["keras_history"];
  }
  if (!history->is_array() || history->size() < 3 || !(*history)[0].is_string()) {
    corrupt(origin, "a malformed inbound reference", at);
  }
  if ((*history)[2] != 0) {
    unsupported(origin,
                "reads output " + (*history)[2].dump() + " of layer '" +
                    (*history)[0].get<std::string>() +
                    "'; only single-output layers are "
                    "supported",
                at);
  }
  return (*history)[0];
}

// The input layers of one call. Keras 3: {"args": [tensor or [tensors...]], "kwargs": {}};
// Keras 2: [["name", 0, 0, {}], ...].
std::vector<std::string> call_inputs(const json& node, const std::string& origin,
                                     const std::string& at) {
  std::vector<std::string> inputs;
  auto add = [&](const json& ref) { inputs.push_back(referenced_layer(ref, origin, at)); };
  if (node.is_object()) {
    if (!node.contains("args") || !node["args"].is_array() || node["args"].empty()) {
      corrupt(origin, "a malformed inbound node", at);
    }
    const json& first = node["args"][0];
    if (first.is_array()) {
      for (const json& ref : first) add(ref);
    } else {
      add(first);
    }
    return inputs;
  }
  if (!node.is_array()) corrupt(origin, "a malformed inbound node", at);
  for (const json& ref : node) add(ref);
  return inputs;
}

// input_layers / output_layers: a list of [name, node, tensor] or, for one tensor in Keras 3,
// that triple itself.
std::vector<std::string> endpoint_names(const json& list, const std::string& origin) {
  std::vector<std::string> names;
  if (!list.is_array()) corrupt(origin, "malformed input_layers or output_layers");
  if (list.size() == 3 && list[0].is_string()) return {list[0].get<std::string>()};
  for (const json& entry : list) {
    if (!entry.is_array() || entry.empty() || !entry[0].is_string()) {
      corrupt(origin, "malformed input_layers or output_layers");
    }
    names.push_back(entry[0]);
  }
  return names;
}

// Python's json module writes float infinities and NaN as the bare words Infinity, -Infinity
// and NaN (HGQ2's configs hold i_decay_speed: Infinity), which JSON lacks (and nlohmann::json
// cannot hold infinity): outside strings they become null, "no value", which is what the
// settings the converters read mean by them (a ReLU's max_value of Infinity is no maximum).
std::string with_standard_numbers(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t n = 0; n < text.size(); ++n) {
    const char ch = text[n];
    if (in_string) {
      out += ch;
      if (ch == '\\' && n + 1 < text.size()) {
        out += text[++n];
      } else if (ch == '"') {
        in_string = false;
      }
    } else if (ch == '"') {
      in_string = true;
      out += ch;
    } else if (text.compare(n, 9, "-Infinity") == 0 || text.compare(n, 8, "Infinity") == 0) {
      out += "null";
      n += text[n] == '-' ? 8 : 7;
    } else if (text.compare(n, 3, "NaN") == 0) {
      out += "null";
      n += 2;
    } else {
      out += ch;
    }
  }
  return out;
}

KerasLayer make_layer(const json& layer, const std::string& origin) {
  if (!layer.is_object() || !layer.contains("class_name") || !layer["class_name"].is_string()) {
    corrupt(origin, "a layer without class_name");
  }
  KerasLayer out;
  out.class_name = layer["class_name"];
  out.name = layer_name(layer);
  if (out.name.empty()) corrupt(origin, "a " + out.class_name + " layer without a name");
  out.config = layer.value("config", json::object());
  // Two libraries' layers share a class name (QKeras's and HGQ2's QDense): the module tells.
  if (layer.contains("module") && layer["module"].is_string()) out.module = layer["module"];
  if (out.class_name == "Sequential" || out.class_name == "Functional" ||
      out.class_name == "Model") {
    unsupported(origin, "a nested model used as a layer; save the inner model's layers inline",
                out.name);
  }
  return out;
}

// Keras 2 Sequential models without an explicit InputLayer carry the input shape on their first
// layer (batch_input_shape); Keras 3 always lists the InputLayer.
KerasLayer implicit_input(const KerasLayer& first, const json& model_config,
                          const std::string& origin) {
  json shape;
  if (first.config.contains("batch_input_shape")) shape = first.config["batch_input_shape"];
  if (shape.is_null() && model_config.contains("build_input_shape")) {
    shape = model_config["build_input_shape"];
  }
  if (!shape.is_array()) {
    corrupt(origin, "the Sequential model has no input shape (it was never built)", first.name);
  }
  KerasLayer input;
  input.class_name = "InputLayer";
  input.name = "input";
  input.config = {{"batch_shape", shape}};
  return input;
}

void read_sequential(const json& config, const std::string& origin, KerasModel& model) {
  const json& layers = config["layers"];
  std::string previous;
  for (const json& layer : layers) {
    KerasLayer l = make_layer(layer, origin);
    if (l.class_name == "InputLayer") {
      if (!previous.empty()) corrupt(origin, "an InputLayer after the first layer", l.name);
      model.inputs.push_back(l.name);
    } else {
      if (previous.empty()) {
        KerasLayer input = implicit_input(l, config, origin);
        previous = input.name;
        model.inputs.push_back(input.name);
        model.layers.push_back(std::move(input));
      }
      l.inputs = {previous};
    }
    previous = l.name;
    model.layers.push_back(std::move(l));
  }
  if (previous.empty()) corrupt(origin, "the Sequential model has no layers");
  model.outputs = {previous};
}

void read_functional(const json& config, const std::string& origin, KerasModel& model) {
  std::set<std::string> known;
  for (const json& layer : config["layers"]) {
    KerasLayer l = make_layer(layer, origin);
    const json nodes = layer.value("inbound_nodes", json::array());
    if (!nodes.is_array()) corrupt(origin, "malformed inbound_nodes", l.name);
    if (nodes.size() > 1) {
      unsupported(origin,
                  "the layer is called " + std::to_string(nodes.size()) + " times (shared weights)",
                  l.name);
    }
    if (!nodes.empty()) l.inputs = call_inputs(nodes[0], origin, l.name);
    for (const std::string& in : l.inputs) {
      if (!known.count(in)) corrupt(origin, "reads from unknown layer '" + in + "'", l.name);
    }
    if (!known.insert(l.name).second) corrupt(origin, "two layers are named '" + l.name + "'");
    model.layers.push_back(std::move(l));
  }
  model.inputs = endpoint_names(config.value("input_layers", json::array()), origin);
  model.outputs = endpoint_names(config.value("output_layers", json::array()), origin);
  for (const auto& list : {model.inputs, model.outputs}) {
    for (const std::string& name : list) {
      if (!known.count(name))
        corrupt(origin,
                "the model's inputs or outputs name unknown "
                "layer '" +
                    name + "'");
    }
  }
}

// What a JSON value is, for messages: "an object with keys a, b, c", "a list of 3", ...
std::string describe(const json& v) {
  if (v.is_object()) {
    std::string keys;
    std::size_t n = 0;
    for (auto it = v.begin(); it != v.end() && n < 6; ++it, ++n) {
      keys += (keys.empty() ? "" : ", ") + it.key();
    }
    if (v.size() > n) keys += ", ...";
    return v.empty() ? "an empty object" : "an object with keys " + keys;
  }
  if (v.is_array()) return "a list of " + std::to_string(v.size());
  if (v.is_string()) return "the string \"" + v.get<std::string>().substr(0, 40) + "\"";
  return std::string("a ") + v.type_name();
}

// The top of a model architecture: {"class_name": ..., "config": {"layers": [...]}} or, for a
// Keras 2.0 Sequential, {"class_name": "Sequential", "config": [...]}.
void check_structure(const json& root, const std::string& origin) {
  const std::string expected =
      "expected a Keras model architecture: an object with class_name and config.layers (or a "
      "Keras 2.0 Sequential whose config is the list of layers)";
  if (!root.is_object()) corrupt(origin, expected + "; found " + describe(root));
  if (!root.contains("class_name") || !root["class_name"].is_string() || !root.contains("config")) {
    corrupt(origin, expected + "; found " + describe(root));
  }
  const json& config = root["config"];
  if (config.is_array()) {
    if (root["class_name"] != "Sequential") {
      corrupt(origin, expected + "; found a " + root["class_name"].dump() +
                          " whose config is a list (only a Sequential's may be)");
    }
    return;
  }
  if (!config.is_object() || !config.contains("layers") || !config["layers"].is_array()) {
    corrupt(origin, expected + "; found a config that is " + describe(config));
  }
}

}  // namespace

KerasModel parse_keras_model(const std::string& json_text, const std::string& origin) {
  json root;
  try {
    root = json::parse(with_standard_numbers(json_text));
  } catch (const json::exception& e) {
    corrupt(origin, std::string("the model architecture is not valid JSON: ") + e.what());
  }
  check_structure(root, origin);
  KerasModel model;
  // Keras 2.0 and 2.1 wrote a Sequential's config as the plain list of its layers; later
  // versions as {"name": ..., "layers": [...]}. Both become the second form.
  json config = root["config"];
  if (config.is_array()) config = json::object({{"layers", std::move(config)}});
  model.name = config.value("name", std::string("model"));
  // Keras 2 writes its version into the JSON (model.to_json(), an .h5's model_config); Keras 3's
  // config.json has none.
  if (root.contains("keras_version") && root["keras_version"].is_string()) {
    const std::string version = root["keras_version"];
    if (!version.empty() && version[0] == '2') model.keras_major = 2;
  }
  const std::string cls = root["class_name"];
  if (cls == "Sequential") {
    read_sequential(config, origin, model);
  } else if (cls == "Functional" || cls == "Model") {
    read_functional(config, origin, model);
  } else {
    unsupported(origin,
                "a model of class " + cls +
                    " (Sequential and functional models are "
                    "read)",
                "");
  }
  return model;
}

}  // namespace nnfpga::frontend::keras
