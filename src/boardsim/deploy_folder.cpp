// read_deploy_folder: deploy.json's few facts boardsim needs, each checked for presence.
#include "boardsim/deploy_folder.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "nnfpga/error.hpp"

namespace nnfpga::boardsim {
namespace {

namespace fs = std::filesystem;

const nlohmann::json& deploy_key(const nlohmann::json& j, const char* key, const fs::path& file) {
  if (!j.is_object() || !j.contains(key)) {
    throw Error(ErrorKind::kInput, fmt::format("{} has no key '{}'", file.string(), key));
  }
  return j.at(key);
}

void require_exists(const fs::path& path, const char* what) {
  if (!fs::exists(path)) {
    throw Error(ErrorKind::kInput,
                fmt::format("{} is missing ({}); write the folder with 'nnfpga convert MODEL "
                            "--board pynq-z2 -o DIR'",
                            path.string(), what));
  }
}

}  // namespace

DeployFolder read_deploy_folder(const fs::path& dir) {
  const fs::path file = dir / "deploy.json";
  require_exists(file, "the deployment folder's description");
  nlohmann::json j;
  try {
    std::ifstream in(file);
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kInput,
                fmt::format("{} is not valid JSON: {}", file.string(), e.what()));
  }
  if (j.value("format", "") != "nnfpga-deploy") {
    throw Error(ErrorKind::kInput,
                fmt::format("{} is not an nnfpga deployment description", file.string()));
  }
  DeployFolder d;
  d.root = dir;
  try {
    d.top = deploy_key(j, "top", file).get<std::string>();
    d.clock_mhz = deploy_key(j, "clock_mhz", file).get<double>();
    d.beat_bits = deploy_key(deploy_key(j, "input", file), "beat_bits", file).get<int>();
  } catch (const nlohmann::json::type_error& e) {
    throw Error(ErrorKind::kInput, fmt::format("{}: {}", file.string(), e.what()));
  }
  if (d.beat_bits != 32 && d.beat_bits != 64 && d.beat_bits != 128) {
    throw Error(ErrorKind::kInput,
                fmt::format("{}: beat_bits {} is not 32, 64 or 128", file.string(), d.beat_bits));
  }
  d.model_json = dir / "ip" / "nnfpga" / "model.json";
  require_exists(d.model_json, "the typed graph");
  const fs::path wrapper = dir / "ip" / "rtl" / (d.top + "_board.v");
  require_exists(wrapper, "the board wrapper's RTL");
  for (const fs::directory_entry& e : fs::directory_iterator(dir / "ip" / "rtl")) {
    if (e.path().extension() == ".v") d.rtl.push_back(fs::absolute(e.path()));
  }
  std::sort(d.rtl.begin(), d.rtl.end());
  d.driver = dir / "driver";
  require_exists(d.driver / "nnfpga_board" / "__init__.py", "the board driver");
  return d;
}

}  // namespace nnfpga::boardsim
