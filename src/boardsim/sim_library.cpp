// build_sim_library: the embedded files written out, then one Verilator build.
#include "boardsim/sim_library.hpp"

#include <fmt/format.h>

#include "boardsim/embedded_files.hpp"
#include "boardsim/shell.hpp"

namespace nnfpga::boardsim {

namespace fs = std::filesystem;

fs::path build_sim_library(const DeployFolder& folder, const fs::path& sim_dir) {
  const fs::path dir = fs::absolute(sim_dir);
  const std::string top = folder.top + "_board";
  for (const EmbeddedFile& f : embedded_boardsim()) {
    // The model's C++ learns its top and beat width from the lines put before it.
    const std::string head =
        f.path != "board_model.cpp"
            ? std::string()
            : fmt::format(
                  "#include \"V{0}.h\"\n#define TOP_CLASS V{0}\n#define NNFPGA_BEAT_BITS {1}\n",
                  top, folder.beat_bits);
    write_text(dir / f.path, head + f.content);
  }
  // ccache, when installed, caches the C++ compiles of the Verilated model (OBJCACHE).
  std::string cmd = fmt::format(
      "cd {} && {{ command -v ccache >/dev/null && export OBJCACHE=ccache; true; }} && "
      "verilator --cc --exe --build -O2 -j 2 -Wno-fatal -Wno-lint -Wno-style --top-module {} "
      "-Mdir obj -o libnnfpga_board.so -CFLAGS {} -LDFLAGS -shared board_model.cpp",
      shell_quote(dir.string()), top, shell_quote("-fPIC -O1"));
  for (const fs::path& f : folder.rtl) cmd += ' ' + shell_quote(f.string());
  run_logged(cmd, dir / "build.log",
             fmt::format("the Verilator build of {} with the board model failed (is verilator "
                         "installed?)",
                         top));
  return dir / "obj" / "libnnfpga_board.so";
}

}  // namespace nnfpga::boardsim
