#include "backend/project_files.hpp"

#include <filesystem>
#include <fstream>

#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend {

void ProjectFiles::write(const std::string& relative, const std::string& text) {
  const std::filesystem::path path = std::filesystem::path(dir_) / relative;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (ec || !out) {
    throw Error(ErrorKind::kInput,
                "cannot write " + path.string() + (ec ? ": " + ec.message() : std::string()));
  }
  written_.push_back(relative);
}

std::string choose_top(const ir::Graph& graph, const std::string& requested) {
  if (!requested.empty()) return requested;
  return graph.name.empty() ? "myproject" : graph.name;
}

void check_supported(const ir::Graph& graph, const std::string& backend,
                     const std::function<bool(const ir::Node&)>& can_write) {
  std::string missing;
  for (const ir::Node& node : graph.nodes) {
    if (node.op == ir::OpKind::kInput || can_write(node)) continue;
    missing += "\n  " + node.name + " (" + std::string(ir::op_name(node.op)) + ")";
  }
  if (!missing.empty()) {
    throw Error(ErrorKind::kUnsupported, "not supported by the " + backend + " backend:" + missing);
  }
  if (graph.inputs.empty() || graph.outputs.empty()) {
    throw Error(ErrorKind::kInput, "the model has no inputs or no outputs");
  }
}

}  // namespace nnfpga::backend
