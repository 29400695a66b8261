// io_stream as a dataflow region (docs/hls.md, "Streaming CNNs"): every tensor a stream of one
// beat per position carrying its channels, every layer a process, a clone process per tensor read
// more than once, each FIFO as deep as the plan's edge says.
#pragma once

#include <map>
#include <string>

#include "backend/hls/project_text.hpp"

namespace nnfpga::backend::hls {

// The layers of hlslib's window headers (conv.h, conv_stream.h, relayout.h): convolutions,
// pools, padding, cropping, upsampling.
bool is_window_op(ir::OpKind op);

// Whether the writer builds a dataflow region: the plan's choice (io_stream and some tensor with
// more than one position). A model whose tensors all have one position keeps the pipelined top of
// arrays, the same hardware as io_parallel behind stream ports.
bool needs_dataflow(const plan::Plan& plan);

// Runs every layer's emitter for its process and fills contents.layers and contents.dataflow,
// one process per plan layer (clones included) and one FIFO per plan edge between two of them.
// contents' ports are already named (their variables are the top's stream arguments); `tensors`
// names every node's result. Throws nnfpga::Error (kUnsupported) naming the node for a layer the
// dataflow region does not build (a merge that broadcasts, Transpose).
void build_dataflow(ProjectContents& contents, const ir::Graph& graph, const plan::Plan& plan,
                    IdentifierTable& ids, const std::map<std::string, TensorRef>& tensors);

}  // namespace nnfpga::backend::hls
