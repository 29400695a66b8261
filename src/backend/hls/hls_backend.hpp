// The HLS backend behind the backend interface (backend/backend.hpp): write_project, run_csim and
// estimate::estimate_hls.
#pragma once

#include "backend/backend.hpp"
#include "estimate/estimate.hpp"

namespace nnfpga::backend::hls {

const Backend& hls_backend();

// The shared form of the HLS estimate.
EstimateReport to_report(const estimate::ModelEstimate& e);

}  // namespace nnfpga::backend::hls
