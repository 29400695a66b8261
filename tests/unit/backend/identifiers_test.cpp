// Identifiers for generated code are safe and unique whatever the model calls things.
#include <gtest/gtest.h>

#include <regex>

#include "backend/hls/identifiers.hpp"

namespace nnfpga::backend::hls {
namespace {

TEST(Identifiers, SanitizesHostileNames) {
  EXPECT_EQ(sanitize_identifier("fc1"), "fc1");
  EXPECT_EQ(sanitize_identifier("model/dense_1/MatMul:0"), "model_dense_1_MatMul_0");
  EXPECT_EQ(sanitize_identifier("int"), "n_int");
  EXPECT_EQ(sanitize_identifier("class"), "n_class");
  EXPECT_EQ(sanitize_identifier("1st"), "n_1st");
  EXPECT_EQ(sanitize_identifier(""), "unnamed");
  EXPECT_EQ(sanitize_identifier("___"), "unnamed");
  EXPECT_EQ(sanitize_identifier("__Reserved"), "Reserved");
  EXPECT_EQ(sanitize_identifier("a__b"), "a_b");
  EXPECT_EQ(sanitize_identifier("AP_SAT"), "n_AP_SAT");
  EXPECT_EQ(sanitize_identifier("x\"; system(\"rm -rf /\"); //"), "x_system_rm_rf");
  EXPECT_EQ(sanitize_identifier("caf\xc3\xa9"), "caf");
  const std::regex safe("[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*");
  for (const char* hostile : {"*/ #define x", "\\\n#include <evil>", "a b\tc", "))){{{"}) {
    EXPECT_TRUE(std::regex_match(sanitize_identifier(hostile), safe)) << hostile;
  }
}

TEST(Identifiers, TableMakesNamesUnique) {
  IdentifierTable ids;
  EXPECT_EQ(ids.take("fc 1"), "fc_1");
  EXPECT_EQ(ids.take("fc-1"), "fc_1_2");
  EXPECT_EQ(ids.take("fc_1"), "fc_1_3");
  EXPECT_EQ(ids.take("nnf"), "n_nnf");  // the library's namespace is never shadowed
  EXPECT_TRUE(ids.taken("fc_1_2"));
  EXPECT_FALSE(ids.taken("fc_2"));
}

}  // namespace
}  // namespace nnfpga::backend::hls
