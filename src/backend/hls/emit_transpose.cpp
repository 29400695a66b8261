// Transpose (hlslib/nnfpga/transpose.h): the permutation written as the output's dims and the
// input's element stride along each, padded to the library's four axes. Under io_parallel a
// copy of the array; in io_stream's dataflow a process that holds the tensor (every output beat
// may need the last input beat).
#include <string>

#include "backend/hls/config_struct.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/library_call.hpp"
#include "ir/geometry.hpp"
#include "ir/layout.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {

namespace {
constexpr std::size_t kTransposeAxes = 4;  // transpose.h's stride0..stride3
}

LayerCode emit_transpose(const LayerInput& in) {
  const ir::TransposeGeometry g = ir::transpose_geometry(in.node);
  if (g.output.size() > kTransposeAxes) {
    throw Error(ErrorKind::kUnsupported,
                "the HLS Transpose permutes at most " + std::to_string(kTransposeAxes) +
                    " axes per sample; this one has " + std::to_string(g.output.size()) +
                    ": reshape the tensor to fewer axes around the Transpose",
                {.node = in.node.name});
  }
  if (in.calls > 1) {
    throw Error(ErrorKind::kInternal, "a Transpose is no per-position layer",
                {.node = in.node.name});
  }
  const std::size_t pad = kTransposeAxes - g.output.size();
  const std::string cfg = config_name(in);
  ConfigStruct config(cfg);
  config.int_constant("n_elem", ir::element_count(g.output));
  if (in.stream) {
    config.int_constant("in_width", ir::channels(g.input))
        .int_constant("out_width", ir::channels(g.output));
  }
  // The first axis's size is implied by n_elem: the index rule reads dim1..dim3 only.
  for (std::size_t a = 1; a < kTransposeAxes; ++a) {
    config.int_constant(std::string("dim").append(std::to_string(a)),
                        a >= pad ? g.output[a - pad] : 1);
  }
  for (std::size_t a = 0; a < kTransposeAxes; ++a) {
    config.int_constant(std::string("stride").append(std::to_string(a)),
                        a >= pad ? g.strides[a - pad] : 0);
  }
  LayerCode code;
  code.config = config.text();
  const TensorRef& x = in.inputs.at(0);
  code.call = library_call(in.stream ? "transpose_stream" : "transpose",
                           {x.type, in.output.type, cfg}, {x.var, in.output.var});
  return code;
}

}  // namespace nnfpga::backend::hls
