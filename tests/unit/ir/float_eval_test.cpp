// The float meaning of the ops (ir::evaluate_float) on hand-computed values, on plain constants
// (no batch axis, as constant folding calls it) and on batches (as the float path calls it), and
// the kinds that have none.
#include <gtest/gtest.h>

#include "ir/float_eval.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

Node make_node(OpKind op) {
  Node n;
  n.name = "n";
  n.op = op;
  return n;
}

template <typename F>
Error error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return Error(ErrorKind::kInternal, "none");
}

TEST(FloatEval, MatMulOfConstantsAndTheWeightParam) {
  const Tensor x = make_tensor({2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor w = make_tensor({3, 2}, {1, 0, 0, 1, 1, 1});
  Node m = make_node(OpKind::kMatMul);
  EXPECT_EQ(evaluate_float(m, {&x, &w}, 0), make_tensor({2, 2}, {4, 5, 10, 11}));
  m.params["weight"] = w;
  EXPECT_EQ(evaluate_float(m, {&x}, 1), make_tensor({2, 2}, {4, 5, 10, 11}));
  const Tensor bad = make_tensor({2, 2}, {1, 2, 3, 4});
  const Error e = error_of([&] { evaluate_float(m, {&x, &bad}, 0); });
  EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
  EXPECT_EQ(e.where().node, "n");
}

TEST(FloatEval, DenseOverABatchWithBias) {
  Node d = make_node(OpKind::kDense);
  d.input_shapes = {{2}};
  d.output_shape = {2};
  d.params["weight"] = make_tensor({2, 2}, {1, 2, 3, 4});
  d.params["bias"] = make_tensor({2}, {0.5, -0.5});
  const Tensor x = make_tensor({2, 2}, {1, 1, 0, 2});  // a batch of two samples
  EXPECT_EQ(evaluate_float(d, {&x}, 1), make_tensor({2, 2}, {4.5, 5.5, 6.5, 7.5}));
}

TEST(FloatEval, ConstantOpsBroadcastAndSubtractEitherWay) {
  const Tensor x = make_tensor({2, 2}, {1, 2, 3, 4});
  const Tensor c = make_tensor({2}, {10, 20});
  Node s = make_node(OpKind::kSubConstant);
  EXPECT_EQ(evaluate_float(s, {&x, &c}, 0), make_tensor({2, 2}, {-9, -18, -7, -16}));
  s.attrs.set("constant_first", std::int64_t{1});
  EXPECT_EQ(evaluate_float(s, {&x, &c}, 0), make_tensor({2, 2}, {9, 18, 7, 16}));
  Node d = make_node(OpKind::kDivConstant);
  d.params["value"] = make_tensor({1}, {4});
  EXPECT_EQ(evaluate_float(d, {&x}, 1), make_tensor({2, 2}, {0.25, 0.5, 0.75, 1}));
  const Tensor three = make_tensor({3}, {1, 2, 3});
  const Error e = error_of([&] {
    evaluate_float(make_node(OpKind::kAddConstant), {&x, &three}, 0);
  });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_NE(std::string(e.what()).find("do not broadcast"), std::string::npos) << e.what();
}

TEST(FloatEval, ReshapeKeepsTheBatchAxes) {
  Node r = make_node(OpKind::kReshape);
  r.attrs.set("shape", std::vector<std::int64_t>{3, -1});
  const Tensor plain = make_tensor({6}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(evaluate_float(r, {&plain}, 0).shape, (Shape{3, 2}));
  const Tensor batch = make_tensor({2, 6}, std::vector<double>(12, 1.0));
  EXPECT_EQ(evaluate_float(r, {&batch}, 1).shape, (Shape{2, 3, 2}));
  EXPECT_EQ(evaluate_float(make_node(OpKind::kFlatten), {&batch}, 0).shape, (Shape{12}));
}

TEST(FloatEval, MergesAndConcatenate) {
  const Tensor a = make_tensor({2, 1}, {1, 3});
  const Tensor b = make_tensor({2, 2}, {2, 4, 6, 8});
  const Tensor b2 = make_tensor({2, 1}, {5, 7});
  EXPECT_EQ(evaluate_float(make_node(OpKind::kAverage), {&a, &b2}, 1).data,
            (std::vector<double>{3, 5}));
  EXPECT_EQ(evaluate_float(make_node(OpKind::kConcatenate), {&a, &b}, 1),
            make_tensor({2, 3}, {1, 2, 4, 3, 6, 8}));
}

TEST(FloatEval, ElementwiseFunctions) {
  Node clip = make_node(OpKind::kClip);
  clip.attrs.set("min", 0.0);
  clip.attrs.set("max", 6.0);
  const Tensor x = make_tensor({3}, {-1, 3, 9});
  EXPECT_EQ(evaluate_float(clip, {&x}, 0).data, (std::vector<double>{0, 3, 6}));
  EXPECT_EQ(ElementwiseFunction(make_node(OpKind::kSoftsign))(1.0), 0.5);
  EXPECT_EQ(evaluate_float(make_node(OpKind::kQuantize), {&x}, 1), x);
  const Error e = error_of([] { ElementwiseFunction(make_node(OpKind::kDense)); });
  EXPECT_EQ(e.kind(), ErrorKind::kInternal);
}

TEST(FloatEval, InputAndConstantHaveNoFloatMeaningAsAnOp) {
  for (OpKind op : {OpKind::kInput, OpKind::kConstant}) {
    const Error e = error_of([op] { evaluate_float(make_node(op), {}, 1); });
    EXPECT_EQ(e.kind(), ErrorKind::kInternal) << op_name(op);
    EXPECT_NE(e.message().find("no float evaluation"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace nnfpga::ir
