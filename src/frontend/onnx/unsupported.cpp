#include "frontend/onnx/unsupported.hpp"

#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {

void UnsupportedList::add(const std::string& name, const std::string& op,
                          const std::string& reason) {
  entries_.push_back((name.empty() ? std::string("<unnamed>") : name) + " (" + op + "): " + reason);
}

void UnsupportedList::throw_if_any(const std::string& origin) const {
  if (entries_.empty()) return;
  std::string text = std::to_string(entries_.size()) +
                     (entries_.size() == 1 ? " node is" : " nodes are") +
                     " not supported by the ONNX reader:";
  for (const std::string& e : entries_) text += "\n  " + e;
  throw Error(ErrorKind::kUnsupported, text, {.file = origin});
}

}  // namespace nnfpga::frontend::onnx
