// Numerically stable softmax over the last axis by two lookup tables, as docs/layers.md defines
// it: e_j = exp_table[round(D_j * N / 8)] with D_j = max - x_j, the sum in index order in
// accum_t, its reciprocal from a table over (0, S], and y_j = e_j * inv cast to y's type.
//
// CONFIG_T: n_positions, n_in (the last axis: the channels), log2_table_size, table_t, accum_t,
// exp_scale_t/exp_scale (N/8) and recip_scale_t/recip_scale (N/S).
#ifndef NNFPGA_HLS_SOFTMAX_H_
#define NNFPGA_HLS_SOFTMAX_H_

#include "nnfpga/common.h"

namespace nnf {

template <class x_T, class y_T, class CONFIG_T>
void softmax_row(const x_T x[CONFIG_T::n_in], y_T y[CONFIG_T::n_in],
                 const typename CONFIG_T::table_t exp_table[1 << CONFIG_T::log2_table_size],
                 const typename CONFIG_T::table_t recip_table[1 << CONFIG_T::log2_table_size]) {
#pragma HLS INLINE
  x_T top = x[0];
SoftmaxMax:
  for (int j = 1; j < CONFIG_T::n_in; j++) {
#pragma HLS UNROLL
    if (x[j] > top) top = x[j];
  }
  const typename CONFIG_T::exp_scale_t exp_scale = CONFIG_T::exp_scale;
  const ap_ufixed<1, 0> half = 0.5;
  typename CONFIG_T::table_t e[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable=e complete
  typename CONFIG_T::accum_t sum = 0;
SoftmaxExp:
  for (int j = 0; j < CONFIG_T::n_in; j++) {
#pragma HLS UNROLL
    // D >= 0 exactly; round half up onto the table grid, the last entry beyond 8.
    const int k = table_index<CONFIG_T::log2_table_size>::of((top - x[j]) * exp_scale + half);
    e[j] = exp_table[k];
    sum += e[j];
  }
  const typename CONFIG_T::recip_scale_t recip_scale = CONFIG_T::recip_scale;
  const int r = table_index<CONFIG_T::log2_table_size>::of(sum * recip_scale);
  const typename CONFIG_T::table_t inv = recip_table[r];
SoftmaxScale:
  for (int j = 0; j < CONFIG_T::n_in; j++) {
#pragma HLS UNROLL
    y[j] = e[j] * inv;
  }
}

template <class x_T, class y_T, class CONFIG_T>
void softmax(const x_T x[CONFIG_T::n_positions * CONFIG_T::n_in],
             y_T y[CONFIG_T::n_positions * CONFIG_T::n_in],
             const typename CONFIG_T::table_t exp_table[1 << CONFIG_T::log2_table_size],
             const typename CONFIG_T::table_t recip_table[1 << CONFIG_T::log2_table_size]) {
SoftmaxRows:
  for (int r = 0; r < CONFIG_T::n_positions; r++) {
    softmax_row<x_T, y_T, CONFIG_T>(x + r * CONFIG_T::n_in, y + r * CONFIG_T::n_in, exp_table,
                                    recip_table);
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_SOFTMAX_H_
