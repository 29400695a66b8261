// `nnfpga tune --dask ADDRESS`: the search stays in this process and its batches of evaluations
// go to a Dask cluster through a Python helper (`python -m nnfpga._dask_bridge ADDRESS`), the same
// code that runs `nnfpga.tune(client=)`. Dask's client is Python; a child process speaking JSON
// lines keeps the C++ core free of an embedded interpreter, as front.png's plot does.
#pragma once

#include <memory>
#include <string>

#include "tune/remote.hpp"

namespace nnfpga::cli {

// Starts the helper with `python` (NNFPGA_PYTHON, else python3); it connects to the scheduler at
// `address`. Errors (no such interpreter, no nnfpga or distributed there, no scheduler) surface
// as nnfpga::Error (kInput) at the first exchange, after the helper's own message on stderr.
std::shared_ptr<tune::RemoteMeasurer> dask_measurer(const std::string& address,
                                                    const std::string& python);

}  // namespace nnfpga::cli
