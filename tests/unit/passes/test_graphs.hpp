// Hand-built graphs for the pass tests: a tiny builder, deterministic random tensors, and a check
// that a pass keeps the graph's float function (via reference_eval.hpp).
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ir/graph.hpp"
#include "reference_eval.hpp"

namespace nnfpga::passes::testing {

inline ir::Tensor random_tensor(ir::Shape shape, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> dist(-2.0, 2.0);
  ir::Tensor t{shape, Values(static_cast<std::size_t>(ir::element_count(shape)))};
  for (double& v : t.data) v = dist(gen);
  return t;
}

class Builder {
 public:
  std::string input(const std::string& name, ir::Shape shape) {
    ir::Node n = node(name, ir::OpKind::kInput, {});
    n.attrs.set("shape", shape);
    g_.inputs.push_back(name);
    return add(std::move(n));
  }
  std::string constant(const std::string& name, ir::Tensor value) {
    ir::Node n = node(name, ir::OpKind::kConstant, {});
    n.params["value"] = std::move(value);
    return add(std::move(n));
  }
  // An op node; set its params and attrs on the returned reference before adding the next node.
  ir::Node& op(ir::OpKind kind, const std::string& name, std::vector<std::string> inputs) {
    add(node(name, kind, std::move(inputs)));
    return g_.nodes.back();
  }
  // The graph as built, without validation or shapes.
  ir::Graph unchecked(std::vector<std::string> outputs) {
    g_.outputs = std::move(outputs);
    return g_;
  }
  ir::Graph finish(std::vector<std::string> outputs) {
    g_.outputs = std::move(outputs);
    ir::validate(g_);
    ir::infer_shapes(g_);
    return g_;
  }

 private:
  static ir::Node node(const std::string& name, ir::OpKind kind, std::vector<std::string> in) {
    ir::Node n;
    n.name = name;
    n.op = kind;
    n.inputs = std::move(in);
    n.source_op = std::string(ir::op_name(kind));
    return n;
  }
  std::string add(ir::Node n) {
    g_.nodes.push_back(std::move(n));
    return g_.nodes.back().name;
  }
  ir::Graph g_;
};

// Evaluates both graphs on a few random samples and expects the same outputs.
inline void expect_same_function(const ir::Graph& before, const ir::Graph& after) {
  ASSERT_EQ(before.inputs.size(), after.inputs.size());
  ASSERT_EQ(before.outputs.size(), after.outputs.size());
  for (unsigned seed = 1; seed <= 3; ++seed) {
    std::vector<Values> in;
    for (std::size_t i = 0; i < before.inputs.size(); ++i) {
      const ir::Shape& s = before.at(before.inputs[i]).attrs.get_ints("shape");
      in.push_back(random_tensor(s, seed * 100 + static_cast<unsigned>(i)).data);
    }
    const std::vector<Values> a = reference_eval(before, in);
    const std::vector<Values> b = reference_eval(after, in);
    for (std::size_t o = 0; o < a.size(); ++o) {
      ASSERT_EQ(a[o].size(), b[o].size()) << "output " << o;
      for (std::size_t k = 0; k < a[o].size(); ++k) {
        EXPECT_NEAR(a[o][k], b[o][k], 1e-9 * (1.0 + std::abs(a[o][k])))
            << "output " << o << " element " << k;
      }
    }
  }
}

inline std::vector<ir::OpKind> ops_of(const ir::Graph& g) {
  std::vector<ir::OpKind> out;
  for (const ir::Node& n : g.nodes) out.push_back(n.op);
  return out;
}

}  // namespace nnfpga::passes::testing
