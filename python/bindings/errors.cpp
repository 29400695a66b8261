// nnfpga::Error reaches Python as the exception of its kind from nnfpga.errors (InputError,
// UnsupportedError, ConfigError, InternalError), with the same message as the CLI prints and its
// file, node and config key as attributes. The classes live in Python so that they are typed,
// documented and raised by the pure-Python layer too.
#include <nanobind/stl/string.h>

#include "bindings.hpp"
#include "nnfpga/error.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace nnfpga::python {
namespace {

const char* class_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInput:
      return "InputError";
    case ErrorKind::kUnsupported:
      return "UnsupportedError";
    case ErrorKind::kConfig:
      return "ConfigError";
    case ErrorKind::kInternal:
      return "InternalError";
  }
  return "InternalError";
}

void raise(const Error& e) {
  try {
    nb::object type = nb::module_::import_("nnfpga.errors").attr(class_name(e.kind()));
    nb::object instance = type(e.what(), "message"_a = e.message(), "file"_a = e.where().file,
                               "node"_a = e.where().node, "key"_a = e.where().key);
    PyErr_SetObject(type.ptr(), instance.ptr());
  } catch (const std::exception&) {
    // nnfpga.errors is not importable (the extension loaded on its own): keep the message.
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
}

}  // namespace

void bind_errors(nb::module_&) {
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const Error& e) {
      raise(e);
    }
  });
}

}  // namespace nnfpga::python
