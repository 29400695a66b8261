// A Keras model's architecture, from the JSON that every Keras format stores (the model_config
// attribute of a Keras 2 .h5, a Keras 2 .json file, config.json inside a Keras 3 .keras), as a
// list of layers with the names of the layers they read from. Sequential models become the same
// chain a functional model would be. Keras 2 and Keras 3 spell the connections differently;
// both are read here, and nothing downstream needs to know which it was.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nnfpga::frontend::keras {

struct KerasLayer {
  std::string class_name;           // "Dense", "QDense", ...
  std::string module;               // Keras 3's "module" ("hgq.layers.core.dense"); "" if absent
  std::string name;                 // the user's layer name
  nlohmann::json config;            // the layer's own config object
  std::vector<std::string> inputs;  // the layers whose outputs it reads, in argument order
  // Where its weights are: the nested models holding it, from the outermost, then its own name
  // in its model. Two calls of one layer (shared weights) have the same path; empty means
  // {name}.
  std::vector<std::string> weight_path;
  // weight_path joined by '/': the key of its weights in WeightsByLayer.
  std::string weights_key() const;
};

struct KerasModel {
  std::string name;
  // In the file's order (producers before consumers), one entry per call: a layer called twice
  // appears twice (the second named <layer>_call2), and the layers of a nested model stand in
  // its place (named as in the nested model, or <model>_<layer> when the name is taken).
  std::vector<KerasLayer> layers;
  std::vector<std::string> inputs;  // InputLayer names, in the model's input order
  std::vector<std::string> outputs;
  // 2 or 3. Only activations whose definition changed between the two read it (hard_sigmoid).
  int keras_major = 3;
};

// Parses the architecture JSON, flattening nested models (Sequential or functional, at any depth)
// into their layers and a layer called several times into one entry per call. Throws
// nnfpga::Error: kInput naming `origin` for malformed JSON or a layer that reads from an unknown
// layer; kUnsupported for an output other than the first of a layer (a model's excepted).
KerasModel parse_keras_model(const std::string& json_text, const std::string& origin);

}  // namespace nnfpga::frontend::keras
