// nnfpga._core: the C++ core of nnfpga as a Python extension.
#include "bindings.hpp"

NB_MODULE(_core, m) {
  m.doc() =
      "The C++ core of nnfpga: model reading, configuration, the bit-accurate emulator and the "
      "HLS backend. Use the package `nnfpga` rather than this module directly.";
  nnfpga::python::bind_errors(m);
  nnfpga::python::bind_graph(m);
  nnfpga::python::bind_emulator(m);
  nnfpga::python::bind_project(m);
  nnfpga::python::bind_tune(m);
}
