// Flatten and Reshape: the values in row-major order, each cast to y's type (normally the same
// type, so the cast changes nothing).
//
// CONFIG_T: n_elem.
#ifndef NNFPGA_HLS_RESHAPE_H_
#define NNFPGA_HLS_RESHAPE_H_

#include "nnfpga/common.h"

namespace nnf {

template <class x_T, class y_T, class CONFIG_T>
void copy_cast(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
Copy:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    y[k] = x[k];
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_RESHAPE_H_
