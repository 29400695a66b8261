#include "frontend/keras/keras_reader.hpp"

#include <fstream>
#include <sstream>

#include "frontend/declared_types.hpp"
#include "frontend/keras/graph_builder.hpp"
#include "frontend/keras/hdf5_file.hpp"
#include "frontend/keras/hgq1_proxy.hpp"
#include "frontend/keras/keras_archive.hpp"
#include "frontend/keras/keras_model.hpp"
#include "frontend/keras/keras_weights.hpp"
#include "frontend/keras/layer_converters.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kInput, "cannot read the file", {.file = path});
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ir::Graph graph_from_keras(const KerasModel& model, WeightsByLayer weights,
                           const std::string& origin) {
  GraphBuilder builder(origin);
  builder.set_keras_major(model.keras_major);
  for (const KerasLayer& layer : model.layers) {
    std::vector<std::string> inputs;
    bool skipped = false;
    for (const std::string& in : layer.inputs) {
      const std::string node = builder.output_of(in);
      if (node.empty()) skipped = true;  // downstream of a refused layer: reported once
      inputs.push_back(node);
    }
    if (skipped) {
      builder.set_output(layer.name, "");
      continue;
    }
    LayerWeights own;
    // A copy: the calls of a shared layer read the same weights.
    if (auto it = weights.find(layer.weights_key()); it != weights.end()) own = it->second;
    convert_layer(builder, layer, inputs, std::move(own));
  }
  ir::Graph graph = builder.finish(model.name, model.inputs, model.outputs);
  if (is_hgq1_proxy(model)) declare_proxy_exact_types(graph, origin);
  declare_quantized_inputs(graph);
  return graph;
}

bool looks_like_keras_json(const std::string& json_text) {
  const std::size_t head = std::min<std::size_t>(json_text.size(), 4096);
  const std::string start = json_text.substr(0, head);
  return start.find("\"class_name\"") != std::string::npos &&
         start.find("\"nodes\"") == std::string::npos;
}

ir::Graph read_keras_file(const std::string& path) {
  if (ends_with(path, ".keras")) {
    KerasArchive archive = read_keras_archive(path);
    const KerasModel model = parse_keras_model(archive.config_json, path);
    const Hdf5File weights =
        Hdf5File::from_bytes(std::move(archive.weights_h5), path + ":model.weights.h5");
    return graph_from_keras(model, read_weights(weights, model), path);
  }
  const Hdf5File file = Hdf5File::open(path);
  const std::optional<std::string> config = file.string_attribute("/", "model_config");
  if (!config) {
    throw Error(ErrorKind::kInput,
                "the HDF5 file holds no model_config: it is a weights file (save_weights); give "
                "the architecture .json with it",
                {.file = path});
  }
  KerasModel model = parse_keras_model(*config, path);
  if (const auto version = file.string_attribute("/", "keras_version")) {
    model.keras_major = !version->empty() && (*version)[0] == '2' ? 2 : 3;
  }
  return graph_from_keras(model, read_weights(file, model), path);
}

ir::Graph read_keras_json(const std::string& json_path, const std::string& weights_path) {
  const KerasModel model = parse_keras_model(read_text(json_path), json_path);
  return graph_from_keras(model, read_weights(Hdf5File::open(weights_path), model), json_path);
}

}  // namespace nnfpga::frontend::keras
