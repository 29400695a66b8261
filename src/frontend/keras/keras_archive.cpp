#include "frontend/keras/keras_archive.hpp"

#include <zip.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {
namespace {

// Members beyond this are refused: a corrupt size field must not make us allocate gigabytes.
constexpr zip_uint64_t kMaxMemberBytes = zip_uint64_t{1} << 31;

[[noreturn]] void archive_fail(const std::string& path, const std::string& what) {
  throw Error(ErrorKind::kInput, what, {.file = path});
}

struct ArchiveCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct MemberCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// The member's bytes, or nullopt when the archive has no such member.
std::optional<std::string> read_member(zip_t* archive, const std::string& name,
                                       const std::string& path) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(archive, name.c_str(), 0, &stat) != 0) return std::nullopt;
  if (!(stat.valid & ZIP_STAT_SIZE) || stat.size > kMaxMemberBytes) {
    archive_fail(path, "archive member '" + name + "' has a corrupt size");
  }
  std::unique_ptr<zip_file_t, MemberCloser> file(zip_fopen(archive, name.c_str(), 0));
  if (!file) archive_fail(path, "cannot open archive member '" + name + "'");
  std::string bytes(static_cast<std::size_t>(stat.size), '\0');
  zip_uint64_t done = 0;
  while (done < stat.size) {
    const zip_int64_t n = zip_fread(file.get(), bytes.data() + done, stat.size - done);
    if (n <= 0) archive_fail(path, "archive member '" + name + "' is truncated or corrupt");
    done += static_cast<zip_uint64_t>(n);
  }
  return bytes;
}

}  // namespace

KerasArchive read_keras_archive(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) archive_fail(path, "no such file");
  int error = 0;
  std::unique_ptr<zip_t, ArchiveCloser> archive(zip_open(path.c_str(), ZIP_RDONLY, &error));
  if (!archive) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    const std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    archive_fail(path, "not a .keras archive (zip): " + why);
  }
  KerasArchive out;
  std::optional<std::string> config = read_member(archive.get(), "config.json", path);
  if (!config) archive_fail(path, "the archive has no config.json: not a Keras 3 .keras file");
  out.config_json = std::move(*config);
  std::optional<std::string> weights = read_member(archive.get(), "model.weights.h5", path);
  if (!weights)
    archive_fail(path, "the archive has no model.weights.h5 (weights saved elsewhere?)");
  out.weights_h5 = std::move(*weights);
  return out;
}

}  // namespace nnfpga::frontend::keras
