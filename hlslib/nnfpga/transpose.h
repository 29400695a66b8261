// Transpose (docs/layers.md): output element k (row-major) copies input element source(k), cast to
// y's type. The generator writes the permutation as the output's dims and the input's element
// stride along each of them, for four axes (unused leading axes have dim 1 and stride 0), so one
// index rule serves every rank and both IOTypes.
//
// CONFIG_T: n_elem, dim1..dim3 (the first axis's size follows from n_elem), stride0..stride3;
// transpose_stream adds in_width, out_width (the channels of a beat).
#ifndef NNFPGA_HLS_TRANSPOSE_H_
#define NNFPGA_HLS_TRANSPOSE_H_

#include "hls_stream.h"
#include "nnfpga/common.h"

namespace nnf {

template <class CONFIG_T>
int transpose_source(int k) {
#pragma HLS INLINE
  const int i3 = k % CONFIG_T::dim3;
  const int i2 = k / CONFIG_T::dim3 % CONFIG_T::dim2;
  const int i1 = k / (CONFIG_T::dim3 * CONFIG_T::dim2) % CONFIG_T::dim1;
  const int i0 = k / (CONFIG_T::dim3 * CONFIG_T::dim2 * CONFIG_T::dim1);
  return i0 * CONFIG_T::stride0 + i1 * CONFIG_T::stride1 + i2 * CONFIG_T::stride2 +
         i3 * CONFIG_T::stride3;
}

template <class x_T, class y_T, class CONFIG_T>
void transpose(const x_T x[CONFIG_T::n_elem], y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
Transpose:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    y[k] = x[transpose_source<CONFIG_T>(k)];
  }
}

// The streamed form: any output beat may need the last input beat, so the process holds the whole
// tensor (the token order's rule for Transpose): every beat read, then every beat written. A
// BRAM-sized buffer; the estimate counts it (window_cost.cpp, relayout_cost).
template <class x_T, class y_T, class CONFIG_T>
void transpose_stream(hls::stream<packed<x_T, CONFIG_T::in_width> >& x,
                      hls::stream<packed<y_T, CONFIG_T::out_width> >& y) {
  x_T values[CONFIG_T::n_elem];
TransposeInputs:
  for (int p = 0; p < CONFIG_T::n_elem / CONFIG_T::in_width; p++) {
#pragma HLS PIPELINE II=1
    const packed<x_T, CONFIG_T::in_width> beat = x.read();
  TransposeStore:
    for (int c = 0; c < CONFIG_T::in_width; c++) {
#pragma HLS UNROLL
      values[p * CONFIG_T::in_width + c] = beat.data[c];
    }
  }
TransposeOutputs:
  for (int o = 0; o < CONFIG_T::n_elem / CONFIG_T::out_width; o++) {
#pragma HLS PIPELINE II=1
    packed<y_T, CONFIG_T::out_width> beat;
  TransposeMove:
    for (int c = 0; c < CONFIG_T::out_width; c++) {
#pragma HLS UNROLL
      beat.data[c] = values[transpose_source<CONFIG_T>(o * CONFIG_T::out_width + c)];
    }
    y.write(beat);
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_TRANSPOSE_H_
