// The public API (include/nnfpga/nnfpga.hpp) over the internal one: nnfpga::Model holds the
// configured graph and its emulator; convert, estimate and verify go through the backend
// registry.
#include <algorithm>
#include <utility>

#include "api/model_io.hpp"
#include "backend/backend.hpp"
#include "emulate/source_layout.hpp"
#include "ir/json_io.hpp"
#include "nnfpga/nnfpga.hpp"

#ifndef NNFPGA_VERSION
#error "NNFPGA_VERSION is set by CMakeLists.txt from the project's version"
#endif

namespace nnfpga {
namespace {

Estimate to_public(const backend::EstimateReport& e, std::string_view backend) {
  return {.backend = std::string(backend),
          .clock_period_ns = e.clock_period_ns,
          .latency_cycles = e.latency_cycles,
          .interval_cycles = e.interval_cycles,
          .lut = e.lut,
          .dsp = e.dsp,
          .bram18 = e.bram18,
          .table = e.table,
          .json = e.json.dump(1)};
}

std::vector<Array> to_public(std::vector<emulate::Array> arrays) {
  std::vector<Array> out;
  out.reserve(arrays.size());
  for (emulate::Array& a : arrays) out.push_back({std::move(a.shape), std::move(a.data)});
  return out;
}

}  // namespace

struct Model::Impl {
  explicit Impl(ir::Graph g) : graph(std::move(g)), emulator(graph) {}
  ir::Graph graph;
  emulate::Emulator emulator;
  std::vector<std::string> warnings;
};

std::string version() {
  return NNFPGA_VERSION;
}

std::vector<std::string> backend_names() {
  std::vector<std::string> names;
  for (const backend::Backend* b : backend::all_backends()) names.emplace_back(b->name());
  return names;
}

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

Model Model::read(const std::string& path, const std::vector<std::string>& config_files,
                  const std::vector<std::string>& settings) {
  std::vector<std::string> warnings;
  ir::Graph graph = load_model(path, config_files, settings, &warnings);
  auto impl = std::make_unique<Impl>(std::move(graph));
  impl->warnings = std::move(warnings);
  return Model(std::move(impl));
}

std::string Model::name() const {
  return impl_->graph.name;
}

std::vector<std::string> Model::input_names() const {
  return impl_->graph.inputs;
}

std::vector<std::string> Model::output_names() const {
  return impl_->graph.outputs;
}

std::vector<std::int64_t> Model::input_shape(const std::string& name) const {
  const std::vector<std::string>& in = impl_->graph.inputs;
  if (std::find(in.begin(), in.end(), name) == in.end()) {
    throw Error(ErrorKind::kInput, "the model has no input named '" + name + "'");
  }
  return emulate::shape_in_layout(impl_->graph, name, emulate::ArrayLayout::kSource);
}

std::vector<std::int64_t> Model::output_shape(const std::string& name) const {
  if (!impl_->graph.is_output(name)) {
    throw Error(ErrorKind::kInput, "the model has no output named '" + name + "'");
  }
  return emulate::shape_in_layout(impl_->graph, name, emulate::ArrayLayout::kSource);
}

const std::vector<std::string>& Model::warnings() const {
  return impl_->warnings;
}

std::vector<Array> Model::predict(const std::vector<Array>& inputs, bool float_path) const {
  std::vector<emulate::Array> in;
  in.reserve(inputs.size());
  for (const Array& a : inputs) in.push_back({a.shape, a.data});
  return to_public(
      emulate::run_in_layout(impl_->emulator, in, {}, float_path, emulate::ArrayLayout::kSource)
          .outputs);
}

Estimate Model::estimate(const std::string& backend) const {
  const backend::Backend& b = backend::find_backend(backend);
  return to_public(b.estimate(impl_->graph), b.name());
}

ProjectInfo Model::convert(const std::string& dir, const std::string& backend,
                           const std::string& top) const {
  const backend::Backend& b = backend::find_backend(backend);
  backend::WrittenProject p = b.write(impl_->graph, dir, {.top = top});
  return {.backend = p.backend,
          .dir = p.dir,
          .top = p.top,
          .files = std::move(p.files),
          .estimate = to_public(p.estimate, b.name()),
          .summary = p.summary};
}

std::string Model::to_json() const {
  return ir::to_json(impl_->graph).dump(1) + "\n";
}

VerifyResult verify(const std::string& project_dir, const VerifyOptions& options) {
  const backend::Backend* b = backend::project_backend(project_dir);
  if (b == nullptr) {
    throw Error(ErrorKind::kInput, project_dir + " holds no project written by nnfpga convert");
  }
  const backend::VerifyReport r = b->verify(project_dir, {.samples = options.samples,
                                                          .seed = options.seed,
                                                          .require_amd = options.require_amd,
                                                          .sanitize = options.sanitize});
  VerifyResult v{.backend = std::string(b->name()), .identical = r.ok(), .text = r.text};
  for (const backend::VerifyRun& run : r.runs) {
    v.samples = std::max(v.samples, run.samples);
    v.outputs += run.outputs;
    v.differing += run.differing;
  }
  return v;
}

}  // namespace nnfpga
