// The project's facts, the compiler and the header lookup for host builds of a project.
#include "backend/hls/host_build.hpp"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "backend/hls/project.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

}  // namespace

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string log_tail(const std::string& text, std::size_t max_chars) {
  return text.size() <= max_chars ? text : "..." + text.substr(text.size() - max_chars);
}

std::string read_project_top(const fs::path& dir) {
  if (!fs::exists(dir / kModelJson) || !fs::exists(dir / kProjectJson)) {
    throw Error(ErrorKind::kInput, dir.string() + " is not a project written by nnfpga convert (" +
                                       kModelJson + " or " + kProjectJson + " is missing)");
  }
  try {
    return nlohmann::json::parse(read_text(dir / kProjectJson)).at("top").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kInput, std::string("bad ") + kProjectJson + ": " + e.what());
  }
}

std::string host_compiler(const std::string& cxx) {
  return cxx.empty() ? env_or("CXX", "g++") : cxx;
}

std::string find_amd_headers(const std::string& dir_option, const fs::path& scratch) {
  std::string dir = dir_option.empty() ? env_or("NNFPGA_AP_TYPES_DIR", "") : dir_option;
  if (dir.empty()) {
    const fs::path out = scratch / "hls4ml_path.txt";
    const std::string cmd =
        "python3 -c \"import hls4ml, os; print(os.path.join(os.path.dirname(hls4ml.__file__), "
        "'templates', 'vivado', 'ap_types'))\" > " +
        shell_quote(out.string()) + " 2>/dev/null";
    if (std::system(cmd.c_str()) == 0) {
      dir = read_text(out);
      while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) dir.pop_back();
    }
  }
  return !dir.empty() && fs::exists(fs::path(dir) / "ap_fixed.h") ? dir : std::string();
}

void run_host_compile(const HostCompile& compile, const fs::path& log, const std::string& failure) {
  // Appended piece by piece: `" " + shell_quote(...)` trips GCC 12's bogus -Wrestrict.
  std::string command = shell_quote(compile.cxx);
  auto add = [&command](const char* prefix, const std::string& argument) {
    command += prefix;
    command += shell_quote(argument);
  };
  for (const std::string& f : compile.flags) add(" ", f);
  for (const std::string& d : compile.include_dirs) add(" -I", d);
  for (const std::string& s : compile.sources) add(" ", s);
  add(" -o ", compile.output);
  add(" > ", log.string());
  command += " 2>&1";
  if (std::system(command.c_str()) != 0) {
    throw Error(ErrorKind::kInput, failure + ":\n" + log_tail(read_text(log)));
  }
}

}  // namespace nnfpga::backend::hls
