// The element-wise activations, each exactly as docs/layers.md defines it: the exact value is
// formed from the input and cast once to the output type by assignment.
//
// CONFIG_T: n_elem; LeakyReLU adds param_t and alpha; Clip adds min_value/max_value (in x's type);
// PReLU adds param_t (alpha is an array); HardSigmoid adds param_t, slope, offset, exact_t (the
// exact type of slope * x + offset) and one_t/one; the table functions add table_t,
// log2_table_size, index_scale_t/index_scale and the table; softplus adds
// identity_from_t/identity_from.
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

// x >= 0 ? x : alpha[k] * x, the product exact.
template <class x_T, class y_T, class CONFIG_T>
void prelu(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem],
           const typename CONFIG_T::param_t alpha[CONFIG_T::n_elem]) {
#pragma HLS INLINE
PRelu:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    if (x[k] >= 0) {
      y[k] = x[k];
    } else {
      y[k] = x[k] * alpha[k];
    }
  }
}

// clip(slope * x + offset, 0, 1): the affine value exact, the bounds exact, one cast.
template <class x_T, class y_T, class CONFIG_T>
void hard_sigmoid(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
  const typename CONFIG_T::param_t slope = CONFIG_T::slope;
  const typename CONFIG_T::param_t offset = CONFIG_T::offset;
  const typename CONFIG_T::one_t one = CONFIG_T::one;
HardSigmoid:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    const typename CONFIG_T::exact_t v = x[k] * slope + offset;
    if (v < 0) {
      y[k] = 0;
    } else if (v > one) {
      y[k] = one;
    } else {
      y[k] = v;
    }
  }
}

// ELU: x itself for x >= 0; below, entry floor(x * N / 2^R) + N of a table over [-2^R, 0), the
// first entry for inputs beyond it.
template <class x_T, class y_T, class CONFIG_T>
void elu(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem],
         const typename CONFIG_T::table_t table[1 << CONFIG_T::log2_table_size]) {
#pragma HLS INLINE
  const typename CONFIG_T::index_scale_t scale = CONFIG_T::index_scale;
  const int size = 1 << CONFIG_T::log2_table_size;
Elu:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    if (x[k] >= 0) {
      y[k] = x[k];
    } else {
      // floor clamped to [-N, N - 1]; negative here, so the index is in [0, N - 1].
      const int index =
          signed_floor_clamp<CONFIG_T::log2_table_size + 1>::of(x[k] * scale) + size;
      y[k] = table[index];
    }
  }
}

// Softplus: the table over [-2^(R-1), 2^(R-1)) as table_function, and x itself from 2^(R-1) on.
template <class x_T, class y_T, class CONFIG_T>
void softplus(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem],
              const typename CONFIG_T::table_t table[1 << CONFIG_T::log2_table_size]) {
#pragma HLS INLINE
  const typename CONFIG_T::index_scale_t scale = CONFIG_T::index_scale;
  const typename CONFIG_T::identity_from_t identity_from = CONFIG_T::identity_from;
  const int half = (1 << CONFIG_T::log2_table_size) / 2;
Softplus:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    if (x[k] >= identity_from) {
      y[k] = x[k];
    } else {
      const int index =
          CONFIG_T::log2_table_size == 0
              ? 0
              : signed_floor_clamp<CONFIG_T::log2_table_size>::of(x[k] * scale) + half;
      y[k] = table[index];
    }
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_ACTIVATION_H_
