#include "frontend/unsupported.hpp"

#include "nnfpga/error.hpp"

namespace nnfpga::frontend {

void UnsupportedList::add(const std::string& name, const std::string& op,
                          const std::string& reason) {
  entries_.push_back((name.empty() ? std::string("<unnamed>") : name) + " (" + op + "): " + reason);
}

void UnsupportedList::throw_if_any(const std::string& origin) const {
  if (entries_.empty()) return;
  std::string text = std::to_string(entries_.size()) + " " + unit_ +
                     (entries_.size() == 1 ? " is" : "s are") + " not supported by the " + reader_ +
                     ":";
  for (const std::string& e : entries_) text += "\n  " + e;
  throw Error(ErrorKind::kUnsupported, text, {.file = origin});
}

}  // namespace nnfpga::frontend
