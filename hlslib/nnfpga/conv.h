// io_parallel sliding-window layers: Conv1D/2D, DepthwiseConv1D/2D, MaxPool/AveragePool and the
// global pools over whole channels-last arrays (window.h computes each output position). Meant
// for small inputs (a jet tagger's Conv1D front end): the output positions are a loop whose
// parallelization_factor copies run side by side (hls4ml's ParallelizationFactor), each copy
// computing one position's per-pixel product with the layer's strategy and reuse factor.
//
// CONFIG_T: window.h's members, plus parallelization_factor (a divisor of out_h*out_w).
#ifndef NNFPGA_HLS_CONV_H_
#define NNFPGA_HLS_CONV_H_

#include "nnfpga/window.h"

namespace nnf {

// The one loop of every windowed layer over whole arrays, around its per-pixel operation OP
// (window.h): parallelization_factor output positions side by side.
template <class x_T, class y_T, class OP, class CONFIG_T>
void window_array(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                  y_T y[CONFIG_T::out_h * CONFIG_T::out_w * OP::n_out],
                  const typename OP::weight_t w[OP::n_weights],
                  const typename OP::bias_t b[OP::n_biases]) {
#pragma HLS INLINE
  const int parallel = CONFIG_T::parallelization_factor;
WindowPositions:
  for (int o = 0; o < CONFIG_T::out_h * CONFIG_T::out_w; o++) {
#pragma HLS UNROLL factor=parallel
    x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable=win complete
    bool valid[CONFIG_T::k_h * CONFIG_T::k_w];
    gather_window<x_T, CONFIG_T>(x, o / CONFIG_T::out_w, o % CONFIG_T::out_w, win, valid);
    OP::compute(win, valid, y + o * OP::n_out, w, b);
  }
}

template <class x_T, class y_T, class CONFIG_T>
void conv(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
          y_T y[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_out],
          const typename CONFIG_T::weight_t w[CONFIG_T::n_in * CONFIG_T::n_out],
          const typename CONFIG_T::bias_t b[CONFIG_T::n_out]) {
  typedef conv_op<x_T, y_T, CONFIG_T> op;
  window_array<x_T, y_T, op, CONFIG_T>(x, y, w, b);
}

template <class x_T, class y_T, class CONFIG_T>
void depthwise_conv(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                    y_T y[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan * CONFIG_T::n_mult],
                    const typename CONFIG_T::weight_t w[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan * CONFIG_T::n_mult],
                    const typename CONFIG_T::bias_t b[CONFIG_T::n_chan * CONFIG_T::n_mult]) {
  typedef depthwise_op<x_T, y_T, CONFIG_T> op;
  window_array<x_T, y_T, op, CONFIG_T>(x, y, w, b);
}

// MaxPool and AveragePool; a global pool is the one window over the whole input (out_h = out_w =
// 1, the window the input's size, no padding).
template <class x_T, class y_T, class CONFIG_T>
void max_pool(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
              y_T y[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
  const bool none[1] = {false};
  typedef max_pool_op<x_T, y_T, CONFIG_T> op;
  window_array<x_T, y_T, op, CONFIG_T>(x, y, none, none);
}

template <class x_T, class y_T, class CONFIG_T>
void average_pool(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                  y_T y[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
  const bool none[1] = {false};
  typedef average_pool_op<x_T, y_T, CONFIG_T> op;
  window_array<x_T, y_T, op, CONFIG_T>(x, y, none, none);
}

}  // namespace nnf

#endif  // NNFPGA_HLS_CONV_H_
