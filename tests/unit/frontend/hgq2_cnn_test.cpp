// HGQ2's QConv1D, QConv2D, QMaxPooling1D/2D, its average pools and global max pools on the
// fixtures tests/fixtures/hgq2/hgq_cnn*, hgq_avgpool*, hgq_globalmax (tools/make_qat_fixtures.sh
// hgq2_cnn, hgq2 0.2.0 on torch): the quantizers declare the types, and the emulator equals
// HGQ2's own outputs bit for bit.
#include <gtest/gtest.h>

#include <string>

#include "api/model_io.hpp"
#include "config/config.hpp"
#include "emulate/emulator.hpp"
#include "fixed/fixed_type.hpp"
#include "io/array_io.hpp"
#include "ir/op_table.hpp"

namespace nnfpga {
namespace {

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/hgq2/" + name;
}

class Hgq2Cnn : public testing::TestWithParam<const char*> {};

TEST_P(Hgq2Cnn, EqualsHgq2BitForBit) {
  const std::string stem = GetParam();
  ir::Graph graph = read_model(fixture(stem + ".keras"));
  configure(graph, config::Tree::object());
  const emulate::Array x = io::read_array(fixture(stem + ".x.npy"));
  const emulate::Array y = io::read_array(fixture(stem + ".y.npy"));
  const emulate::Array got = emulate::Emulator(graph).run({x}).outputs.at(0);
  ASSERT_EQ(got.shape, y.shape);
  std::size_t differ = 0;
  for (std::size_t n = 0; n < y.data.size(); ++n) differ += got.data[n] != y.data[n];
  EXPECT_EQ(differ, 0u) << "of " << y.data.size();
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Hgq2Cnn,
                         testing::Values("hgq_cnn2d", "hgq_cnn1d", "hgq_avgpool2d", "hgq_avgpool1d",
                                         "hgq_globalmax"));

TEST(Hgq2Cnn, ConvolutionsAndPoolsDeclareTheQuantizersTypes) {
  const ir::Graph g = read_model(fixture("hgq_cnn2d.keras"));
  const ir::Node& conv = g.at("qconv1");
  EXPECT_EQ(conv.op, ir::OpKind::kConv2D);
  EXPECT_EQ(conv.attrs.get_ints("pads"), (std::vector<std::int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(conv.inputs, std::vector<std::string>{"qconv1_iq"});
  EXPECT_EQ(conv.declared_types.at("accum"), "auto");
  EXPECT_TRUE(conv.declared_types.count("weight"));
  EXPECT_EQ(g.at("qconv1_relu").op, ir::OpKind::kRelu);
  const ir::Node& pool = g.at("qpool");
  EXPECT_EQ(pool.op, ir::OpKind::kMaxPool2D);
  EXPECT_EQ(pool.inputs, std::vector<std::string>{"qpool_iq"});
  const ir::Graph g1 = read_model(fixture("hgq_cnn1d.keras"));
  EXPECT_EQ(g1.at("qconv1").attrs.get_ints("pads"), (std::vector<std::int64_t>{4, 0}));
  EXPECT_FALSE(g1.at("qconv2").params.count("bias"));
}

TEST(Hgq2Cnn, AveragePoolsDeclareTheirResultTypes) {
  const ir::Graph g = read_model(fixture("hgq_avgpool2d.keras"));
  const ir::Node& avg1 = g.at("qavg1");
  EXPECT_EQ(avg1.op, ir::OpKind::kAveragePool2D);
  EXPECT_EQ(avg1.inputs, std::vector<std::string>{"qavg1_iq"});
  // 2x2: the iq's type with two more fraction bits holds every average exactly.
  const fixed::FixedType in = fixed::parse_type(g.at("qavg1_iq").declared_types.at("result"));
  const fixed::FixedType out = fixed::parse_type(avg1.declared_types.at("result"));
  EXPECT_EQ(out.frac(), in.frac() + 2);
  EXPECT_EQ(out.integer, in.integer);
  // 3x3 without oq: finer than the quotient's grid (4 bits for the area, 10 more).
  const fixed::FixedType in2 = fixed::parse_type(g.at("qavg2_iq").declared_types.at("result"));
  EXPECT_EQ(fixed::parse_type(g.at("qavg2").declared_types.at("result")).frac(), in2.frac() + 14);
  // With oq: the average rounded once into oq's type, then oq (the same type).
  const ir::Node& gap = g.at("qgap");
  EXPECT_EQ(gap.op, ir::OpKind::kGlobalAveragePool2D);
  EXPECT_EQ(gap.declared_types.at("result"), g.at("qgap_oq").declared_types.at("result"));
  const ir::Graph g1 = read_model(fixture("hgq_avgpool1d.keras"));
  EXPECT_EQ(g1.at("qavg").attrs.get_ints("pads"), (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(g1.at("qgap").op, ir::OpKind::kReshape);  // keepdims: [1, C]
  EXPECT_EQ(g1.at("qgap").output_shape, (ir::Shape{1, 4}));
}

TEST(Hgq2Cnn, GlobalMaxPoolsKeepTheirInputsType) {
  const ir::Graph g = read_model(fixture("hgq_globalmax.keras"));
  const ir::Node& two = g.at("qgmax2d");
  EXPECT_EQ(two.op, ir::OpKind::kGlobalMaxPool2D);
  EXPECT_EQ(two.inputs, std::vector<std::string>{"qgmax2d_iq"});
  EXPECT_EQ(two.declared_types.at("result"), "auto");
  EXPECT_EQ(g.at("qgmax2d_oq").op, ir::OpKind::kQuantize);
  EXPECT_EQ(g.at("qgmax1d_pool").op, ir::OpKind::kGlobalMaxPool1D);
  EXPECT_EQ(g.at("qgmax1d").output_shape, (ir::Shape{1, 4}));  // keepdims
}

}  // namespace
}  // namespace nnfpga
