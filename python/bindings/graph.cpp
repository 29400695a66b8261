// Reading a model, configuring it, and looking inside: the layers with their types, settings and
// parameters (float and quantized), for profiling and summaries. Configuration crosses as JSON
// text, which the Python layer turns into dicts.
#include <nanobind/stl/map.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>

#include "api/model_io.hpp"
#include "arrays.hpp"
#include "bindings.hpp"
#include "config/config.hpp"
#include "emulate/overflow.hpp"
#include "emulate/source_layout.hpp"
#include "fixed/fixed_type.hpp"
#include "ir/json_io.hpp"
#include "ir/op_table.hpp"
#include "ir/printer.hpp"

namespace nb = nanobind;

namespace nnfpga::python {
namespace {

nb::dict type_info(const fixed::FixedType& t) {
  nb::dict d;
  d["spelling"] = fixed::to_string(t);
  d["width"] = t.width;
  d["integer"] = t.integer;
  d["signed"] = t.is_signed;
  d["frac"] = t.frac();
  d["quantization"] = std::string(fixed::to_string(t.quant));
  d["overflow"] = std::string(fixed::to_string(t.overflow));
  d["min"] = fixed::to_double(fixed::min_mantissa(t), t);
  d["max"] = fixed::to_double(fixed::max_mantissa(t), t);
  d["lsb"] = fixed::to_double(1, t);
  d["sat_bits"] = t.sat_bits;
  return d;
}

nb::dict layer_info(const ir::Node& node) {
  nb::dict d;
  d["name"] = node.name;
  d["op"] = std::string(ir::op_name(node.op));
  d["source_op"] = node.source_op;
  d["inputs"] = node.inputs;
  d["input_shapes"] = node.input_shapes;
  d["output_shape"] = node.output_shape;
  nb::dict types;
  for (const auto& [key, t] : node.types) types[key.c_str()] = type_info(t);
  d["types"] = types;
  nb::list params;
  for (const auto& [key, tensor] : node.params) params.append(key);
  d["params"] = params;
  nb::dict param_overflows;
  nb::dict quantized;
  for (const auto& [key, q] : node.qparams) {
    param_overflows[key.c_str()] = q.overflows;
    quantized[key.c_str()] = type_info(q.type);
  }
  d["param_overflows"] = param_overflows;
  d["quantized_params"] = quantized;
  d["reuse_factor"] = node.settings.reuse_factor;
  // The op table's word on whether a reuse factor means anything for this layer.
  d["shares_multipliers"] = ir::op_info(node.op).shares_multipliers;
  d["clips_by_definition"] = emulate::clipping_defined_by_model(node);
  d["strategy"] = ir::to_string(node.settings.strategy);
  d["table_size"] = node.settings.table_size;
  return d;
}

OutputArray param_array(const ir::Graph& g, const std::string& layer, const std::string& key) {
  const ir::Tensor& t = g.at(layer).param(key);
  return to_numpy(t.data, t.shape);
}

// The quantized parameter's exact values (mantissa x 2^-frac, exact for up to 53 bits).
OutputArray quantized_array(const ir::Graph& g, const std::string& layer, const std::string& key) {
  const ir::Node& node = g.at(layer);
  const ir::QuantizedTensor& q = node.qparam(key);
  std::vector<double> values;
  values.reserve(q.mantissa.size());
  for (std::int64_t m : q.mantissa) {
    values.push_back(fixed::to_double(fixed::mantissa_value(m, q.type), q.type));
  }
  // Attributes quantized as parameters (a LeakyReLU alpha) have no float tensor: a flat shape.
  const auto param = node.params.find(key);
  const ir::Shape shape = param != node.params.end()
                              ? param->second.shape
                              : ir::Shape{static_cast<std::int64_t>(values.size())};
  return to_numpy(std::move(values), shape);
}

ir::Graph configured(const ir::Graph& g, const std::string& config_json) {
  ir::Graph copy = g;
  configure(copy, config::parse_json(config_json, "hls_config"));
  return copy;
}

}  // namespace

void bind_graph(nb::module_& m) {
  nb::class_<ir::Graph>(m, "Graph",
                        "A model in nnfpga's IR: canonical after reading, typed and quantized "
                        "after configuration.")
      .def_ro("name", &ir::Graph::name, "The model's name.")
      .def_ro("inputs", &ir::Graph::inputs, "Names of the graph inputs, in order.")
      .def_ro("outputs", &ir::Graph::outputs, "Names of the layers whose tensors are outputs.")
      .def(
          "shape_of",
          [](const ir::Graph& g, const std::string& layer) { return g.at(layer).output_shape; },
          nb::arg("layer"), "The output shape of a layer (or input), without the batch axis.")
      .def(
          "shape_in_layout",
          [](const ir::Graph& g, const std::string& tensor, const std::string& layout) {
            return emulate::shape_in_layout(g, tensor, emulate::parse_array_layout(layout));
          },
          nb::arg("tensor"), nb::arg("layout") = "source",
          "The shape of a graph input or output (without the batch axis) in 'source' layout (the "
          "model file's own) or 'ir' (channels-last).")
      .def(
          "layers",
          [](const ir::Graph& g) {
            nb::list out;
            for (const ir::Node& node : g.nodes) out.append(layer_info(node));
            return out;
          },
          "Every layer in graph order, as dicts: name, op, source_op, inputs, input_shapes, "
          "output_shape, types (key -> type info; empty before configuration), params, "
          "param_overflows (quantized parameter -> trained values that did not fit), "
          "quantized_params (quantized parameter -> its type info; includes attributes such as "
          "a LeakyReLU alpha), "
          "reuse_factor, shares_multipliers, strategy, table_size, clips_by_definition (the result "
          "type is the saturating type the model's own quantizer declares).")
      .def("param", &param_array, nb::arg("layer"), nb::arg("key"),
           "A layer's trained (float) parameter, e.g. param('fc1', 'weight').")
      .def("quantized_param", &quantized_array, nb::arg("layer"), nb::arg("key"),
           "A layer's parameter as quantized into its type: exact values.")
      .def(
          "param_overflows",
          [](const ir::Graph& g, const std::string& layer, const std::string& key) {
            return g.at(layer).qparam(key).overflows;
          },
          nb::arg("layer"), nb::arg("key"),
          "How many trained values of the parameter did not fit its type.")
      .def("configured", &configured, nb::arg("config_json"),
           "A typed, quantized copy of this graph under the configuration (hls4ml keys, as "
           "JSON text). Raises ConfigError naming the key and layer.")
      .def(
          "shadowed_settings",
          [](const ir::Graph& g, const std::string& config_json) {
            return config::shadowed_settings(g, config::parse_json(config_json, "hls_config"));
          },
          nb::arg("config_json"),
          "Messages for the Model and LayerType keys of the configuration (JSON text) that change "
          "no layer of this configured graph, a more specific level setting each layer they "
          "apply to.")
      .def(
          "starting_config",
          [](const ir::Graph& g, const std::string& granularity) {
            return config::starting_config(g, config::parse_granularity(granularity)).dump();
          },
          nb::arg("granularity"),
          "A starting configuration (JSON text) at 'model', 'type' or 'name' granularity.")
      .def(
          "resolved_config", [](const ir::Graph& g) { return config::resolved_config(g).dump(); },
          "The per-layer resolved configuration of a configured graph (JSON text).")
      .def(
          "settings",
          [](const ir::Graph& g) {
            nb::dict d;
            d["io_type"] = ir::to_string(g.settings.io_type);
            d["clock_period"] = g.settings.clock_period_ns;
            d["part"] = g.settings.part;
            return d;
          },
          "The model-wide settings: io_type, clock_period (ns), part.")
      .def(
          "to_json", [](const ir::Graph& g) { return ir::to_json(g).dump(); },
          "The graph as nnfpga's IR JSON (readable by read_model from a .json file).")
      .def("__str__", [](const ir::Graph& g) { return ir::print(g); });

  m.def(
      "graph_from_json",
      [](const std::string& text) {
        return ir::graph_from_json(config::parse_json(text, "graph JSON"));
      },
      nb::arg("text"),
      "The graph of nnfpga's IR JSON text (Graph.to_json), typed and quantized as it was: how a "
      "pickled ModelGraph is rebuilt.");
  m.def(
      "read_model",
      [](const std::string& path, const std::string& weights) { return read_model(path, weights); },
      nb::arg("path"), nb::arg("weights") = "",
      "Reads a model file (.onnx, Keras .keras/.h5/.json, or nnfpga's IR .json) and "
      "canonicalizes it; `weights`: a Keras architecture .json's weights file (default: the one "
      "beside it). Raises UnsupportedError listing every unsupported node.");
  m.def(
      "weights_file_for",
      [](const std::string& path, const std::string& weights) {
        return weights_file_for(path, weights);
      },
      nb::arg("path"), nb::arg("weights") = "",
      "The file read_model reads the weights of `path` from ('' for a file holding its own).");
  m.def("keras_weights_candidates", &keras_weights_candidates, nb::arg("json_path"),
        "The weights files beside a Keras architecture .json, in the order read_model tries "
        "them.");
  m.def(
      "read_onnx_model",
      [](nb::bytes data, const std::string& origin) {
        return read_onnx_model(std::string(data.c_str(), data.size()), origin);
      },
      nb::arg("data"), nb::arg("origin") = "<memory>",
      "Reads a serialized ONNX model from bytes and canonicalizes it.");
  m.def(
      "type_info",
      [](const std::string& spelling) { return type_info(fixed::parse_type(spelling)); },
      nb::arg("spelling"),
      "The facts of a fixed-point type: spelling, width, integer, signed, frac, quantization, "
      "overflow, sat_bits, min, max, lsb.");
}

}  // namespace nnfpga::python
