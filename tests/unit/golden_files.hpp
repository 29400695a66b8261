// The golden-file check both backends' golden tests use (house rule 5): a project's generated
// files against tests/golden/<backend>/<name>/, file by file. With NNFPGA_UPDATE_GOLDEN set the
// golden files are rewritten instead (and stale ones removed), for review in the diff.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace nnfpga::testing {

inline std::string read_file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes a project into the directory given and returns its files, relative to it.
using ProjectWriter = std::function<std::vector<std::string>(const std::filesystem::path&)>;

// Writes the project into a scratch directory named after `scratch`, compares every file that
// `pinned` accepts with `golden`/<file>, fails on golden files the writer no longer writes (they
// would pin nothing), and writes the project a second time to check that the bytes repeat
// (nothing may depend on time, paths or iteration order). Returns the number of files compared.
inline int check_golden_files(
    const std::filesystem::path& golden, const std::string& scratch, const ProjectWriter& write,
    const std::function<bool(const std::string&)>& pinned = [](const std::string&) {
      return true;
    }) {
  namespace fs = std::filesystem;
  const fs::path out = fs::temp_directory_path() / ("nnfpga_golden_" + scratch);
  fs::remove_all(out);
  const std::vector<std::string> files = write(out);
  const bool update = std::getenv("NNFPGA_UPDATE_GOLDEN") != nullptr;
  int compared = 0;
  for (const std::string& file : files) {
    if (!pinned(file)) continue;
    if (update) {
      fs::create_directories((golden / file).parent_path());
      std::ofstream(golden / file, std::ios::binary) << read_file_bytes(out / file);
      continue;
    }
    EXPECT_TRUE(fs::exists(golden / file)) << file << " is new: regenerate the golden files";
    EXPECT_EQ(read_file_bytes(out / file), read_file_bytes(golden / file)) << file << " changed";
    ++compared;
  }
  const std::set<std::string> written(files.begin(), files.end());
  for (const auto& entry : fs::recursive_directory_iterator(golden)) {
    if (!entry.is_regular_file()) continue;
    const std::string file = fs::relative(entry.path(), golden).generic_string();
    if (written.count(file) != 0) continue;
    if (update) {
      fs::remove(entry.path());
    } else {
      ADD_FAILURE() << file << " is no longer written: regenerate the golden files";
    }
  }
  const fs::path again = fs::temp_directory_path() / ("nnfpga_golden_again_" + scratch);
  fs::remove_all(again);
  write(again);
  for (const std::string& file : files) {
    EXPECT_EQ(read_file_bytes(out / file), read_file_bytes(again / file)) << file;
  }
  fs::remove_all(out);
  fs::remove_all(again);
  return compared;
}

}  // namespace nnfpga::testing
