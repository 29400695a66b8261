// Command-line assignments ("LayerName.fc1.ReuseFactor=4") and the merging of trees.
#include <array>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/scalar.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

constexpr std::array<std::string_view, 3> kSections = {"Model", "LayerType", "LayerName"};
// The keys a single type string sets when a Precision value is expanded into a map.
constexpr std::array<std::string_view, 5> kSingleStringKeys = {"weight", "bias", "scale", "param",
                                                               "result"};

[[noreturn]] void malformed(std::string_view assignment, const std::string& why) {
  throw Error(ErrorKind::kConfig, "malformed assignment '" + std::string(assignment) + "': " + why +
                                      " (expected KEY.PATH=value, e.g. Model.ReuseFactor=4)");
}

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  const auto end = s.find_last_not_of(" \t");
  return std::string(s.substr(begin, end - begin + 1));
}

// Splits "LayerName.'model.fc1'.ReuseFactor" at the dots outside quotes; a quoted segment may
// hold dots and '=' (ONNX node names often do). Returns the path and the value text.
std::pair<std::vector<std::string>, std::string> split(std::string_view assignment) {
  std::vector<std::string> path(1);
  char quote = 0;
  for (std::size_t i = 0; i < assignment.size(); ++i) {
    const char c = assignment[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        path.back() += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '.') {
      path.emplace_back();
    } else if (c == '=') {
      for (std::string& segment : path) {
        segment = trim(segment);
        if (segment.empty()) malformed(assignment, "the key path has an empty part");
      }
      return {path, trim(assignment.substr(i + 1))};
    } else {
      path.back() += c;
    }
  }
  malformed(assignment, quote ? "a quote is not closed" : "there is no '='");
}

Tree value_of(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front()) {
    return std::string(text.substr(1, text.size() - 2));
  }
  return detail::scalar_from_text(text);
}

bool is_section(const std::string& key) {
  for (std::string_view s : kSections) {
    if (key == s) return true;
  }
  return false;
}

// The tree's sections inside HLSConfig moved to the top level (merge uses it when two trees
// disagree on the wrapper).
Tree lift_hls_config(Tree tree) {
  if (!tree.is_object() || !tree.contains("HLSConfig") || !tree["HLSConfig"].is_object()) {
    return tree;
  }
  Tree wrapped = tree["HLSConfig"];
  tree.erase("HLSConfig");
  for (auto& [key, value] : wrapped.items()) tree[key] = merge(tree.value(key, Tree()), value);
  return tree;
}

bool wraps(const Tree& t) {
  return t.is_object() && t.contains("HLSConfig");
}
bool has_top_sections(const Tree& t) {
  if (!t.is_object()) return false;
  for (std::string_view s : kSections) {
    if (t.contains(std::string(s))) return true;
  }
  return false;
}

}  // namespace

void apply_assignment(Tree& tree, std::string_view assignment) {
  auto [path, value_text] = split(assignment);
  if (value_text.empty()) malformed(assignment, "the value is empty");
  if (!tree.is_object()) tree = Tree::object();
  // A file that wraps its sections in HLSConfig keeps them there: the assignment must change the
  // value the file holds, not add a second Model beside it.
  if (is_section(path.front()) && wraps(tree)) path.insert(path.begin(), "HLSConfig");

  Tree* at = &tree;
  std::string walked;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    walked += (i ? "." : "") + path[i];
    Tree& next = (*at)[path[i]];
    if (next.is_string() && path[i] == "Precision") {
      // "Precision: ap_fixed<16,6>" then "Precision.weight=...": expand the single type into
      // the keys it sets, so that only the weight changes.
      const Tree single = next;
      next = Tree::object();
      for (std::string_view k : kSingleStringKeys) next[std::string(k)] = single;
    } else if (next.is_null()) {
      next = Tree::object();
    } else if (!next.is_object()) {
      malformed(assignment, "'" + walked + "' holds a value, not a section");
    }
    at = &next;
  }
  (*at)[path.back()] = value_of(value_text);
}

Tree merge(Tree base, const Tree& overlay) {
  if (!base.is_object() || !overlay.is_object()) return overlay.is_null() ? base : overlay;
  if ((wraps(base) && has_top_sections(overlay)) || (has_top_sections(base) && wraps(overlay))) {
    return merge(lift_hls_config(std::move(base)), lift_hls_config(overlay));
  }
  for (const auto& [key, value] : overlay.items()) {
    base[key] = base.contains(key) ? merge(base[key], value) : value;
  }
  return base;
}

}  // namespace nnfpga::config
