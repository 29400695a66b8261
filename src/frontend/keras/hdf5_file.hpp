// A read-only view of an HDF5 file (Debian's libhdf5), as much as Keras files need: groups,
// string attributes and float datasets. Opened from a path (.h5) or from bytes in memory (the
// model.weights.h5 inside a .keras archive). Every failure is an nnfpga::Error (kInput) naming
// the file and the object path; HDF5's own error printing is switched off.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/tensor.hpp"

namespace nnfpga::frontend::keras {

class Hdf5File {
 public:
  static Hdf5File open(const std::string& path);
  // `origin` names the image in messages ("model.keras:model.weights.h5").
  static Hdf5File from_bytes(std::string bytes, const std::string& origin);
  ~Hdf5File();
  Hdf5File(Hdf5File&&) noexcept;
  Hdf5File& operator=(Hdf5File&&) noexcept;

  const std::string& origin() const { return origin_; }

  // Object paths are absolute ("/model_weights/dense/dense/kernel:0").
  bool has_group(const std::string& path) const;
  bool has_dataset(const std::string& path) const;
  // Names of the links directly inside a group, in name order.
  std::vector<std::string> children(const std::string& group) const;
  // A string attribute (fixed or variable length) of an object, or nullopt when absent.
  std::optional<std::string> string_attribute(const std::string& object,
                                              const std::string& name) const;
  // A 1-D string-array attribute (Keras 2's layer_names, weight_names); empty when absent.
  std::vector<std::string> string_list_attribute(const std::string& object,
                                                 const std::string& name) const;
  // A numeric dataset of any float or integer type, as doubles, with its shape.
  ir::Tensor read_tensor(const std::string& path) const;

 private:
  struct Handle;
  Hdf5File(std::unique_ptr<Handle> handle, std::string origin);
  std::unique_ptr<Handle> handle_;
  std::string origin_;
};

}  // namespace nnfpga::frontend::keras
