// What the CLI reads beyond the public API: a model through part of the pipeline.
#pragma once

#include <string>

#include "ir/graph.hpp"
#include "passes/passes.hpp"

namespace nnfpga {

// Reads a model file as read_model does, but stops canonicalization right after the first run of
// `last` (a canonicalization pass) and does not check the result (nnfpga show --after).
ir::Graph read_model_through(const std::string& path, const passes::Pass& last);

}  // namespace nnfpga
