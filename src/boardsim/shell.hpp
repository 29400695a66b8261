// Running the external programs boardsim needs (Verilator, Python): quoting, logs, files.
#pragma once

#include <filesystem>
#include <string>

namespace nnfpga::boardsim {

// A single-quoted shell word.
std::string shell_quote(const std::string& s);

// Runs `command` with its output in `log`; throws nnfpga::Error (kInput) starting with `what`
// and ending with the last lines of the log when it fails.
void run_logged(const std::string& command, const std::filesystem::path& log,
                const std::string& what);

void write_text(const std::filesystem::path& path, const std::string& text);

}  // namespace nnfpga::boardsim
