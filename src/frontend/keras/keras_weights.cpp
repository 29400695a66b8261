#include "frontend/keras/keras_weights.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {
namespace {

[[noreturn]] void corrupt(const Hdf5File& file, const std::string& what) {
  throw Error(ErrorKind::kInput, what, {.file = file.origin()});
}

// "dense/kernel:0" -> "kernel"; "q_dense/kernel_quantizer/..." keeps the last path part.
std::string short_weight_name(std::string name) {
  const std::size_t slash = name.rfind('/');
  if (slash != std::string::npos) name = name.substr(slash + 1);
  const std::size_t colon = name.rfind(':');
  if (colon != std::string::npos) name = name.substr(0, colon);
  return name;
}

// The models nested in `model` (the first part of a flattened layer's weight path).
std::set<std::string> nested_models(const KerasModel& model) {
  std::set<std::string> names;
  for (const KerasLayer& layer : model.layers) {
    if (layer.weight_path.size() > 1) names.insert(layer.weight_path.front());
  }
  return names;
}

// A nested model's group lists its layers' weights as "<layer>/<weight>" or
// "<model>/<layer>/<weight>" (Keras 3's legacy .h5): each goes to the key "<model>/<layer>", as
// the flattened layers' weight paths name them. Any other group's weights are its own.
std::string nested_key(const std::string& group, const std::string& weight,
                       const std::set<std::string>& nested) {
  if (!nested.count(group)) return group;
  std::vector<std::string> parts;
  for (std::size_t at = 0; at <= weight.size();) {
    const std::size_t slash = std::min(weight.find('/', at), weight.size());
    parts.push_back(weight.substr(at, slash - at));
    at = slash + 1;
  }
  if (parts.size() >= 3 && parts[0] == group) return group + "/" + parts[1];
  if (parts.size() >= 2 && parts[0] != group) return group + "/" + parts[0];
  return group;
}

WeightsByLayer read_keras2(const Hdf5File& file, const std::string& root, const KerasModel& model) {
  WeightsByLayer out;
  const std::string prefix = root == "/" ? "/" : root + "/";
  const std::set<std::string> nested = nested_models(model);
  for (const std::string& layer : file.string_list_attribute(root, "layer_names")) {
    for (const std::string& weight : file.string_list_attribute(prefix + layer, "weight_names")) {
      std::vector<LayerWeight>& weights = out[nested_key(layer, weight, nested)].own;
      const std::string path = prefix + layer + "/" + weight;
      if (!file.has_dataset(path)) {
        corrupt(file, "layer '" + layer + "' lists weight '" + weight +
                          "' but the file has no "
                          "dataset " +
                          path);
      }
      weights.push_back({short_weight_name(weight), file.read_tensor(path)});
    }
  }
  return out;
}

std::vector<LayerWeight> read_vars(const Hdf5File& file, const std::string& vars) {
  std::vector<std::string> indices = file.children(vars);
  // vars/0, vars/1, ...: numeric order, not name order (vars/10 after vars/9).
  std::sort(indices.begin(), indices.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  std::vector<LayerWeight> weights;
  for (const std::string& index : indices) {
    weights.push_back({"", file.read_tensor(vars + "/" + index)});
  }
  return weights;
}

// The variables of the layers nested below `group` (at any depth), keyed by their path below it.
void read_nested(const Hdf5File& file, const std::string& group, const std::string& below,
                 std::map<std::string, std::vector<ir::Tensor>>& out) {
  for (const std::string& child : file.children(group)) {
    const std::string path = group + "/" + child;
    if (child == "vars" || !file.has_group(path)) continue;
    const std::string key = below.empty() ? child : below + "/" + child;
    if (file.has_group(path + "/vars")) {
      std::vector<ir::Tensor> vars;
      for (LayerWeight& w : read_vars(file, path + "/vars")) vars.push_back(std::move(w.tensor));
      if (!vars.empty()) out[key] = std::move(vars);
    }
    read_nested(file, path, key, out);
  }
}

// The group below `parent` whose vars carry layer name `name`; "" when none does.
std::string named_group(const Hdf5File& file, const std::string& parent, const std::string& name) {
  if (!file.has_group(parent)) return "";
  for (const std::string& candidate : file.children(parent)) {
    const std::string path = fmt::format("{}/{}", parent, candidate);
    if (file.has_group(path + "/vars") && file.string_attribute(path + "/vars", "name") == name) {
      return path;
    }
  }
  return "";
}

// A layer of a nested model: its model's group holds its layers below layers/, found by the
// name Keras writes on each vars group.
std::string nested_group(const Hdf5File& file, const std::vector<std::string>& path) {
  std::string group = "/layers";
  for (std::size_t i = 0; i < path.size(); ++i) {
    group = named_group(file, group, path[i]);
    if (group.empty()) return "";
    if (i + 1 < path.size()) group += "/layers";
  }
  return group;
}

WeightsByLayer read_keras3(const Hdf5File& file, const KerasModel& model) {
  WeightsByLayer out;
  std::map<std::string, int> used;
  std::set<std::string> seen;
  for (const KerasLayer& layer : model.layers) {
    const std::string key = layer.weights_key();
    // A layer's second call shares the first's weights.
    if (!seen.insert(key).second) continue;
    std::string vars;
    if (layer.weight_path.size() > 1) {
      vars = nested_group(file, layer.weight_path) + "/vars";
    } else {
      const std::string own = layer.weight_path.empty() ? layer.name : layer.weight_path.back();
      // The group Keras derives from the class; the vars' name attribute, when written, wins.
      std::string group = snake_case(layer.class_name);
      const int n = used[group]++;
      // (fmt::format rather than operator+: GCC 12 warns falsely on `"_" + std::to_string(n)`.)
      if (n > 0) group = fmt::format("{}_{}", group, n);
      vars = fmt::format("/layers/{}/vars", group);
      const std::string named = named_group(file, "/layers", own);
      if (!named.empty()) vars = named + "/vars";
    }
    if (!file.has_group(vars)) continue;
    LayerWeights& weights = out[key];
    weights.own = read_vars(file, vars);
    read_nested(file, vars.substr(0, vars.size() - std::string("/vars").size()), "",
                weights.nested);
  }
  return out;
}

}  // namespace

std::string snake_case(const std::string& class_name) {
  // Keras: re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name), then
  // re.sub("([a-z])([A-Z])", r"\1_\2", ...).lower(), written out; both passes match left to
  // right without overlapping.
  auto lower_or_digit = [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c));
  };
  auto upper = [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; };
  const std::string& s = class_name;
  std::string first;
  std::size_t copied = 0;  // s[0, copied) is in `first`
  std::size_t scan = 1;    // where a match's [A-Z] may be; its (.) is s[scan - 1]
  while (scan < s.size()) {
    if (upper(s[scan]) && scan + 1 < s.size() && lower_or_digit(s[scan + 1])) {
      std::size_t end = scan + 1;
      while (end < s.size() && lower_or_digit(s[end])) ++end;
      first.append(s, copied, scan - copied);
      first += '_';
      first.append(s, scan, end - scan);
      copied = end;
      scan = end + 1;
    } else {
      ++scan;
    }
  }
  first.append(s, copied, std::string::npos);
  std::string out;
  for (std::size_t k = 0; k < first.size(); ++k) {
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(first[k])));
    if (k + 1 < first.size() && std::islower(static_cast<unsigned char>(first[k])) &&
        upper(first[k + 1])) {
      out += '_';
    }
  }
  return out;
}

namespace {

// Every layer of a Keras 2 weights file that holds weights must be a layer of the architecture:
// a weights file saved from another model is named as such, not read as missing weights.
WeightsByLayer matching(const Hdf5File& file, const KerasModel& model, WeightsByLayer weights) {
  std::set<std::string> names;
  for (const KerasLayer& layer : model.layers) {
    names.insert(layer.name);
    // A nested model's layers (and a second call) keep their weights under the outermost name
    // (Keras 2) or under their whole path "<model>/<layer>" (Keras 3's legacy .h5).
    names.insert(layer.weights_key());
    if (!layer.weight_path.empty()) names.insert(layer.weight_path.front());
  }
  std::vector<std::string> strangers;
  for (const auto& [layer, w] : weights) {
    if (!w.own.empty() && !names.count(layer)) strangers.push_back(layer);
  }
  if (strangers.empty()) return weights;
  std::string expected, found;
  for (const KerasLayer& layer : model.layers) {
    if (layer.class_name != "InputLayer") expected += (expected.empty() ? "" : ", ") + layer.name;
  }
  for (const std::string& s : strangers) found += (found.empty() ? "" : ", ") + s;
  corrupt(file, "the weights do not belong to this architecture: expected weights of its layers (" +
                    expected + "), found weights of layers it does not have (" + found +
                    "); give the weights file saved with this model");
}

}  // namespace

WeightsByLayer read_weights(const Hdf5File& file, const KerasModel& model) {
  if (file.has_group("/model_weights")) {
    return matching(file, model, read_keras2(file, "/model_weights", model));
  }
  if (!file.string_list_attribute("/", "layer_names").empty()) {
    return matching(file, model, read_keras2(file, "/", model));
  }
  if (file.has_group("/layers")) return read_keras3(file, model);
  std::string found;
  for (const std::string& child : file.children("/")) found += (found.empty() ? "" : ", ") + child;
  corrupt(file,
          "expected Keras weights (a /model_weights group, a layer_names attribute at the root "
          "(Keras 2 save_weights) or a /layers group (Keras 3)); found " +
              (found.empty() ? std::string("an empty file") : "the top-level entries " + found));
}

}  // namespace nnfpga::frontend::keras
