// Collects every node the reader cannot handle, so that the user sees all of them at once instead
// of fixing one model problem per run.
#pragma once

#include <string>
#include <vector>

namespace nnfpga::frontend::onnx {

class UnsupportedList {
 public:
  // `name` is the ONNX node (or graph input) name, `op` its op type ("input" for graph inputs).
  void add(const std::string& name, const std::string& op, const std::string& reason);
  bool empty() const { return entries_.empty(); }
  // Throws one nnfpga::Error (kUnsupported) listing each entry as `name (Op): reason`, one per
  // line; does nothing when the list is empty.
  void throw_if_any(const std::string& origin) const;

 private:
  std::vector<std::string> entries_;
};

}  // namespace nnfpga::frontend::onnx
