// What writing any project involves, whatever its language: the files, the top's name, and the
// refusal of every node the backend cannot write, listed at once.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::backend {

// Writes files under a project directory, creating folders as needed, and keeps the list of
// what it wrote (relative paths, in order): every project lists its files.
class ProjectFiles {
 public:
  explicit ProjectFiles(std::string dir) : dir_(std::move(dir)) {}

  // Throws nnfpga::Error (kInput) naming the path when it cannot be written.
  void write(const std::string& relative, const std::string& text);

  const std::string& dir() const { return dir_; }
  const std::vector<std::string>& written() const { return written_; }

 private:
  std::string dir_;
  std::vector<std::string> written_;
};

// The top's name before the language makes it a legal identifier: `requested` when given, else
// the graph's name (the model file's), else "myproject" (hls4ml's default).
std::string choose_top(const ir::Graph& graph, const std::string& requested);

// Throws nnfpga::Error (kUnsupported) listing every node (but inputs) that `can_write` refuses,
// one per line as "name (Op)": "not supported by the <backend> backend: ...". Also refuses a
// graph without inputs or outputs (kInput).
void check_supported(const ir::Graph& graph, const std::string& backend,
                     const std::function<bool(const ir::Node&)>& can_write);

}  // namespace nnfpga::backend
