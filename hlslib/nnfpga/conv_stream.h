// io_stream sliding-window layers: Conv1D/2D, DepthwiseConv1D/2D, MaxPool/AveragePool through a
// line buffer, and the global pools. One call is one sample: the input is in_h*in_w beats in
// raster order, each nnf::packed<x_T, n_chan> (one position's channels), the output out_h*out_w
// beats of the output's channels.
//
// Token order (docs/hls.md, "eager raster"): output o is written as soon as every input beat that
// o or an earlier output needs has been read, before the next input beat is read. An output whose
// window is all padding needs nothing, so it goes with the output before it (or before the first
// read). Padding is never read: it is zeros made here, so 'same' and explicit padding need no
// padded copy of the input.
//
// The line buffer holds the last (k_h - 1)*dilation_h + 1 input rows (row h in slot h mod that),
// in_w*n_chan values each: when output o is written, the last input read is o's last window row,
// so every earlier row of its window is at most (k_h - 1)*dilation_h rows back and still held.
#ifndef NNFPGA_HLS_CONV_STREAM_H_
#define NNFPGA_HLS_CONV_STREAM_H_

#include "hls_stream.h"
#include "nnfpga/window.h"

namespace nnf {

// Rows the line buffer holds: the window's height, dilation included.
#define NNF_LINE_BUFFER_ROWS(CONFIG_T) (((CONFIG_T::k_h) - 1) * (CONFIG_T::dilation_h) + 1)

// Input position `position` into the line buffer (row h in slot h mod the rows held).
template <class x_T, class CONFIG_T>
void line_buffer_store(x_T rows[NNF_LINE_BUFFER_ROWS(CONFIG_T)][CONFIG_T::in_w * CONFIG_T::n_chan],
                       const packed<x_T, CONFIG_T::n_chan>& beat, int position) {
#pragma HLS INLINE
  const int h = position / CONFIG_T::in_w, w = position % CONFIG_T::in_w;
LineBufferStore:
  for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    rows[h % NNF_LINE_BUFFER_ROWS(CONFIG_T)][w * CONFIG_T::n_chan + c] = beat.data[c];
  }
}

// Whether output (oh, ow), the next one, may be written once input `last_read` (-1: none yet)
// has been read: every input it and the outputs before it need (`needed`, updated) is in.
template <class CONFIG_T>
bool window_ready(int oh, int ow, int& needed, int last_read) {
#pragma HLS INLINE
  if (oh >= CONFIG_T::out_h) return false;
  const int own = window_last_input<CONFIG_T>(oh, ow);
  const int need = own > needed ? own : needed;
  if (need > last_read) return false;
  needed = need;
  return true;
}

// The window of output (oh, ow) from the line buffer, padding as zeros.
template <class x_T, class CONFIG_T>
void line_buffer_gather(const x_T rows[NNF_LINE_BUFFER_ROWS(CONFIG_T)][CONFIG_T::in_w * CONFIG_T::n_chan],
                        int oh, int ow, x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan],
                        bool valid[CONFIG_T::k_h * CONFIG_T::k_w]) {
#pragma HLS INLINE
LineBufferRows:
  for (int kh = 0; kh < CONFIG_T::k_h; kh++) {
#pragma HLS UNROLL
  LineBufferColumns:
    for (int kw = 0; kw < CONFIG_T::k_w; kw++) {
#pragma HLS UNROLL
      const int h = oh * CONFIG_T::stride_h - CONFIG_T::pad_top + kh * CONFIG_T::dilation_h;
      const int w = ow * CONFIG_T::stride_w - CONFIG_T::pad_left + kw * CONFIG_T::dilation_w;
      const bool inside = h >= 0 && h < CONFIG_T::in_h && w >= 0 && w < CONFIG_T::in_w;
      const int k = kh * CONFIG_T::k_w + kw;
      valid[k] = inside;
    LineBufferChannels:
      for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        win[k * CONFIG_T::n_chan + c] =
            inside ? rows[h % NNF_LINE_BUFFER_ROWS(CONFIG_T)][w * CONFIG_T::n_chan + c] : x_T(0);
      }
    }
  }
}

template <class CONFIG_T>
void window_advance(int& oh, int& ow) {
#pragma HLS INLINE
  if (++ow == CONFIG_T::out_w) {
    ow = 0;
    ++oh;
  }
}

// The one loop of every windowed layer, around its per-pixel operation OP (window.h): read each
// input beat in raster order (after a first step that reads nothing), then write every output
// that has become ready. The output loop is pipelined at the reuse factor, the per-pixel
// product's interval.
template <class x_T, class y_T, class OP, class CONFIG_T>
void window_stream(hls::stream<packed<x_T, CONFIG_T::n_chan> >& x,
                   hls::stream<packed<y_T, OP::n_out> >& y,
                   const typename OP::weight_t w[OP::n_weights],
                   const typename OP::bias_t b[OP::n_biases]) {
#pragma HLS INLINE
  x_T rows[NNF_LINE_BUFFER_ROWS(CONFIG_T)][CONFIG_T::in_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable=rows complete dim=2
  int oh = 0, ow = 0, needed = -1;
WindowInputs:
  for (int p = -1; p < CONFIG_T::in_h * CONFIG_T::in_w; p++) {
    if (p >= 0) line_buffer_store<x_T, CONFIG_T>(rows, x.read(), p);
  WindowOutputs:
    while (window_ready<CONFIG_T>(oh, ow, needed, p)) {
#pragma HLS PIPELINE II=CONFIG_T::reuse_factor
      x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable=win complete
      bool valid[CONFIG_T::k_h * CONFIG_T::k_w];
#pragma HLS ARRAY_PARTITION variable=valid complete
      line_buffer_gather<x_T, CONFIG_T>(rows, oh, ow, win, valid);
      packed<y_T, OP::n_out> beat;
      OP::compute(win, valid, beat.data, w, b);
      y.write(beat);
      window_advance<CONFIG_T>(oh, ow);
    }
  }
}

template <class x_T, class y_T, class CONFIG_T>
void conv_stream(hls::stream<packed<x_T, CONFIG_T::n_chan> >& x,
                 hls::stream<packed<y_T, CONFIG_T::n_out> >& y,
                 const typename CONFIG_T::weight_t w[CONFIG_T::n_in * CONFIG_T::n_out],
                 const typename CONFIG_T::bias_t b[CONFIG_T::n_out]) {
  typedef conv_op<x_T, y_T, CONFIG_T> op;
  window_stream<x_T, y_T, op, CONFIG_T>(x, y, w, b);
}

template <class x_T, class y_T, class CONFIG_T>
void depthwise_conv_stream(hls::stream<packed<x_T, CONFIG_T::n_chan> >& x,
                           hls::stream<packed<y_T, CONFIG_T::n_chan * CONFIG_T::n_mult> >& y,
                           const typename CONFIG_T::weight_t w[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan * CONFIG_T::n_mult],
                           const typename CONFIG_T::bias_t b[CONFIG_T::n_chan * CONFIG_T::n_mult]) {
  typedef depthwise_op<x_T, y_T, CONFIG_T> op;
  window_stream<x_T, y_T, op, CONFIG_T>(x, y, w, b);
}

template <class x_T, class y_T, class CONFIG_T>
void max_pool_stream(hls::stream<packed<x_T, CONFIG_T::n_chan> >& x,
                     hls::stream<packed<y_T, CONFIG_T::n_chan> >& y) {
  const bool none[1] = {false};
  typedef max_pool_op<x_T, y_T, CONFIG_T> op;
  window_stream<x_T, y_T, op, CONFIG_T>(x, y, none, none);
}

template <class x_T, class y_T, class CONFIG_T>
void average_pool_stream(hls::stream<packed<x_T, CONFIG_T::n_chan> >& x,
                         hls::stream<packed<y_T, CONFIG_T::n_chan> >& y) {
  const bool none[1] = {false};
  typedef average_pool_op<x_T, y_T, CONFIG_T> op;
  window_stream<x_T, y_T, op, CONFIG_T>(x, y, none, none);
}

// Global pools: every beat is read and folded into per-channel state (the running maximum, or the
// exact sum in sum_t), then the one output beat is written. No line buffer.
template <class x_T, class y_T, class CONFIG_T>
void global_max_pool_stream(hls::stream<packed<x_T, CONFIG_T::n_chan> >& x,
                            hls::stream<packed<y_T, CONFIG_T::n_chan> >& y) {
  x_T best[CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable=best complete
GlobalMaxInputs:
  for (int p = 0; p < CONFIG_T::in_h * CONFIG_T::in_w; p++) {
#pragma HLS PIPELINE II=1
    const packed<x_T, CONFIG_T::n_chan> beat = x.read();
  GlobalMaxChannels:
    for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
      if (p == 0 || beat.data[c] > best[c]) best[c] = beat.data[c];
    }
  }
  packed<y_T, CONFIG_T::n_chan> out;
GlobalMaxResult:
  for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    out.data[c] = best[c];
  }
  y.write(out);
}

template <class x_T, class y_T, class CONFIG_T>
void global_average_pool_stream(hls::stream<packed<x_T, CONFIG_T::n_chan> >& x,
                                hls::stream<packed<y_T, CONFIG_T::n_chan> >& y) {
  typename CONFIG_T::sum_t sum[CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable=sum complete
GlobalAverageInit:
  for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    sum[c] = 0;
  }
GlobalAverageInputs:
  for (int p = 0; p < CONFIG_T::in_h * CONFIG_T::in_w; p++) {
#pragma HLS PIPELINE II=1
    const packed<x_T, CONFIG_T::n_chan> beat = x.read();
  GlobalAverageChannels:
    for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
      sum[c] += beat.data[c];
    }
  }
  packed<y_T, CONFIG_T::n_chan> out;
GlobalAverageResult:
  for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    const typename CONFIG_T::accum_t acc = sum[c];
    out.data[c] = exact_mean<y_T, CONFIG_T>(acc, CONFIG_T::in_h * CONFIG_T::in_w);
  }
  y.write(out);
}

}  // namespace nnf

#endif  // NNFPGA_HLS_CONV_STREAM_H_
