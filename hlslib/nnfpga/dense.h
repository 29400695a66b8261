// Dense: y = W^T x + b in the order docs/layers.md defines. The accumulator starts at the bias
// cast to accum_t; each product is formed exactly, cast to accum_t and added in input-index order
// (the order matters when accum_t saturates); the result is the accumulator cast to y's type.
//
// CONFIG_T: n_in, n_out, n_positions (input vectors per sample, all multiplied by the same weights), reuse_factor,
// multiplier_limit, resource (the strategy), and the typedefs weight_t, bias_t, accum_t. Weights are [n_in][n_out], flattened.
#ifndef NNFPGA_HLS_DENSE_H_
#define NNFPGA_HLS_DENSE_H_

#include "nnfpga/common.h"

namespace nnf {

// What both strategies share: the accumulators start at the bias (cast to accum_t), and the
// result is each accumulator cast to y's type. Inlined, so each loop unrolls in its caller.
template <class CONFIG_T>
void dense_init(typename CONFIG_T::accum_t acc[CONFIG_T::n_out],
                const typename CONFIG_T::bias_t b[CONFIG_T::n_out]) {
#pragma HLS INLINE
DenseInit:
  for (int j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    acc[j] = b[j];
  }
}

template <class y_T, class CONFIG_T>
void dense_result(const typename CONFIG_T::accum_t acc[CONFIG_T::n_out], y_T y[CONFIG_T::n_out]) {
#pragma HLS INLINE
DenseResult:
  for (int j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    y[j] = acc[j];
  }
}

// Latency strategy: fully unrolled and pipelined by the caller. A reuse factor above 1 caps the
// multipliers at multiplier_limit (the nonzero products over reuse_factor), so the scheduler
// shares them and the top function's interval becomes the reuse factor.
template <class x_T, class y_T, class CONFIG_T>
void dense_latency(const x_T x[CONFIG_T::n_in], y_T y[CONFIG_T::n_out],
                   const typename CONFIG_T::weight_t w[CONFIG_T::n_in * CONFIG_T::n_out],
                   const typename CONFIG_T::bias_t b[CONFIG_T::n_out]) {
#pragma HLS INLINE
  const int multiplier_limit = CONFIG_T::multiplier_limit;
#pragma HLS ALLOCATION operation instances=mul limit=multiplier_limit
  typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
#pragma HLS ARRAY_PARTITION variable=acc complete
  dense_init<CONFIG_T>(acc, b);
DenseInputs:
  for (int i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
  DenseOutputs:
    for (int j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
      const typename CONFIG_T::accum_t product = x[i] * w[i * CONFIG_T::n_out + j];
      acc[j] += product;
    }
  }
  dense_result<y_T, CONFIG_T>(acc, y);
}

// Resource strategy: the n_in*n_out multiplications, taken in input-major order, are split into
// reuse_factor steps of n_in*n_out/reuse_factor each. The step loop is pipelined at II=1, so the
// layer accepts a new input every reuse_factor cycles with n_in*n_out/reuse_factor multipliers,
// and every output still sums its products in input-index order.
template <class x_T, class y_T, class CONFIG_T>
void dense_resource(const x_T x[CONFIG_T::n_in], y_T y[CONFIG_T::n_out],
                    const typename CONFIG_T::weight_t w[CONFIG_T::n_in * CONFIG_T::n_out],
                    const typename CONFIG_T::bias_t b[CONFIG_T::n_out]) {
  const int kPerStep = CONFIG_T::n_in * CONFIG_T::n_out / CONFIG_T::reuse_factor;
  typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
#pragma HLS ARRAY_PARTITION variable=acc complete
  dense_init<CONFIG_T>(acc, b);
DenseReuse:
  for (int step = 0; step < CONFIG_T::reuse_factor; step++) {
#pragma HLS PIPELINE II=1
  DenseMultiply:
    for (int k = 0; k < kPerStep; k++) {
#pragma HLS UNROLL
      const int index = step * kPerStep + k;
      const int i = index / CONFIG_T::n_out;
      const int j = index % CONFIG_T::n_out;
      const typename CONFIG_T::accum_t product = x[i] * w[index];
      acc[j] += product;
    }
  }
  dense_result<y_T, CONFIG_T>(acc, y);
}

// Applies the configured strategy at each of the n_positions positions.
template <class x_T, class y_T, class CONFIG_T>
void dense(const x_T x[CONFIG_T::n_positions * CONFIG_T::n_in],
           y_T y[CONFIG_T::n_positions * CONFIG_T::n_out],
           const typename CONFIG_T::weight_t w[CONFIG_T::n_in * CONFIG_T::n_out],
           const typename CONFIG_T::bias_t b[CONFIG_T::n_out]) {
DenseRows:
  for (int r = 0; r < CONFIG_T::n_positions; r++) {
    if (CONFIG_T::resource) {
      dense_resource<x_T, y_T, CONFIG_T>(x + r * CONFIG_T::n_in, y + r * CONFIG_T::n_out, w, b);
    } else {
      dense_latency<x_T, y_T, CONFIG_T>(x + r * CONFIG_T::n_in, y + r * CONFIG_T::n_out, w, b);
    }
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_DENSE_H_
