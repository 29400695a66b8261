// ZeroPadding, Cropping and UpSampling (1-D, 2-D): moves of whole positions (docs/layers.md).
// Output position (oh, ow) holds input position ((oh + shift_h) / div_h, (ow + shift_w) / div_w),
// or zeros where that falls outside the input; each moved value is cast to y's type. Also the
// streamed Flatten/Reshape, which only regroups the values of a sample into beats of another width.
//
// CONFIG_T: in_h, in_w, n_chan, out_h, out_w, shift_h, shift_w, div_h, div_w.
#ifndef NNFPGA_HLS_RELAYOUT_H_
#define NNFPGA_HLS_RELAYOUT_H_

#include "hls_stream.h"
#include "nnfpga/common.h"

namespace nnf {

// The input position output position o reads, or -1 for a padded zero.
template <class CONFIG_T>
int relayout_source(int oh, int ow) {
#pragma HLS INLINE
  const int h = oh + CONFIG_T::shift_h, w = ow + CONFIG_T::shift_w;
  if (h < 0 || w < 0 || h / CONFIG_T::div_h >= CONFIG_T::in_h || w / CONFIG_T::div_w >= CONFIG_T::in_w) {
    return -1;
  }
  return h / CONFIG_T::div_h * CONFIG_T::in_w + w / CONFIG_T::div_w;
}

template <class x_T, class y_T, class CONFIG_T>
void relayout(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
              y_T y[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
#pragma HLS INLINE
RelayoutPositions:
  for (int o = 0; o < CONFIG_T::out_h * CONFIG_T::out_w; o++) {
#pragma HLS UNROLL
    const int source = relayout_source<CONFIG_T>(o / CONFIG_T::out_w, o % CONFIG_T::out_w);
  RelayoutChannels:
    for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
      y[o * CONFIG_T::n_chan + c] = source < 0 ? y_T(0) : y_T(x[source * CONFIG_T::n_chan + c]);
    }
  }
}

// The streamed form, in the eager raster order of conv_stream.h: an output is written once the
// input it moves (and every earlier output's) has been read. The sources are in raster order, so
// the input an output reads is always in the current input row, the one row this process holds
// (UpSampling writes a row's repeats once the row is read).
template <class x_T, class y_T, class CONFIG_T>
void relayout_stream(hls::stream<packed<x_T, CONFIG_T::n_chan> >& x,
                     hls::stream<packed<y_T, CONFIG_T::n_chan> >& y) {
  x_T row[CONFIG_T::in_w][CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable=row complete dim=2
  int o = 0;
  int needed = -1;
RelayoutInputs:
  for (int p = -1; p < CONFIG_T::in_h * CONFIG_T::in_w; p++) {
    if (p >= 0) {
      const packed<x_T, CONFIG_T::n_chan> beat = x.read();
    RelayoutStore:
      for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        row[p % CONFIG_T::in_w][c] = beat.data[c];
      }
    }
  RelayoutOutputs:
    while (o < CONFIG_T::out_h * CONFIG_T::out_w) {
#pragma HLS PIPELINE II=1
      const int source = relayout_source<CONFIG_T>(o / CONFIG_T::out_w, o % CONFIG_T::out_w);
      const int need = source > needed ? source : needed;
      if (need > p) break;
      needed = need;
      packed<y_T, CONFIG_T::n_chan> beat;
    RelayoutMove:
      for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        beat.data[c] = source < 0 ? y_T(0) : y_T(row[source % CONFIG_T::in_w][c]);
      }
      y.write(beat);
      o++;
    }
  }
}

// Flatten/Reshape of a streamed tensor: n_elem values per sample, read in beats of in_width and
// written in beats of out_width, each output beat as soon as the values it holds have been read
// (Flatten into one position: every beat read, then the one beat written).
//
// CONFIG_T: n_elem, in_width, out_width.
template <class x_T, class y_T, class CONFIG_T>
void regroup_stream(hls::stream<packed<x_T, CONFIG_T::in_width> >& x,
                    hls::stream<packed<y_T, CONFIG_T::out_width> >& y) {
  y_T values[CONFIG_T::n_elem];
  int written = 0;
RegroupInputs:
  for (int p = 0; p < CONFIG_T::n_elem / CONFIG_T::in_width; p++) {
    const packed<x_T, CONFIG_T::in_width> beat = x.read();
  RegroupStore:
    for (int c = 0; c < CONFIG_T::in_width; c++) {
#pragma HLS UNROLL
      values[p * CONFIG_T::in_width + c] = beat.data[c];
    }
  RegroupOutputs:
    while (written + CONFIG_T::out_width <= (p + 1) * CONFIG_T::in_width) {
      packed<y_T, CONFIG_T::out_width> out;
    RegroupMove:
      for (int c = 0; c < CONFIG_T::out_width; c++) {
#pragma HLS UNROLL
        out.data[c] = values[written + c];
      }
      y.write(out);
      written += CONFIG_T::out_width;
    }
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_RELAYOUT_H_
