// shell_quote, run_logged, write_text.
#include "boardsim/shell.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "nnfpga/error.hpp"

namespace nnfpga::boardsim {

namespace fs = std::filesystem;

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw Error(ErrorKind::kInput, "cannot write " + path.string());
}

void run_logged(const std::string& command, const fs::path& log, const std::string& what) {
  const std::string cmd = command + " > " + shell_quote(log.string()) + " 2>&1";
  if (std::system(cmd.c_str()) == 0) return;
  std::ifstream in(log, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  constexpr std::size_t kMax = 3000;
  if (text.size() > kMax) text = "..." + text.substr(text.size() - kMax);
  throw Error(ErrorKind::kInput, what + " (log: " + log.string() + "):\n" + text);
}

}  // namespace nnfpga::boardsim
