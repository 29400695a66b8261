// SHA-256 through OpenSSL's one-shot EVP digest: a well-kept library rather than our own rounds.
#include "deploy/sha256.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>

#include "nnfpga/error.hpp"

namespace nnfpga::deploy {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != 32) {
    throw Error(ErrorKind::kInternal, "OpenSSL's SHA-256 failed");
  }
  std::string hex;
  hex.reserve(64);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::uint32_t digest_word(const std::string& hex_digest, int i) {
  return static_cast<std::uint32_t>(
      std::stoul(hex_digest.substr(static_cast<std::size_t>(8 * i), 8), nullptr, 16));
}

}  // namespace nnfpga::deploy
