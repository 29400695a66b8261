#include <gtest/gtest.h>

#include <cmath>

#include "fixed/fixed_type.hpp"
#include "nnfpga/error.hpp"
#include "passes/passes.hpp"
#include "test_graphs.hpp"

namespace nnfpga::passes {
namespace {

using fixed::make_fixed;
using ir::OpKind;
using testing::Builder;

ir::Graph dense_graph(std::vector<double> weight) {
  Builder b;
  b.input("x", {2});
  ir::Node& d = b.op(OpKind::kDense, "d", {"x"});
  d.params["weight"] = ir::make_tensor({2, 1}, std::move(weight));
  d.params["bias"] = ir::make_tensor({1}, {0.03});
  ir::Graph g = b.finish({"d"});
  g.nodes[0].types["result"] = make_fixed(16, 6);
  g.nodes[1].types = {{"weight", make_fixed(8, 3)},
                      {"bias", make_fixed(8, 3, true, fixed::Quantization::kRnd)},
                      {"accum", make_fixed(24, 10)},
                      {"result", make_fixed(16, 6)}};
  return g;
}

TEST(QuantizeParameters, QuantizesEachParamIntoItsTypeCountingOverflows) {
  ir::Graph g = dense_graph({0.5, 5.0});
  quantize_parameters(g);
  const ir::QuantizedTensor& w = g.at("d").qparam("weight");
  EXPECT_EQ(w.type, make_fixed(8, 3));
  ASSERT_EQ(w.mantissa.size(), 2u);
  EXPECT_EQ(w.mantissa[0], 16);  // 0.5 * 2^5
  EXPECT_EQ(w.overflows, 1);     // 5.0 does not fit ap_fixed<8,3>
  const ir::QuantizedTensor& bias = g.at("d").qparam("bias");
  EXPECT_EQ(bias.mantissa, std::vector<std::int64_t>{1});  // 0.96 rounds to 1 with AP_RND
  EXPECT_EQ(bias.overflows, 0);
}

TEST(QuantizeParameters, RefusesAnUnresolvedType) {
  ir::Graph g = dense_graph({0.5, 0.25});
  g.nodes[1].types.erase("bias");
  try {
    quantize_parameters(g);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
    EXPECT_EQ(e.where().node, "d");
  }
}

TEST(QuantizeParameters, RefusesNaNNamingTheNodeAndParam) {
  ir::Graph g = dense_graph({0.5, std::nan("")});
  try {
    quantize_parameters(g);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().node, "d");
    EXPECT_NE(e.message().find("'weight'"), std::string::npos) << e.what();
  }
}

TEST(QuantizeParameters, QuantizesLeakyReluAlphaAndClipBoundsInTheInputType) {
  Builder b;
  b.input("x", {2});
  b.op(OpKind::kLeakyRelu, "lrelu", {"x"}).attrs.set("alpha", 0.1);
  ir::Node& clip = b.op(OpKind::kClip, "clip", {"lrelu"});
  clip.attrs.set("min", 0.0);
  clip.attrs.set("max", 6.0);
  b.op(OpKind::kClip, "relu_only", {"clip"}).attrs.set("min", 0.1);  // no max
  ir::Graph g = b.finish({"relu_only"});
  g.nodes[0].types["result"] = make_fixed(16, 6);
  g.nodes[1].types = {{"param", make_fixed(8, 1)}, {"result", make_fixed(8, 2)}};
  g.nodes[2].types = {{"result", make_fixed(16, 6)}};
  g.nodes[3].types = {{"result", make_fixed(16, 6)}};
  quantize_parameters(g);

  const ir::QuantizedTensor& alpha = g.at("lrelu").qparam("alpha");
  EXPECT_EQ(alpha.type, make_fixed(8, 1));
  EXPECT_EQ(alpha.mantissa, std::vector<std::int64_t>{12});  // trunc(0.1 * 128)

  // ap_fixed<8,2> has 6 fraction bits; 6.0 saturates to its largest value, 127/64.
  const fixed::FixedType bound_type =
      make_fixed(8, 2, true, fixed::Quantization::kRndConv, fixed::Overflow::kSat);
  const ir::Node& c = g.at("clip");
  EXPECT_EQ(c.qparam("min").type, bound_type);
  EXPECT_EQ(c.qparam("min").mantissa, std::vector<std::int64_t>{0});
  EXPECT_EQ(c.qparam("max").mantissa, std::vector<std::int64_t>{127});
  EXPECT_EQ(c.qparam("max").overflows, 1);

  const ir::Node& r = g.at("relu_only");  // its input type is ap_fixed<16,6>: 10 fraction bits
  EXPECT_EQ(r.qparam("min").mantissa, std::vector<std::int64_t>{102});  // 102.4 to nearest
  EXPECT_EQ(r.qparam("max").mantissa, std::vector<std::int64_t>{32767});
}

}  // namespace
}  // namespace nnfpga::passes
