// Reading YAML and JSON into the configuration tree, and writing it back as YAML.
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "config/scalar.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Tree yaml_scalar(const YAML::Node& node) {
  // A quoted or block scalar carries the non-specific tag "!": it is a string whatever it spells.
  const std::string& tag = node.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return node.Scalar();
  return detail::scalar_from_text(node.Scalar());
}

Tree yaml_to_tree(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar:
      return yaml_scalar(node);
    case YAML::NodeType::Sequence: {
      Tree out = Tree::array();
      for (const YAML::Node& item : node) out.push_back(yaml_to_tree(item));
      return out;
    }
    case YAML::NodeType::Map: {
      Tree out = Tree::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = yaml_to_tree(kv.second);
      return out;
    }
  }
  return nullptr;
}

std::string float_text(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  std::string s(buffer, end);
  // Keep it a float when read back: "5" would come back as an integer.
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

void emit(YAML::Emitter& out, const Tree& tree) {
  switch (tree.type()) {
    case Tree::value_t::object:
      out << YAML::BeginMap;
      for (const auto& [key, value] : tree.items()) {
        out << YAML::Key;
        if (detail::needs_quotes(key)) out << YAML::DoubleQuoted;
        out << key << YAML::Value;
        emit(out, value);
      }
      out << YAML::EndMap;
      break;
    case Tree::value_t::array:
      out << YAML::BeginSeq;
      for (const Tree& item : tree) emit(out, item);
      out << YAML::EndSeq;
      break;
    case Tree::value_t::string: {
      const auto& s = tree.get_ref<const std::string&>();
      if (detail::needs_quotes(s)) out << YAML::DoubleQuoted;
      out << s;
      break;
    }
    case Tree::value_t::boolean:
      out << (tree.get<bool>() ? "true" : "false");
      break;
    case Tree::value_t::number_integer:
    case Tree::value_t::number_unsigned:
      out << tree.dump();
      break;
    case Tree::value_t::number_float:
      out << float_text(tree.get<double>());
      break;
    default:
      out << YAML::Null;
  }
}

}  // namespace

Tree parse_yaml(const std::string& text, const std::string& origin) {
  try {
    return yaml_to_tree(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::kConfig,
                "invalid YAML at line " + std::to_string(e.mark.line + 1) + ", column " +
                    std::to_string(e.mark.column + 1) + ": " + e.msg,
                {.file = origin});
  }
}

Tree parse_json(const std::string& text, const std::string& origin) {
  try {
    return Tree::parse(text);
  } catch (const Tree::exception& e) {
    throw Error(ErrorKind::kConfig, std::string("invalid JSON: ") + e.what(), {.file = origin});
  }
}

Tree load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kConfig, "cannot open the configuration file", {.file = path});
  std::ostringstream text;
  text << in.rdbuf();
  if (ends_with(path, ".json")) return parse_json(text.str(), path);
  if (ends_with(path, ".yml") || ends_with(path, ".yaml")) return parse_yaml(text.str(), path);
  throw Error(ErrorKind::kConfig, "unknown configuration format: use .yml, .yaml or .json",
              {.file = path});
}

std::string to_yaml(const Tree& tree) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, tree);
  std::string text = out.c_str();
  return text + "\n";
}

}  // namespace nnfpga::config
