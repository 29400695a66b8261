// Collects every node or layer a reader cannot handle, so that the user sees all of them at once
// instead of fixing one model problem per run. Shared by the readers (frontend/onnx, keras).
#pragma once

#include <string>
#include <vector>

namespace nnfpga::frontend {

class UnsupportedList {
 public:
  // `reader` names the reader in the message ("ONNX reader"); `unit` what it lists ("node").
  UnsupportedList(std::string reader, std::string unit) : reader_(reader), unit_(unit) {}

  // `name` is the node or layer name (or graph input), `op` its op type or layer class ("input"
  // for graph inputs).
  void add(const std::string& name, const std::string& op, const std::string& reason);
  bool empty() const { return entries_.empty(); }
  // Throws one nnfpga::Error (kUnsupported) listing each entry as `name (Op): reason`, one per
  // line; does nothing when the list is empty.
  void throw_if_any(const std::string& origin) const;

 private:
  std::string reader_;
  std::string unit_;
  std::vector<std::string> entries_;
};

}  // namespace nnfpga::frontend
