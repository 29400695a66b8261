// SHA-256 (FIPS 180-4) of a byte string, as lowercase hex: the model hash the board wrapper
// reports in its MODEL_HASH registers and deploy.json states, so that a driver can tell which
// model a loaded bitstream holds. Computed by OpenSSL's libcrypto.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nnfpga::deploy {

// The 64 hex digits of the SHA-256 digest of `bytes`.
std::string sha256_hex(std::string_view bytes);

// Word `i` (0..7) of a digest as the board reports it: hex digits [8i, 8i + 8) read as a
// 32-bit number.
std::uint32_t digest_word(const std::string& hex_digest, int i);

}  // namespace nnfpga::deploy
