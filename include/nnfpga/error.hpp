// The one exception type of nnfpga. Library code never prints or exits: it throws this, and the
// CLI (or the Python binding) turns it into a message and an exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace nnfpga {

// What kind of failure, so that the CLI can choose an exit code without parsing text.
enum class ErrorKind {
  kInput,        // a model file, data file or argument the user gave is malformed
  kUnsupported,  // a well-formed construct nnfpga does not handle (yet)
  kConfig,       // a configuration key or value is wrong
  kInternal,     // a broken invariant: a bug in nnfpga
};

// Where an error happened. Every field is optional; the message includes the ones that are set.
struct ErrorWhere {
  std::string file;
  std::string node;
  std::string key;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& what, ErrorWhere where = {})
      : std::runtime_error(compose(what, where)),
        kind_(kind),
        message_(what),
        where_(std::move(where)) {}

  ErrorKind kind() const { return kind_; }
  const ErrorWhere& where() const { return where_; }
  // The message without the location prefix.
  const std::string& message() const { return message_; }

  // The same error with the location fields that are still empty filled from `outer`: a caller
  // that knows the file or node adds it without losing what the callee said.
  Error located(const ErrorWhere& outer) const {
    ErrorWhere w = where_;
    if (w.file.empty()) w.file = outer.file;
    if (w.node.empty()) w.node = outer.node;
    if (w.key.empty()) w.key = outer.key;
    return Error(kind_, message_, w);
  }

 private:
  static std::string compose(const std::string& what, const ErrorWhere& where) {
    std::string prefix;
    if (!where.file.empty()) prefix += where.file + ": ";
    if (!where.node.empty()) prefix += "node '" + where.node + "': ";
    if (!where.key.empty()) prefix += "key '" + where.key + "': ";
    return prefix + what;
  }

  ErrorKind kind_;
  std::string message_;
  ErrorWhere where_;
};

}  // namespace nnfpga
