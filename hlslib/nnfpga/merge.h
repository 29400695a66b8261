// The merge layers, as docs/layers.md defines them: the exact result of the inputs, cast once to
// y's type by assignment. Each function takes two inputs of any types; a layer of more inputs is
// a chain of calls whose intermediate arrays have the exact type of each step (the generator
// spells them), so only the last call rounds.
//
// CONFIG_T: n_elem; average adds scale_t/scale (1 / input count, a power of two).
// concatenate_part: n_outer, n_in, n_out, offset. concatenate_block_stream: n_chan, n_beats.
#ifndef NNFPGA_HLS_MERGE_H_
#define NNFPGA_HLS_MERGE_H_

#include "hls_stream.h"
#include "nnfpga/common.h"

namespace nnf {

template <class x0_T, class x1_T, class y_T, class CONFIG_T>
void add(const x0_T x0[CONFIG_T::n_elem], const x1_T x1[CONFIG_T::n_elem],
         y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
Add:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    y[k] = x0[k] + x1[k];
  }
}

template <class x0_T, class x1_T, class y_T, class CONFIG_T>
void subtract(const x0_T x0[CONFIG_T::n_elem], const x1_T x1[CONFIG_T::n_elem],
              y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
Subtract:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    y[k] = x0[k] - x1[k];
  }
}

template <class x0_T, class x1_T, class y_T, class CONFIG_T>
void multiply(const x0_T x0[CONFIG_T::n_elem], const x1_T x1[CONFIG_T::n_elem],
              y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
Multiply:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    y[k] = x0[k] * x1[k];
  }
}

// The last step of an average: (sum so far + x1) times 1/N, an exact power of two.
template <class x0_T, class x1_T, class y_T, class CONFIG_T>
void average(const x0_T x0[CONFIG_T::n_elem], const x1_T x1[CONFIG_T::n_elem],
             y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
  const typename CONFIG_T::scale_t scale = CONFIG_T::scale;
Average:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    y[k] = (x0[k] + x1[k]) * scale;
  }
}

template <class x0_T, class x1_T, class y_T, class CONFIG_T>
void maximum(const x0_T x0[CONFIG_T::n_elem], const x1_T x1[CONFIG_T::n_elem],
             y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
Maximum:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    if (x0[k] > x1[k]) {
      y[k] = x0[k];
    } else {
      y[k] = x1[k];
    }
  }
}

template <class x0_T, class x1_T, class y_T, class CONFIG_T>
void minimum(const x0_T x0[CONFIG_T::n_elem], const x1_T x1[CONFIG_T::n_elem],
             y_T y[CONFIG_T::n_elem]) {
#pragma HLS INLINE
Minimum:
  for (int k = 0; k < CONFIG_T::n_elem; k++) {
#pragma HLS UNROLL
    if (x0[k] < x1[k]) {
      y[k] = x0[k];
    } else {
      y[k] = x1[k];
    }
  }
}

// One input of a concatenation on the last axis: at each position its n_in values land at
// `offset` among y's n_out values, each cast to y's type.
template <class x_T, class y_T, class CONFIG_T>
void concatenate_part(const x_T x[CONFIG_T::n_outer * CONFIG_T::n_in],
                      y_T y[CONFIG_T::n_outer * CONFIG_T::n_out]) {
#pragma HLS INLINE
ConcatenateOuter:
  for (int o = 0; o < CONFIG_T::n_outer; o++) {
#pragma HLS UNROLL
  ConcatenateInner:
    for (int j = 0; j < CONFIG_T::n_in; j++) {
#pragma HLS UNROLL
      y[o * CONFIG_T::n_out + CONFIG_T::offset + j] = x[o * CONFIG_T::n_in + j];
    }
  }
}

// Concatenate on a position axis under io_stream: the output's beats, in raster order, are blocks
// of each input's beats in turn (an input's block is its positions from the axis on), so no value
// is held: the process copies n_beats beats of one input, each value cast to y's type, and the
// generated loop over the blocks calls this once per input (docs/hls.md, "Token order").
template <class x_T, class y_T, class CONFIG_T>
void concatenate_block_stream(hls::stream<packed<x_T, CONFIG_T::n_chan> >& x,
                              hls::stream<packed<y_T, CONFIG_T::n_chan> >& y) {
#pragma HLS INLINE
ConcatenateBeats:
  for (int p = 0; p < CONFIG_T::n_beats; p++) {
#pragma HLS PIPELINE II=1
    const packed<x_T, CONFIG_T::n_chan> in = x.read();
    packed<y_T, CONFIG_T::n_chan> out;
  ConcatenateCast:
    for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
      out.data[c] = in.data[c];
    }
    y.write(out);
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_MERGE_H_
