// Threshold, as docs/layers.md defines it: y = values[the number of bounds x reaches],
// with the bounds given in x's own type (so each comparison is exact) and the values in y's.
//
// CONFIG_T: n_elem, n_bounds (may be 0). The caller drops the thresholds every x passes or none
// does, and the values they would skip.
#ifndef NNFPGA_HLS_THRESHOLD_H_
#define NNFPGA_HLS_THRESHOLD_H_

#include "nnfpga/common.h"

namespace nnf {

template <class x_T, class y_T, class CONFIG_T>
void threshold(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem],
               const x_T bounds[CONFIG_T::n_bounds > 0 ? CONFIG_T::n_bounds : 1],
               const y_T values[CONFIG_T::n_bounds + 1]) {
#pragma HLS INLINE
Threshold:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    int passed = 0;
  Bounds:
    for (int j = 0; j < CONFIG_T::n_bounds; j++) {
#pragma HLS UNROLL
      if (x[k] >= bounds[j]) passed++;
    }
    y[k] = values[passed];
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_THRESHOLD_H_
