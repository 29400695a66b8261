// Internal to the CMVM optimizer: the count of every live two-term pattern, keyed by its packed
// form. An open-addressing table (linear probing, erase by backward shift) rather than
// std::unordered_map: the optimizer's time is almost all spent here, and a flat table keeps the
// millions of updates a dense 64x32 matrix needs within cache and free of allocations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nnfpga::arith::cmvm {

struct PatternStats {
  int count = 0;          // pairs of terms, over all outputs, that form the pattern
  int queued = 0;         // the count the selector's heap holds for it (0: none)
  int first_output = -1;  // an output that held it (it may not any more)
  int more = -1;          // index of the list of further such outputs, -1: none
};

class PatternTable {
 public:
  PatternTable();

  // nullptr when `key` has no live pairs. Key 0 never names a pattern (it would be x0 + x0).
  PatternStats* find(std::uint64_t key);
  // Inserts a zero entry when missing. Invalidates pointers from earlier calls.
  PatternStats& get(std::uint64_t key);
  void erase(std::uint64_t key);

  void note_output(PatternStats& s, int output);
  // The outputs noted for `s`, sorted and without repeats.
  std::vector<int> outputs(PatternStats& s);
  std::vector<std::uint64_t> keys() const;

 private:
  size_t home(std::uint64_t key) const;
  void grow();

  std::vector<std::uint64_t> keys_;
  std::vector<PatternStats> stats_;
  size_t size_ = 0;
  int bits_ = 0;
  std::vector<std::vector<int>> lists_;
  std::vector<int> free_lists_;
};

}  // namespace nnfpga::arith::cmvm
