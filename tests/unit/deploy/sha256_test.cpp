// SHA-256 (OpenSSL) against the examples of FIPS 180-4 (NIST's published digests) and sha256sum.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "deploy/sha256.hpp"

namespace nnfpga::deploy {
namespace {

TEST(Sha256, MatchesTheStandardsExamples) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // Two blocks: the padding does not fit the first.
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, MatchesSha256sumOnEveryLengthAroundABlock) {
  if (std::system("sha256sum --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no sha256sum";
  const auto file = std::filesystem::temp_directory_path() / "nnfpga_sha256_probe.bin";
  for (int n : {55, 56, 63, 64, 65, 119, 120, 1000}) {
    std::string bytes;
    for (int i = 0; i < n; ++i) bytes.push_back(static_cast<char>((i * 37 + 11) & 0xff));
    std::ofstream(file, std::ios::binary) << bytes;
    FILE* p = popen(("sha256sum " + file.string()).c_str(), "r");
    ASSERT_NE(p, nullptr);
    char digest[65] = {};
    ASSERT_EQ(std::fread(digest, 1, 64, p), 64u);
    pclose(p);
    EXPECT_EQ(sha256_hex(bytes), std::string(digest)) << n << " bytes";
  }
  std::filesystem::remove(file);
}

TEST(Sha256, DigestWordsAreHexDigitsReadAsNumbers) {
  const std::string d = sha256_hex("abc");
  EXPECT_EQ(digest_word(d, 0), 0xba7816bfu);
  EXPECT_EQ(digest_word(d, 7), 0xf20015adu);
}

}  // namespace
}  // namespace nnfpga::deploy
