#include "deploy/vivado_run.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "nnfpga/error.hpp"

namespace nnfpga::deploy {
namespace {

namespace fs = std::filesystem;

bool is_executable_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::string shell_quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

std::optional<std::string> find_vivado(const std::string& given) {
  if (!given.empty()) {
    const fs::path p(given);
    for (const fs::path& candidate : {p, p / "vivado", p / "bin" / "vivado"}) {
      if (is_executable_file(candidate)) return fs::absolute(candidate).string();
    }
    throw Error(ErrorKind::kInput, "--vivado " + given +
                                       " is not the Vivado executable (nor a folder holding "
                                       "vivado or bin/vivado)");
  }
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::string dirs(path);
  for (std::size_t at = 0; at <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', at), dirs.size());
    const fs::path candidate = fs::path(dirs.substr(at, end - at)) / "vivado";
    if (end > at && is_executable_file(candidate)) return candidate.string();
    at = end + 1;
  }
  return std::nullopt;
}

std::string vivado_command(const std::string& vivado, int jobs) {
  return (vivado == "vivado" ? vivado : shell_quoted(vivado)) +
         " -mode batch -nojournal -log vivado/build.log -source vivado/build.tcl -tclargs " +
         std::to_string(jobs);
}

std::optional<std::string> phase_of(std::string_view line) {
  constexpr std::string_view kMark = "nnfpga-phase: ";
  if (line.rfind(kMark, 0) != 0) return std::nullopt;
  std::string_view name = line.substr(kMark.size());
  while (!name.empty() && (name.back() == '\r' || name.back() == ' ')) name.remove_suffix(1);
  return std::string(name);
}

bool is_error_line(std::string_view line) {
  return line.rfind("ERROR:", 0) == 0;
}

VivadoRun run_vivado(const std::string& deploy_dir, const std::string& command,
                     const std::function<void(const std::string& line)>& on_line) {
  const std::string full = "cd " + shell_quoted(deploy_dir) + " && " + command + " 2>&1";
  FILE* pipe = ::popen(full.c_str(), "r");
  if (pipe == nullptr) throw Error(ErrorKind::kInput, "cannot start: " + full);
  VivadoRun run;
  std::string line;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    line += buffer;
    if (line.empty() || line.back() != '\n') continue;  // a line longer than the buffer
    line.pop_back();
    if (const auto phase = phase_of(line)) run.last_phase = *phase;
    if (is_error_line(line) && run.first_error.empty()) run.first_error = line;
    on_line(line);
    line.clear();
  }
  if (!line.empty()) on_line(line);
  const int status = ::pclose(pipe);
  run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

}  // namespace nnfpga::deploy
