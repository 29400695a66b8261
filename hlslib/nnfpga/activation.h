// The element-wise activations, each exactly as docs/layers.md defines it: the exact value is
// formed from the input and cast once to the output type by assignment.
//
// CONFIG_T: n_elem; LeakyReLU adds param_t and alpha(); Clip adds min()/max() (in x's type);
// the table functions add table_t, log2_table_size, index_scale_t/index_scale and the table.
#ifndef NNFPGA_HLS_ACTIVATION_H_
#define NNFPGA_HLS_ACTIVATION_H_

#include "nnfpga/common.h"

namespace nnf {

template <class x_T, class y_T, class CONFIG_T>
void relu(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
  const x_T zero = 0;
Relu:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    if (x[k] > zero) {
      y[k] = x[k];
    } else {
      y[k] = zero;
    }
  }
}

template <class x_T, class y_T, class CONFIG_T>
void leaky_relu(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
  const typename CONFIG_T::param_t alpha = CONFIG_T::alpha;
LeakyRelu:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    if (x[k] >= 0) {
      y[k] = x[k];
    } else {
      y[k] = x[k] * alpha;  // exact product, one cast
    }
  }
}

// min(max(x, lo), hi): with lo > hi the result is hi, as ONNX's Clip.
template <class x_T, class y_T, class CONFIG_T>
void clip(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
  const x_T lo = CONFIG_T::min_value;
  const x_T hi = CONFIG_T::max_value;
Clip:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    x_T v = x[k] < lo ? lo : x[k];
    v = v > hi ? hi : v;
    y[k] = v;
  }
}

// Sigmoid and tanh: entry floor(x * N / 2^R) + N/2 of a table over [-2^(R-1), 2^(R-1)), the ends
// used for inputs beyond it. index_scale is N / 2^R, an exact power of two.
template <class x_T, class y_T, class CONFIG_T>
void table_function(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem],
                    const typename CONFIG_T::table_t table[1 << CONFIG_T::log2_table_size]) {
#pragma HLS INLINE
  const typename CONFIG_T::index_scale_t scale = CONFIG_T::index_scale;
  const int half = (1 << CONFIG_T::log2_table_size) / 2;
TableFunction:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    // floor, clamped to [-N/2, N/2 - 1], then shifted to [0, N - 1].
    const int index =
        CONFIG_T::log2_table_size == 0
            ? 0
            : signed_floor_clamp<CONFIG_T::log2_table_size>::of(x[k] * scale) + half;
    y[k] = table[index];
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_ACTIVATION_H_
