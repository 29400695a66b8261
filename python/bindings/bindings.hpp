// The parts of the nnfpga._core extension, one function per file, called by module.cpp. The
// binding is thin on purpose: it converts between NumPy/str and the C++ API, and holds no logic
// of its own; the Python API users see (hls4ml's names) is python/nnfpga/.
#pragma once

#include <nanobind/nanobind.h>

namespace nnfpga::python {

void bind_errors(nanobind::module_& m);    // errors.cpp: nnfpga::Error -> Python exceptions
void bind_graph(nanobind::module_& m);     // graph.cpp: reading, configuring, inspecting
void bind_emulator(nanobind::module_& m);  // emulator.cpp: predict, trace, overflows
void bind_project(nanobind::module_& m);   // project.cpp: HLS project, csim, estimate, reports
void bind_tune(nanobind::module_& m);      // tune.cpp: the search over configurations

}  // namespace nnfpga::python
