#include "frontend/keras/keras_model.hpp"

#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

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

// One reference to a layer's output: the layer, which of its calls (node), which output.
struct Ref {
  std::string layer;
  int node = 0;
  int tensor = 0;
  bool operator<(const Ref& o) const {
    return std::tie(layer, node, tensor) < std::tie(o.layer, o.node, o.tensor);
  }
};

// Keras 2 ["name", node, tensor, {kwargs}], Keras 3 a __keras_tensor__ whose keras_history is
// ["name", node, tensor].
Ref referenced(const json& ref, const std::string& origin, const std::string& at) {
  const json* history = &ref;
  if (ref.is_object()) {
    if (!ref.contains("config") || !ref["config"].contains("keras_history")) {
      unsupported(origin, "an argument that is not a layer output (a constant or a Python value)",
                  at);
    }
    history = &ref["config"]["keras_history"];
  }
  if (!history->is_array() || history->size() < 3 || !(*history)[0].is_string() ||
      !(*history)[1].is_number_integer() || !(*history)[2].is_number_integer()) {
    corrupt(origin, "a malformed inbound reference", at);
  }
  return {(*history)[0], (*history)[1], (*history)[2]};
}

// The inputs of one call. Keras 3: {"args": [tensor or [tensors...]], "kwargs": {}};
// Keras 2: [["name", 0, 0, {}], ...].
std::vector<Ref> call_inputs(const json& node, const std::string& origin, const std::string& at) {
  std::vector<Ref> inputs;
  auto add = [&](const json& ref) { inputs.push_back(referenced(ref, origin, at)); };
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
std::vector<Ref> endpoints(const json& list, const std::string& origin) {
  auto one = [&](const json& e) -> Ref {
    if (!e.is_array() || e.size() < 3 || !e[0].is_string() || !e[1].is_number_integer() ||
        !e[2].is_number_integer()) {
      corrupt(origin, "malformed input_layers or output_layers");
    }
    return {e[0], e[1], e[2]};
  };
  if (!list.is_array()) corrupt(origin, "malformed input_layers or output_layers");
  if (list.size() == 3 && list[0].is_string()) return {one(list)};
  std::vector<Ref> refs;
  for (const json& entry : list) refs.push_back(one(entry));
  return refs;
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

bool is_model_class(const std::string& cls) {
  return cls == "Sequential" || cls == "Functional" || cls == "Model";
}

// A layer entry that is itself a model (a model used as a layer), with its layers.
bool is_model(const json& layer) {
  return layer.contains("class_name") && layer["class_name"].is_string() &&
         is_model_class(layer["class_name"]) && layer.contains("config") &&
         layer["config"].is_object() && layer["config"].contains("layers") &&
         layer["config"]["layers"].is_array();
}

// The node index a Keras 2 file gives a nested model's first call. tf.keras counts the node that
// built a functional model (or a Sequential that starts with an InputLayer) on its own Input as
// node 0 and saves the calls after it from 1 (keras/engine/functional.py,
// _should_skip_first_node); Keras 3 (its inbound nodes are {"args": ...} objects) counts the
// calls from 0. A plain layer's calls count from 0 in both.
int first_call_node(const json& layer) {
  if (!is_model(layer)) return 0;
  const json& nodes = layer.value("inbound_nodes", json::array());
  if (!nodes.is_array() || nodes.empty() || !nodes[0].is_array()) return 0;  // Keras 3, unused
  if (layer["class_name"] != "Sequential") return 1;
  const json& layers = layer["config"]["layers"];
  return !layers.empty() && layers[0].is_object() &&
                 layers[0].value("class_name", "") == "InputLayer"
             ? 1
             : 0;
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
// Flattens a model into KerasModel::layers, one entry per call of a layer: the layers of a
// nested model are expanded in its place (so that nothing downstream knows of nesting), reading
// the tensors its caller passed, and a layer called twice becomes two entries with one weight
// path.
class Expander {
 public:
  Expander(const std::string& origin, KerasModel& model) : origin_(origin), model_(model) {}

  void top_level(const std::string& cls, const json& config) {
    const Scope top;
    model_.outputs =
        cls == "Sequential" ? sequential(config, top, std::nullopt) : functional(config, top, {});
  }

 private:
  struct Scope {
    std::vector<std::string> path;  // the nested models' names, outermost first
    std::string prefix;             // "<model>_" per level, for a name taken already
    bool top() const { return path.empty(); }
  };

  std::string unique(const std::string& base, const std::string& prefix) {
    if (used_.insert(base).second) return base;
    std::string name = prefix + base;
    for (int i = 2; !used_.insert(name).second; ++i) {
      name = prefix + base + "_" + std::to_string(i);
    }
    return name;
  }

  static std::string call_suffix(int call) {
    return call == 0 ? std::string() : "_call" + std::to_string(call + 1);
  }

  // Call `call` (0: the first) of a plain layer on `inputs`; returns the entry's name.
  std::string emit(KerasLayer layer, int call, const Scope& s, std::vector<std::string> inputs) {
    layer.weight_path = s.path;
    layer.weight_path.push_back(layer.name);
    layer.name = unique(layer.name + call_suffix(call), s.prefix);
    layer.inputs = std::move(inputs);
    model_.layers.push_back(std::move(layer));
    return model_.layers.back().name;
  }

  // Call `call` of the model `layer` (a layer entry of this model) on `inputs`: its outputs.
  std::vector<std::string> nested(const json& layer, const std::string& name, int call,
                                  const Scope& s, const std::vector<std::string>& inputs) {
    Scope inner = s;
    inner.path.push_back(name);
    inner.prefix += name + call_suffix(call) + "_";
    if (layer["class_name"] != "Sequential") return functional(layer["config"], inner, inputs);
    if (inputs.size() != 1) {
      corrupt(origin_, "a nested Sequential called on " + std::to_string(inputs.size()) + " inputs",
              name);
    }
    return sequential(layer["config"], inner, inputs.front());
  }

  // `input`: the caller's tensor of a nested Sequential; nullopt at the top level, whose
  // InputLayer (or Keras 2's implicit one) is the model's input.
  std::vector<std::string> sequential(const json& config, const Scope& s,
                                      const std::optional<std::string>& input) {
    std::string previous = input.value_or("");
    bool first = true;
    for (const json& layer : config["layers"]) {
      KerasLayer l = make_layer(layer, origin_);
      const bool was_first = std::exchange(first, false);
      if (l.class_name == "InputLayer") {
        if (!was_first) corrupt(origin_, "an InputLayer after the first layer", l.name);
        if (input) continue;
        previous = emit(std::move(l), 0, s, {});
        model_.inputs.push_back(previous);
        continue;
      }
      if (previous.empty()) {
        previous = emit(implicit_input(l, config, origin_), 0, s, {});
        model_.inputs.push_back(previous);
      }
      if (!is_model(layer)) {
        previous = emit(std::move(l), 0, s, {previous});
        continue;
      }
      const std::vector<std::string> out = nested(layer, l.name, 0, s, {previous});
      if (out.size() != 1) {
        unsupported(
            origin_,
            "a nested model with " + std::to_string(out.size()) + " outputs inside a Sequential",
            l.name);
      }
      previous = out.front();
    }
    if (previous.empty()) corrupt(origin_, "the Sequential model has no layers");
    return {previous};
  }

  struct Pending {
    const json* layer;
    KerasLayer l;
    int call;
    std::vector<Ref> refs;
  };

  // Every call of every layer, in the file's order. The InputLayers produce the caller's
  // tensors (`inputs`, in input_layers' order) or, at the top level, the model's inputs.
  std::vector<Pending> calls(const json& config, const Scope& s,
                             const std::vector<std::string>& inputs,
                             std::map<Ref, std::string>& produced, std::set<std::string>& names) {
    const std::vector<Ref> in_refs =
        endpoints(config.value("input_layers", json::array()), origin_);
    if (!s.top() && in_refs.size() != inputs.size()) {
      corrupt(origin_,
              "a nested model of " + std::to_string(in_refs.size()) + " inputs called on " +
                  std::to_string(inputs.size()),
              s.path.back());
    }
    std::vector<Pending> pending;
    for (const json& layer : config["layers"]) {
      KerasLayer l = make_layer(layer, origin_);
      if (!names.insert(l.name).second) corrupt(origin_, "two layers are named '" + l.name + "'");
      const json nodes = layer.value("inbound_nodes", json::array());
      if (!nodes.is_array()) corrupt(origin_, "malformed inbound_nodes", l.name);
      if (l.class_name == "InputLayer") {
        for (std::size_t i = 0; i < in_refs.size(); ++i) {
          if (in_refs[i].layer == l.name) {
            produced[{l.name, 0, 0}] = s.top() ? emit(l, 0, s, {}) : inputs[i];
          }
        }
        continue;
      }
      if (nodes.empty()) pending.push_back({&layer, l, 0, {}});
      for (std::size_t k = 0; k < nodes.size(); ++k) {
        pending.push_back({&layer, l, static_cast<int>(k), call_inputs(nodes[k], origin_, l.name)});
      }
    }
    if (s.top()) {
      for (const Ref& r : in_refs) {
        auto it = produced.find(r);
        if (it == produced.end()) {
          corrupt(origin_, "the model's inputs or outputs name unknown layer '" + r.layer + "'");
        }
        model_.inputs.push_back(it->second);
      }
    }
    return pending;
  }

  // Emits each call once every tensor it reads has been produced (a layer's second call may
  // read a layer listed after it).
  void resolve(std::vector<Pending>& pending, const Scope& s,
               std::map<Ref, std::string>& produced) {
    for (bool progress = true; progress && !pending.empty();) {
      progress = false;
      for (auto it = pending.begin(); it != pending.end();) {
        std::vector<std::string> ins;
        for (const Ref& r : it->refs) {
          auto found = produced.find(r);
          if (found == produced.end()) break;
          ins.push_back(found->second);
        }
        if (ins.size() != it->refs.size()) {
          ++it;
          continue;
        }
        if (is_model(*it->layer)) {
          const std::vector<std::string> outs = nested(*it->layer, it->l.name, it->call, s, ins);
          const int node = it->call + first_call_node(*it->layer);
          for (std::size_t t = 0; t < outs.size(); ++t) {
            produced[{it->l.name, node, static_cast<int>(t)}] = outs[t];
          }
        } else {
          produced[{it->l.name, it->call, 0}] = emit(it->l, it->call, s, std::move(ins));
        }
        it = pending.erase(it);
        progress = true;
      }
    }
  }

  std::vector<std::string> functional(const json& config, const Scope& s,
                                      const std::vector<std::string>& inputs) {
    std::map<Ref, std::string> produced;
    std::set<std::string> names;
    std::vector<Pending> pending = calls(config, s, inputs, produced, names);
    resolve(pending, s, produced);
    if (!pending.empty()) {
      const Pending& p = pending.front();
      for (const Ref& r : p.refs) {
        if (produced.count(r)) continue;
        if (r.tensor != 0 && names.count(r.layer)) {
          unsupported(origin_,
                      "reads output " + std::to_string(r.tensor) + " of layer '" + r.layer +
                          "'; only single-output layers are supported",
                      p.l.name);
        }
        corrupt(origin_, "reads from unknown layer '" + r.layer + "'", p.l.name);
      }
    }
    std::vector<std::string> outputs;
    for (const Ref& r : endpoints(config.value("output_layers", json::array()), origin_)) {
      auto it = produced.find(r);
      if (it == produced.end()) {
        corrupt(origin_, "the model's inputs or outputs name unknown layer '" + r.layer + "'");
      }
      outputs.push_back(it->second);
    }
    return outputs;
  }

  const std::string& origin_;
  KerasModel& model_;
  std::set<std::string> used_;  // the entries' names so far
};

}  // namespace

std::string KerasLayer::weights_key() const {
  if (weight_path.empty()) return name;
  std::string key;
  for (const std::string& part : weight_path) key += (key.empty() ? "" : "/") + part;
  return key;
}

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
  if (is_model_class(cls)) {
    Expander(origin, model).top_level(cls, config);
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
