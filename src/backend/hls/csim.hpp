// `nnfpga csim`: compiles a generated project's test bench with g++ against each header set
// (nnfpga's own ap_types, and AMD's when found), runs random and adversarial inputs through it,
// and compares every output with the bit-exact emulator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnfpga::backend::hls {

struct CsimOptions {
  std::int64_t samples = 10000;
  std::uint64_t seed = 1;
  std::string cxx;           // the compiler; empty: $CXX, else g++
  std::string amd_ap_types;  // AMD's headers; empty: $NNFPGA_AP_TYPES_DIR, else hls4ml's
  bool require_amd = false;  // fail when AMD's headers are not found
  // Build the nnfpga-headers run with AddressSanitizer and UBSan, so that an out-of-range table
  // index or an undefined shift in the layer library fails loudly (AMD's headers are built
  // plain: they have undefined shifts of their own).
  bool sanitize = false;
};

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
CsimReport run_csim(const std::string& project_dir, const CsimOptions& options);

}  // namespace nnfpga::backend::hls
