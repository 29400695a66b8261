// The config structs the HLS emitters write and the hlslib templates that read them agree by
// name: every CONFIG_T::<member> a called template reads (itself or through the library templates
// it calls) is written in the struct it is given, and every member written is read by one of the
// calls given that struct. The compiler would catch a missing member only for the templates a
// project instantiates, and never an unread one; this reads the text both sides are made of.
// The fixtures together call every entry point of hlslib/nnfpga/, which the last test checks.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>  // getpid

#include "../golden_files.hpp"
#include "api/model_io.hpp"
#include "backend/hls/project.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;
using Names = std::set<std::string>;

// One function or class template of hlslib/nnfpga/ taking a CONFIG_T (a class: window.h's
// per-pixel operations, which the window loops are given as a template argument).
struct LibraryTemplate {
  Names reads;    // CONFIG_T::<name> in its signature and body
  Names callees;  // library templates it calls or names with the same CONFIG_T
};

// The text from `open` (a '{') to its matching '}'.
std::string braced(const std::string& text, std::size_t open) {
  int depth = 0;
  for (std::size_t k = open; k < text.size(); ++k) {
    if (text[k] == '{') ++depth;
    if (text[k] == '}' && --depth == 0) return text.substr(open, k - open + 1);
  }
  return text.substr(open);
}

std::map<std::string, LibraryTemplate> library_templates() {
  const fs::path dir = fs::path(NNFPGA_FIXTURES_DIR) / ".." / ".." / "hlslib" / "nnfpga";
  // Any return type: the window helpers return the position they compute, or a value.
  const std::regex head(
      R"(template <[^>]*\bclass CONFIG_T>\s*(?:\w+\s+(\w+)\s*\(|struct\s+(\w+)[^;{]*\{))");
  const std::regex read(R"(\bCONFIG_T::(\w+))");
  const std::regex call(R"(\b(\w+)<[^<>;{}]*\bCONFIG_T>)");
  std::map<std::string, LibraryTemplate> out;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    const std::string text = testing::read_file_bytes(e.path());
    for (std::sregex_iterator m(text.begin(), text.end(), head), end; m != end; ++m) {
      const auto start = static_cast<std::size_t>(m->position(0));
      const std::string whole =
          text.substr(start, text.find('{', start) - start) + braced(text, text.find('{', start));
      LibraryTemplate& t = out[(*m)[1].matched ? (*m)[1].str() : (*m)[2].str()];
      for (std::sregex_iterator r(whole.begin(), whole.end(), read); r != end; ++r) {
        t.reads.insert((*r)[1]);
      }
      for (std::sregex_iterator c(whole.begin(), whole.end(), call); c != end; ++c) {
        t.callees.insert((*c)[1]);
      }
    }
  }
  return out;
}

// What a template reads, through the library templates it calls.
Names reads_through(const std::map<std::string, LibraryTemplate>& lib, const std::string& name) {
  Names reads;
  std::vector<std::string> todo{name};
  Names seen;
  while (!todo.empty()) {
    const std::string f = todo.back();
    todo.pop_back();
    if (!seen.insert(f).second || !lib.count(f)) continue;
    reads.insert(lib.at(f).reads.begin(), lib.at(f).reads.end());
    todo.insert(todo.end(), lib.at(f).callees.begin(), lib.at(f).callees.end());
  }
  return reads;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    out.push_back(text.substr(start, end - start));
  }
  return out;
}

// The config structs of parameters.h: name -> member names.
std::map<std::string, Names> emitted_configs(const std::string& parameters_h) {
  const std::regex open(R"(struct (\w+) \{)");
  // "  static const int n_in = 4;", "  static constexpr double scale = 0.5;", "  typedef T x_t;"
  const std::regex member(R"(  (?:static [^=;]*\b(\w+) = [^;]*|typedef .*\b(\w+));)");
  std::map<std::string, Names> out;
  Names* members = nullptr;
  for (const std::string& line : lines(parameters_h)) {
    std::smatch m;
    if (std::regex_match(line, m, open)) {
      members = &out[m[1]];
    } else if (line == "};") {
      members = nullptr;
    } else if (members != nullptr) {
      EXPECT_TRUE(std::regex_match(line, m, member)) << "not a config member: " << line;
      members->insert(m[1].matched ? m[1].str() : m[2].str());
    }
  }
  return out;
}

struct EmittedCall {
  std::string function;
  std::string config;  // the last template argument
};

std::vector<EmittedCall> emitted_calls(const std::string& top_cpp) {
  const std::regex call(R"(\s*nnf::(\w+)<.*\b(\w+)>\(.*\);)");
  std::vector<EmittedCall> out;
  for (const std::string& line : lines(top_cpp)) {
    std::smatch m;
    if (std::regex_match(line, m, call)) out.push_back({m[1], m[2]});
  }
  return out;
}

// Every op family the emitters write, with each strategy of Dense.
std::vector<std::pair<std::string, config::Tree>> models() {
  config::Tree plain;
  plain["Model"]["Precision"] = "ap_fixed<10,4,AP_RND,AP_SAT>";
  plain["Model"]["TableSize"] = 16;
  config::Tree resource = plain;
  resource["Model"]["Strategy"] = "Resource";
  resource["Model"]["ReuseFactor"] = 2;
  config::Tree stream = plain;
  stream["Model"]["IOType"] = "io_stream";
  return {{"onnx/relu_torch.onnx", resource},
          {"keras2/func_merge.h5", plain},
          {"keras2/seq_activations.h5", plain},
          {"keras2/seq_relu_family.h5", plain},
          {"keras2/qkeras_binary_ternary.h5", plain},
          {"keras2/qkeras_qbn.h5", plain},
          {"keras3/keras_functional.keras", plain},
          // The CNN layers, on arrays (io_parallel) and as streams (io_stream's dataflow top).
          {"keras3/cnn_conv1d.keras", plain},
          {"keras3/cnn_conv1d.keras", stream},
          {"keras3/cnn_depthwise1d.keras", plain},
          {"keras3/cnn_depthwise1d.keras", stream},
          {"keras3/cnn_encoder_decoder.keras", plain},
          {"keras3/cnn_encoder_decoder.keras", stream},
          {"keras3/cnn_residual.keras", resource},
          {"keras3/cnn_residual.keras", stream},
          {"onnx_cnn/pad_pool_torch.onnx", plain},
          {"onnx_cnn/pad_pool_torch.onnx", stream},
          // Keras's Permute: a Transpose on arrays and as a stream.
          {"keras3/cnn_separable.keras", plain},
          {"keras3/cnn_separable.keras", stream}};
}

// What no fixture has: Concatenate on a position axis (the rows) of two streams.
ir::Graph rows_concatenation() {
  ir::Node x{.name = "x", .op = ir::OpKind::kInput};
  x.attrs.set("shape", std::vector<std::int64_t>{3, 4, 2});
  ir::Node relu{.name = "relu", .op = ir::OpKind::kRelu, .inputs = {"x"}};
  ir::Node cat{.name = "cat", .op = ir::OpKind::kConcatenate, .inputs = {"x", "relu"}};
  cat.attrs.set("axis", std::int64_t{0});
  ir::Graph g{.name = "rows"};
  g.nodes = {x, relu, cat};
  g.inputs = {"x"};
  g.outputs = {"cat"};
  ir::infer_shapes(g);
  config::Tree cfg;
  cfg["Model"]["IOType"] = "io_stream";
  cfg["Model"]["Precision"] = "ap_fixed<10,4,AP_RND,AP_SAT>";
  configure(g, cfg);
  return g;
}

// A model's project as the checks below read it.
struct WrittenProject {
  std::string model;
  std::map<std::string, Names> configs;
  std::vector<EmittedCall> calls;
};

const std::vector<WrittenProject>& written_projects() {
  static const std::vector<WrittenProject> projects = [] {
    std::vector<WrittenProject> out;
    // Named for the process: other checkouts on the machine may run this test at the same time.
    const fs::path dir =
        fs::temp_directory_path() / ("nnfpga_config_members_" + std::to_string(::getpid()));
    auto add = [&](const std::string& model, const ir::Graph& graph) {
      fs::remove_all(dir);
      write_project(graph, dir.string(), {.top = "members"});
      out.push_back({model,
                     emitted_configs(testing::read_file_bytes(dir / "firmware/parameters.h")),
                     emitted_calls(testing::read_file_bytes(dir / "firmware/members.cpp"))});
    };
    for (const auto& [model, cfg] : models()) {
      add(model, load_configured(std::string(NNFPGA_FIXTURES_DIR) + "/" + model, cfg));
    }
    add("rows_concatenation (built here)", rows_concatenation());
    fs::remove_all(dir);
    return out;
  }();
  return projects;
}

TEST(ConfigMembers, EmittersWriteWhatTheTemplatesRead) {
  const auto library = library_templates();
  ASSERT_TRUE(library.count("dense")) << "no templates read from hlslib/nnfpga/";
  for (const WrittenProject& p : written_projects()) {
    SCOPED_TRACE(p.model);
    ASSERT_FALSE(p.calls.empty());
    std::map<std::string, Names> read_of_config;
    for (const EmittedCall& c : p.calls) {
      ASSERT_TRUE(library.count(c.function)) << "nnf::" << c.function << " is not in hlslib";
      ASSERT_TRUE(p.configs.count(c.config)) << c.config << " is not in parameters.h";
      const Names reads = reads_through(library, c.function);
      for (const std::string& name : reads) {
        EXPECT_TRUE(p.configs.at(c.config).count(name))
            << "nnf::" << c.function << " reads CONFIG_T::" << name << ", which " << c.config
            << " does not define";
      }
      read_of_config[c.config].insert(reads.begin(), reads.end());
    }
    for (const auto& [config, members] : p.configs) {
      EXPECT_TRUE(read_of_config.count(config)) << config << " is given to no library call";
      for (const std::string& name : members) {
        EXPECT_TRUE(read_of_config[config].count(name))
            << config << " defines " << name << ", which no library call given it reads";
      }
    }
  }
}

// An entry point is a library template no other one calls; one the models never reach would have
// its members checked by nothing above.
TEST(ConfigMembers, TheModelsCallEveryEntryPoint) {
  const auto library = library_templates();
  Names called;
  for (const WrittenProject& p : written_projects()) {
    for (const EmittedCall& c : p.calls) called.insert(c.function);
  }
  Names inner;
  for (const auto& [name, t] : library) inner.insert(t.callees.begin(), t.callees.end());
  for (const auto& [name, t] : library) {
    if (!inner.count(name)) {
      EXPECT_TRUE(called.count(name)) << "no model calls nnf::" << name;
    }
  }
}

}  // namespace
}  // namespace nnfpga::backend::hls
