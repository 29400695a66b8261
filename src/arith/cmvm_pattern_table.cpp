#include "arith/cmvm_pattern_table.hpp"

#include <algorithm>

namespace nnfpga::arith::cmvm {

PatternTable::PatternTable() : keys_(size_t{1} << 12, 0), stats_(keys_.size()), bits_(12) {}

size_t PatternTable::home(std::uint64_t key) const {
  // Fibonacci hashing: packed keys differ mostly in their high (source) bits.
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - bits_));
}

PatternStats* PatternTable::find(std::uint64_t key) {
  const size_t mask = keys_.size() - 1;
  for (size_t i = home(key);; i = (i + 1) & mask) {
    if (keys_[i] == key) return &stats_[i];
    if (keys_[i] == 0) return nullptr;
  }
}

PatternStats& PatternTable::get(std::uint64_t key) {
  if (2 * (size_ + 1) > keys_.size()) grow();  // load at most 1/2 keeps probes short
  const size_t mask = keys_.size() - 1;
  size_t i = home(key);
  for (; keys_[i] != 0; i = (i + 1) & mask) {
    if (keys_[i] == key) return stats_[i];
  }
  keys_[i] = key;
  stats_[i] = {};
  ++size_;
  return stats_[i];
}

void PatternTable::erase(std::uint64_t key) {
  const size_t mask = keys_.size() - 1;
  size_t i = home(key);
  while (keys_[i] != key) {
    if (keys_[i] == 0) return;
    i = (i + 1) & mask;
  }
  if (stats_[i].more >= 0) {
    lists_[static_cast<size_t>(stats_[i].more)].clear();
    free_lists_.push_back(stats_[i].more);
  }
  // Backward shift: pull later entries of the probe run into the hole when their home allows.
  for (size_t j = (i + 1) & mask; keys_[j] != 0; j = (j + 1) & mask) {
    const size_t h = home(keys_[j]);
    const bool between = i <= j ? (i < h && h <= j) : (i < h || h <= j);
    if (between) continue;
    keys_[i] = keys_[j];
    stats_[i] = stats_[j];
    i = j;
  }
  keys_[i] = 0;
  stats_[i] = {};
  --size_;
}

void PatternTable::note_output(PatternStats& s, int output) {
  if (s.first_output < 0 || s.first_output == output) {
    s.first_output = output;
    return;
  }
  if (s.more < 0) {
    if (free_lists_.empty()) {
      s.more = static_cast<int>(lists_.size());
      lists_.emplace_back();
    } else {
      s.more = free_lists_.back();
      free_lists_.pop_back();
    }
  }
  std::vector<int>& list = lists_[static_cast<size_t>(s.more)];
  if (list.empty() || list.back() != output) list.push_back(output);
}

std::vector<int> PatternTable::outputs(PatternStats& s) {
  std::vector<int> out;
  if (s.more >= 0) {
    std::vector<int>& list = lists_[static_cast<size_t>(s.more)];
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    out = list;
  }
  if (s.first_output >= 0) {
    out.insert(std::lower_bound(out.begin(), out.end(), s.first_output), s.first_output);
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  return out;
}

std::vector<std::uint64_t> PatternTable::keys() const {
  std::vector<std::uint64_t> out;
  out.reserve(size_);
  for (std::uint64_t k : keys_)
    if (k != 0) out.push_back(k);
  return out;
}

void PatternTable::grow() {
  std::vector<std::uint64_t> old_keys(keys_.size() * 2, 0);
  std::vector<PatternStats> old_stats(old_keys.size());
  old_keys.swap(keys_);
  old_stats.swap(stats_);
  ++bits_;
  const size_t mask = keys_.size() - 1;
  for (size_t k = 0; k < old_keys.size(); ++k) {
    if (old_keys[k] == 0) continue;
    size_t i = home(old_keys[k]);
    while (keys_[i] != 0) i = (i + 1) & mask;
    keys_[i] = old_keys[k];
    stats_[i] = old_stats[k];
  }
}

}  // namespace nnfpga::arith::cmvm
