// Batch normalization that could not be folded into a Dense: y = x * scale + bias per element,
// product and sum exact, one cast to y's type (docs/layers.md).
//
// CONFIG_T: n_elem, scale_t, bias_t.
#ifndef NNFPGA_HLS_BATCHNORM_H_
#define NNFPGA_HLS_BATCHNORM_H_

#include "nnfpga/common.h"

namespace nnf {

template <class x_T, class y_T, class CONFIG_T>
void batchnorm(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem],
               const typename CONFIG_T::scale_t scale[CONFIG_T::n_elem],
               const typename CONFIG_T::bias_t bias[CONFIG_T::n_elem]) {
#pragma HLS INLINE
BatchNorm:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    y[k] = x[k] * scale[k] + bias[k];
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_BATCHNORM_H_
