#include "frontend/keras/hdf5_file.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <cmath>
#include <filesystem>
#include <utility>

#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {
namespace {

// Larger datasets are refused: no layer of a model nnfpga can put on an FPGA comes near, and a
// corrupt header must not make us allocate gigabytes.
constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 28;

// An HDF5 identifier closed by its own close function when it goes out of scope.
class Id {
 public:
  Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Id() {
    if (id_ >= 0) close_(id_);
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// HDF5 prints every error to stderr unless told not to; library code never prints. The setting
// is process-wide in HDF5 (the default error stack), which is what we want for every file.
void silence_hdf5() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
  throw Error(ErrorKind::kInput, what, {.file = origin});
}

}  // namespace

struct Hdf5File::Handle {
  hid_t file = -1;
  ~Handle() {
    if (file >= 0) H5Fclose(file);
  }
};

Hdf5File::Hdf5File(std::unique_ptr<Handle> handle, std::string origin)
    : handle_(std::move(handle)), origin_(std::move(origin)) {}
Hdf5File::~Hdf5File() = default;
Hdf5File::Hdf5File(Hdf5File&&) noexcept = default;
Hdf5File& Hdf5File::operator=(Hdf5File&&) noexcept = default;

Hdf5File Hdf5File::open(const std::string& path) {
  silence_hdf5();
  if (!std::filesystem::is_regular_file(path)) fail(path, "no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) fail(path, "not an HDF5 file (truncated or another format)");
  auto handle = std::make_unique<Handle>();
  handle->file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (handle->file < 0) fail(path, "HDF5 cannot open the file (truncated or corrupt)");
  return Hdf5File(std::move(handle), path);
}

Hdf5File Hdf5File::from_bytes(std::string bytes, const std::string& origin) {
  silence_hdf5();
  if (bytes.empty()) fail(origin, "empty HDF5 image");
  auto handle = std::make_unique<Handle>();
  // Flags 0: HDF5 copies the image, so `bytes` need not outlive the file.
  handle->file = H5LTopen_file_image(bytes.data(), bytes.size(), 0);
  if (handle->file < 0) fail(origin, "not a readable HDF5 image (truncated or corrupt)");
  return Hdf5File(std::move(handle), origin);
}

namespace {

// The kind of object at `path`, or H5I_BADID when there is none. H5Lexists fails, rather than
// answering no, when an intermediate group is missing, so every prefix is checked first.
H5I_type_t object_type(hid_t file, const std::string& path) {
  if (path == "/") return H5I_GROUP;
  std::size_t pos = 0;
  while ((pos = path.find('/', pos + 1)) != std::string::npos) {
    if (H5Lexists(file, path.substr(0, pos).c_str(), H5P_DEFAULT) <= 0) return H5I_BADID;
  }
  if (H5Lexists(file, path.c_str(), H5P_DEFAULT) <= 0) return H5I_BADID;
  Id object(H5Oopen(file, path.c_str(), H5P_DEFAULT), H5Oclose);
  return object.valid() ? H5Iget_type(object.get()) : H5I_BADID;
}

}  // namespace

bool Hdf5File::has_group(const std::string& path) const {
  return object_type(handle_->file, path) == H5I_GROUP;
}

bool Hdf5File::has_dataset(const std::string& path) const {
  return object_type(handle_->file, path) == H5I_DATASET;
}

std::vector<std::string> Hdf5File::children(const std::string& group) const {
  if (!has_group(group)) fail(origin_, "no group '" + group + "'");
  H5G_info_t info;
  if (H5Gget_info_by_name(handle_->file, group.c_str(), &info, H5P_DEFAULT) < 0) {
    fail(origin_, "cannot list group '" + group + "'");
  }
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t size = H5Lget_name_by_idx(handle_->file, group.c_str(), H5_INDEX_NAME,
                                            H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (size < 0) fail(origin_, "cannot list group '" + group + "'");
    std::string name(static_cast<std::size_t>(size), '\0');
    H5Lget_name_by_idx(handle_->file, group.c_str(), H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                       name.size() + 1, H5P_DEFAULT);
    names.push_back(std::move(name));
  }
  return names;
}

namespace {

// Reads `count` strings of a string-typed attribute, fixed or variable length.
std::vector<std::string> read_strings(hid_t attr, const std::string& origin,
                                      const std::string& what) {
  Id type(H5Aget_type(attr), H5Tclose);
  Id space(H5Aget_space(attr), H5Sclose);
  if (!type.valid() || !space.valid()) fail(origin, "cannot read " + what);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0 || static_cast<std::uint64_t>(count) > kMaxElements) {
    fail(origin, what + " has a corrupt size");
  }
  // h5py writes an empty list as an empty float64 array (Keras 2's weight_names of a layer
  // without weights): no strings, whatever the element type.
  if (count == 0) return {};
  if (H5Tget_class(type.get()) != H5T_STRING) fail(origin, what + " is not a string attribute");
  std::vector<std::string> out;
  if (H5Tis_variable_str(type.get()) > 0) {
    Id memtype(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memtype.get(), H5T_VARIABLE);
    H5Tset_cset(memtype.get(), H5Tget_cset(type.get()));
    std::vector<char*> pointers(static_cast<std::size_t>(count), nullptr);
    if (H5Aread(attr, memtype.get(), pointers.data()) < 0) fail(origin, "cannot read " + what);
    for (char* p : pointers) {
      out.emplace_back(p ? p : "");
      H5free_memory(p);
    }
    return out;
  }
  const std::size_t size = H5Tget_size(type.get());
  if (size == 0 || size > (std::size_t{1} << 28) / std::max<std::size_t>(1, count)) {
    fail(origin, what + " has a corrupt size");
  }
  std::string buffer(size * static_cast<std::size_t>(count), '\0');
  if (H5Aread(attr, type.get(), buffer.data()) < 0) fail(origin, "cannot read " + what);
  for (hssize_t i = 0; i < count; ++i) {
    std::string s = buffer.substr(static_cast<std::size_t>(i) * size, size);
    s.erase(s.find_last_not_of('\0') + 1);  // null-padded
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::optional<std::string> Hdf5File::string_attribute(const std::string& object,
                                                      const std::string& name) const {
  if (H5Aexists_by_name(handle_->file, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0) {
    return std::nullopt;
  }
  Id attr(H5Aopen_by_name(handle_->file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
          H5Aclose);
  const std::string what = "attribute '" + name + "' of '" + object + "'";
  if (!attr.valid()) fail(origin_, "cannot open " + what);
  std::vector<std::string> values = read_strings(attr.get(), origin_, what);
  if (values.size() != 1)
    fail(origin_, what + " holds " + std::to_string(values.size()) + " strings, expected one");
  return values.front();
}

std::vector<std::string> Hdf5File::string_list_attribute(const std::string& object,
                                                         const std::string& name) const {
  if (H5Aexists_by_name(handle_->file, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0) return {};
  Id attr(H5Aopen_by_name(handle_->file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
          H5Aclose);
  const std::string what = "attribute '" + name + "' of '" + object + "'";
  if (!attr.valid()) fail(origin_, "cannot open " + what);
  return read_strings(attr.get(), origin_, what);
}

ir::Tensor Hdf5File::read_tensor(const std::string& path) const {
  if (!has_dataset(path)) fail(origin_, "no dataset '" + path + "'");
  Id dataset(H5Dopen2(handle_->file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id type(H5Dget_type(dataset.get()), H5Tclose);
  Id space(H5Dget_space(dataset.get()), H5Sclose);
  if (!dataset.valid() || !type.valid() || !space.valid()) {
    fail(origin_, "cannot open dataset '" + path + "'");
  }
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) {
    fail(origin_, "dataset '" + path + "' is not numeric");
  }
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > 8) fail(origin_, "dataset '" + path + "' has a corrupt shape");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  ir::Shape shape;
  std::uint64_t count = 1;
  for (hsize_t d : dims) {
    if (d > kMaxElements || (count *= d) > kMaxElements) {
      fail(origin_, "dataset '" + path + "' is too large");
    }
    shape.push_back(static_cast<std::int64_t>(d));
  }
  std::vector<double> data(static_cast<std::size_t>(count));
  if (count > 0 &&
      H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0) {
    fail(origin_, "cannot read dataset '" + path + "' (truncated file?)");
  }
  for (double v : data) {
    if (!std::isfinite(v)) fail(origin_, "dataset '" + path + "' holds NaN or infinity");
  }
  return ir::make_tensor(std::move(shape), std::move(data));
}

}  // namespace nnfpga::frontend::keras
