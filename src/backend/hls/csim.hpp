// `nnfpga csim`: compiles a generated project's test bench with g++ against each header set
// (nnfpga's own ap_types, and AMD's when found), runs random and adversarial inputs through it,
// and compares every output with the bit-exact emulator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend/backend.hpp"

namespace nnfpga::backend::hls {

struct CsimRun {
  std::string headers;      // "nnfpga" or "AMD"
  std::string include_dir;  // where that ap_fixed.h is
  std::int64_t samples = 0;
  std::int64_t outputs = 0;    // values compared
  std::int64_t differing = 0;  // values not bit-identical to the emulator
  std::string first_difference;
};

struct CsimReport {
  std::vector<CsimRun> runs;
  std::string note;  // e.g. why AMD's headers were not used
  bool all_identical() const {
    for (const CsimRun& r : runs) {
      if (r.differing != 0) return false;
    }
    return !runs.empty();
  }
};

// Throws nnfpga::Error: kInput when the directory is not an nnfpga project or a build fails
// (with the compiler's message), kConfig when require_amd is set and AMD's headers are missing.
// `options`: the backend interface's (samples, seed, and the C simulation's compiler, AMD header
// location, require_amd and sanitize).
CsimReport run_csim(const std::string& project_dir, const VerifyOptions& options);

}  // namespace nnfpga::backend::hls
