// One converter per Keras layer class, found through one table by class name. Each reads the
// layer's config and weights and adds its IR nodes through the GraphBuilder, or refuses the layer
// with the reason (collected, so that every unsupported layer is reported at once).
#pragma once

#include <string>
#include <vector>

#include "frontend/keras/graph_builder.hpp"
#include "frontend/keras/keras_model.hpp"
#include "frontend/keras/keras_weights.hpp"

namespace nnfpga::frontend::keras {

// `inputs` are the IR nodes holding the layer's inputs. Throws nnfpga::Error (kInput) naming the
// layer for a malformed config or weights that do not fit it.
void convert_layer(GraphBuilder& builder, const KerasLayer& layer,
                   const std::vector<std::string>& inputs, LayerWeights weights);

// The classes convert_layer knows, for messages and tests.
std::vector<std::string> supported_layer_classes();

}  // namespace nnfpga::frontend::keras
