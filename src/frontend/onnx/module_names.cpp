#include "frontend/onnx/module_names.hpp"

#include <google/protobuf/unknown_field_set.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace nnfpga::frontend::onnx {
namespace {

constexpr const char* kNameScopesKey = "pkg.torch.onnx.name_scopes";
// NodeProto.metadata_props (IR version 10) is newer than Debian's libonnx, which keeps it among
// the unknown fields: field 9, each entry a StringStringEntryProto.
constexpr int kNodeMetadataPropsField = 9;

// The value of a node's metadata entry `key`, read from the unknown fields.
std::optional<std::string> node_metadata(const ::onnx::NodeProto& node, const std::string& key) {
  const google::protobuf::UnknownFieldSet& unknown = node.GetReflection()->GetUnknownFields(node);
  for (int i = 0; i < unknown.field_count(); ++i) {
    const google::protobuf::UnknownField& field = unknown.field(i);
    if (field.number() != kNodeMetadataPropsField ||
        field.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      continue;
    }
    ::onnx::StringStringEntryProto entry;
    if (entry.ParseFromString(field.length_delimited()) && entry.key() == key) {
      return entry.value();
    }
  }
  return std::nullopt;
}

// The quoted entries of a Python list literal of strings, as the dynamo exporter writes it.
std::vector<std::string> quoted_entries(const std::string& text) {
  std::vector<std::string> entries;
  std::size_t i = 0;
  while ((i = text.find_first_of("'\"", i)) != std::string::npos) {
    const char quote = text[i];
    const std::size_t end = text.find(quote, i + 1);
    if (end == std::string::npos) break;
    entries.push_back(text.substr(i + 1, end - i - 1));
    i = end + 1;
  }
  return entries;
}

std::vector<std::string> path_segments(const std::string& name) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    segments.push_back(name.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

std::optional<std::string> usable(std::string module) {
  if (module.empty()) return std::nullopt;
  std::replace(module.begin(), module.end(), '.', '_');
  // The children of an nn.Sequential are named 0, 1, ...: a name that is a number would read as
  // an integer key in YAML, so it gets a prefix.
  if (std::isdigit(static_cast<unsigned char>(module.front()))) module = "layer_" + module;
  return module;
}

}  // namespace

std::optional<std::string> torch_module_name(const ::onnx::NodeProto& node) {
  if (std::optional<std::string> scopes_text = node_metadata(node, kNameScopesKey)) {
    const std::vector<std::string> scopes = quoted_entries(*scopes_text);
    // ['', module..., op]: the root module is '', the last entry names the op's own call.
    if (scopes.size() < 3) return std::nullopt;
    return usable(scopes[scopes.size() - 2]);
  }
  if (node.name().size() > 1 && node.name()[0] == '/') {
    const std::vector<std::string> segments = path_segments(node.name());
    if (segments.size() < 2) return std::nullopt;
    return usable(segments[segments.size() - 2]);
  }
  return std::nullopt;
}

}  // namespace nnfpga::frontend::onnx
