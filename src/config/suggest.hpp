// "Did you mean" hints for misspelt keys and layer names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nnfpga::config::detail {

// The candidate closest to `word` (case-insensitive edit distance), when it is close enough to
// be a likely typo: at most a third of the word's length, and at least one edit. Empty otherwise.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'X'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// Whether `word` is one of `items` (exactly, case included).
bool contains(const std::vector<std::string>& items, std::string_view word);

// "a, b, c" (with ", ..." after `limit` items).
std::string join(const std::vector<std::string>& items, std::size_t limit = 1000);

}  // namespace nnfpga::config::detail
