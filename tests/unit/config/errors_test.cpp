#include <gtest/gtest.h>

#include "config/config.hpp"
#include "graphs.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

// Resolves `yaml` on the every-op graph and returns the error it must raise.
Error resolve_error(const std::string& yaml) {
  ir::Graph g = testing::every_op();
  try {
    resolve(g, parse_yaml(yaml, "e.yml"));
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig) << e.what();
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << yaml;
  return Error(ErrorKind::kInternal, "none");
}

bool mentions(const Error& e, const std::string& text) {
  return std::string(e.what()).find(text) != std::string::npos;
}

TEST(ConfigErrorTest, UnknownKeyNamesThePathAndSuggests) {
  Error e = resolve_error("LayerName:\n  dense:\n    ReuseFactr: 2\n");
  EXPECT_EQ(e.where().key, "LayerName.dense.ReuseFactr");
  EXPECT_EQ(e.where().node, "dense");
  EXPECT_TRUE(mentions(e, "did you mean 'ReuseFactor'")) << e.what();

  e = resolve_error("IOtype: io_stream\n");
  EXPECT_EQ(e.where().key, "IOtype");
  EXPECT_TRUE(mentions(e, "'IOType'")) << e.what();

  e = resolve_error("HLSConfig:\n  Modle: {}\n");
  EXPECT_EQ(e.where().key, "HLSConfig.Modle");
  EXPECT_TRUE(mentions(e, "'Model'")) << e.what();

  e = resolve_error("Model:\n  BramFactor: 4\n");
  EXPECT_EQ(e.where().key, "Model.BramFactor");
}

TEST(ConfigErrorTest, UnknownPrecisionKey) {
  Error e = resolve_error("Model:\n  Precision:\n    wieght: ap_fixed<8,3>\n");
  EXPECT_EQ(e.where().key, "Model.Precision.wieght");
  EXPECT_TRUE(mentions(e, "'weight'")) << e.what();
  // A type split by a YAML flow mapping's comma.
  e = resolve_error("Model: {Precision: {weight: ap_fixed<8,3>}}\n");
  EXPECT_TRUE(mentions(e, "must be quoted")) << e.what();
  // A key the op does not have.
  e = resolve_error("LayerName:\n  relu:\n    Precision: {weight: 'ap_fixed<8,3>'}\n");
  EXPECT_EQ(e.where().key, "LayerName.relu.Precision.weight");
  EXPECT_TRUE(mentions(e, "ReLU layer 'relu' has no 'weight' type")) << e.what();
  // 'auto' is inferred where nnfpga derives the exact type, and refused where it does not.
  e = resolve_error("Model:\n  Precision: {result: auto}\n");
  EXPECT_EQ(e.where().key, "Model.Precision.result");
  EXPECT_TRUE(mentions(e, "'auto' is not inferred for Input layers")) << e.what();
  e = resolve_error("Model:\n  Precision: {weight: auto}\n");
  EXPECT_TRUE(mentions(e, "accepted for accum and result only")) << e.what();
}

TEST(ConfigErrorTest, UnknownLayerTypeAndName) {
  Error e = resolve_error("LayerType:\n  Relu: {}\n");
  EXPECT_EQ(e.where().key, "LayerType.Relu");
  EXPECT_TRUE(mentions(e, "did you mean 'ReLU'")) << e.what();
  e = resolve_error("LayerType:\n  MatMul: {}\n");
  EXPECT_EQ(e.where().key, "LayerType.MatMul");

  e = resolve_error("LayerName:\n  dens: {ReuseFactor: 2}\n");
  EXPECT_EQ(e.where().key, "LayerName.dens");
  EXPECT_TRUE(mentions(e, "did you mean 'dense'")) << e.what();
  EXPECT_TRUE(mentions(e, "x, dense, bn")) << e.what();
}

TEST(ConfigErrorTest, BadReuseFactorNamesTheLayerAndNearestValid) {
  // dense is 4x3: 12 multiplications, valid factors 1 2 3 4 6 12.
  Error e = resolve_error("LayerName:\n  dense: {ReuseFactor: 5}\n");
  EXPECT_EQ(e.where().node, "dense");
  EXPECT_EQ(e.where().key, "LayerName.dense.ReuseFactor");
  EXPECT_TRUE(mentions(e, "nearest valid: 3, 4, 6, 12")) << e.what();
  e = resolve_error("Model: {ReuseFactor: 24}\n");
  EXPECT_EQ(e.where().node, "dense");
  EXPECT_EQ(e.where().key, "Model.ReuseFactor");
  EXPECT_TRUE(mentions(e, "nearest valid: 6, 12")) << e.what();
  e = resolve_error("Model: {ReuseFactor: 0}\n");
  EXPECT_EQ(e.where().key, "Model.ReuseFactor");
  e = resolve_error("LayerName:\n  relu: {ReuseFactor: 2}\n");
  EXPECT_EQ(e.where().node, "relu");
  e = resolve_error("LayerName:\n  relu: {TableSize: 256}\n");
  EXPECT_EQ(e.where().key, "LayerName.relu.TableSize");
}

TEST(ConfigErrorTest, BadValues) {
  EXPECT_EQ(resolve_error("Model: {TableSize: 1000}\n").where().key, "Model.TableSize");
  EXPECT_EQ(resolve_error("Model: {TableSize: 131072}\n").where().key, "Model.TableSize");
  EXPECT_EQ(resolve_error("Model: {Strategy: Fast}\n").where().key, "Model.Strategy");
  EXPECT_EQ(resolve_error("IOType: io_serial\n").where().key, "IOType");
  EXPECT_EQ(resolve_error("ClockPeriod: -1\n").where().key, "ClockPeriod");
  EXPECT_EQ(resolve_error("Model: {Precision: 16}\n").where().key, "Model.Precision");
  Error e = resolve_error("IOType: io_parallel\nModel: {IOType: io_stream}\n");
  EXPECT_EQ(e.where().key, "Model.IOType");
  e = resolve_error("Model: {}\nHLSConfig: {Model: {}}\n");
  EXPECT_EQ(e.where().key, "HLSConfig.Model");
}

TEST(ConfigErrorTest, BadTypeNamesKeyAndLayer) {
  Error e = resolve_error("LayerName:\n  dense:\n    Precision: {weight: 'ap_fxied<8,3>'}\n");
  EXPECT_EQ(e.where().key, "LayerName.dense.Precision.weight");
  EXPECT_EQ(e.where().node, "dense");
  e = resolve_error("LayerType:\n  Dense:\n    Precision: {bias: 'ap_fixed<65,10>'}\n");
  EXPECT_EQ(e.where().key, "LayerType.Dense.Precision.bias");
  EXPECT_EQ(e.where().node, "");  // wrong for every Dense layer, not for the first one read
  EXPECT_TRUE(mentions(e, "65")) << e.what();
  e = resolve_error("Model:\n  Precision: 'ap_fixed<65,10>'\n");
  EXPECT_EQ(e.where().key, "Model.Precision");
  EXPECT_EQ(e.where().node, "");  // a model-level key: no layer is to blame
  EXPECT_FALSE(mentions(e, "node '")) << e.what();
  e = resolve_error("Model:\n  Precision: 'ap_ufixed<16,6,AP_SAT>'\n");
  EXPECT_EQ(std::string(e.what()),
            "key 'Model.Precision': bad fixed-point type 'ap_ufixed<16,6,AP_SAT>': AP_SAT is an "
            "overflow mode; it goes after the quantization mode, e.g. "
            "ap_ufixed<16,6,AP_TRN,AP_SAT>");
  // A bad type that no layer uses is still refused.
  e = resolve_error("LayerType:\n  Activation: {Precision: {param: 'ap_fixed<0,1>'}}\n");
  e = resolve_error("Model:\n  Precision: {accum: 'ap_fixed<70,10>'}\n");
  EXPECT_EQ(e.where().key, "Model.Precision.accum");
}

}  // namespace
}  // namespace nnfpga::config

namespace nnfpga::config {
namespace {

TEST(ConfigErrorTest, UnusedBadTypeIsStillRefused) {
  ir::Graph g = testing::mlp();  // no BatchNormalization
  try {
    resolve(g,
            parse_yaml("LayerType:\n  BatchNormalization: {Precision: {scale: 'ap_fixed<99,3>'}}\n",
                       "u.yml"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.where().key, "LayerType.BatchNormalization.Precision.scale");
  }
}

}  // namespace
}  // namespace nnfpga::config
