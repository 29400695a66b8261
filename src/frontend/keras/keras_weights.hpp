// The weights of each layer, by layer name, from the HDF5 layouts Keras writes:
//   Keras 2 model.save(.h5):  /model_weights/<layer>/<weight_name> with the attributes
//                             layer_names (on /model_weights) and weight_names (on each layer);
//   Keras 2 save_weights(.h5): the same at the root;
//   Keras 3 model.weights.h5: /layers/<group>/vars/0, 1, ... where <group> is the layer's
//                             class in snake case, made unique with a counter over the model's
//                             layers in order ("dense", "dense_1"), and the vars group's `name`
//                             attribute is the layer's name (TF 2.15's save_weights writes this
//                             layout without the attribute: then the group name is derived).
// Keras 2 names each weight ("dense/kernel:0"); Keras 3 only orders them, in the order the layer
// created them, so the caller names them by the layer's class (layer_converters). A Keras 3 layer
// that owns layers (HGQ2's QDense owns its quantizers) stores theirs below its group,
// /layers/<group>/<sub>/.../vars/N: those are kept apart, by their path below the group.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "frontend/keras/hdf5_file.hpp"
#include "frontend/keras/keras_model.hpp"
#include "ir/tensor.hpp"

namespace nnfpga::frontend::keras {

struct LayerWeight {
  std::string name;  // "kernel", "bias", ... for Keras 2; "" for Keras 3 (positional)
  ir::Tensor tensor;
};

struct LayerWeights {
  std::vector<LayerWeight> own;
  // Keras 3 only: the variables of the layers nested in this one, by the path of their group
  // below the layer's ("iq/quantizer" for /layers/q_dense/iq/quantizer/vars/0, 1, ...), each in
  // the order Keras saved them. Nested layers without variables are left out.
  std::map<std::string, std::vector<ir::Tensor>> nested;
};

using WeightsByLayer = std::map<std::string, LayerWeights>;

// Throws nnfpga::Error (kInput) naming the file when the layout is neither, or a dataset listed
// is missing.
WeightsByLayer read_weights(const Hdf5File& file, const KerasModel& model);

// Keras's to_snake_case of a class name: "BatchNormalization" -> "batch_normalization",
// "QDense" -> "q_dense", "ReLU" -> "re_lu".
std::string snake_case(const std::string& class_name);

}  // namespace nnfpga::frontend::keras
