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

template <class x_T, class y_T, class CONFIG_T>
void conv(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
          y_T y[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_out],
          const typename CONFIG_T::weight_t w[CONFIG_T::n_in * CONFIG_T::n_out],
          const typename CONFIG_T::bias_t b[CONFIG_T::n_out]) {
  const int parallel = CONFIG_T::parallelization_factor;
ConvPositions:
  for (int o = 0; o < CONFIG_T::out_h * CONFIG_T::out_w; o++) {
#pragma HLS UNROLL factor=parallel
    x_T win[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable=win complete
    bool valid[CONFIG_T::k_h * CONFIG_T::k_w];
    gather_window<x_T, CONFIG_T>(x, o / CONFIG_T::out_w, o % CONFIG_T::out_w, win, valid);
    conv_pixel<x_T, y_T, CONFIG_T>(win, y + o * CONFIG_T::n_out, w, b);
  }
}

template <class x_T, class y_T, class CONFIG_T>
void depthwise_conv(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                    y_T y[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan * CONFIG_T::n_mult],
                    const typename CONFIG_T::weight_t w[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan * CONFIG_T::n_mult],
                    const typename CONFIG_T::bias_t b[CONFIG_T::n_chan * CONFIG_T::n_mult]) {
  const int parallel = CONFIG_T::parallelization_factor;
DepthwisePositions:
  for (int o = 0; o < CONFIG_T::out_h * CONFIG_T::out_w; o++) {
#pragma HLS UNROLL factor=parallel
    x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable=win complete
    bool valid[CONFIG_T::k_h * CONFIG_T::k_w];
    gather_window<x_T, CONFIG_T>(x, o / CONFIG_T::out_w, o % CONFIG_T::out_w, win, valid);
    depthwise_pixel<x_T, y_T, CONFIG_T>(win, y + o * CONFIG_T::n_chan * CONFIG_T::n_mult, w, b);
  }
}

// MaxPool and AveragePool; a global pool is the one window over the whole input (out_h = out_w =
// 1, the window the input's size, no padding).
template <class x_T, class y_T, class CONFIG_T>
void max_pool(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
              y_T y[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
  const int parallel = CONFIG_T::parallelization_factor;
MaxPoolPositions:
  for (int o = 0; o < CONFIG_T::out_h * CONFIG_T::out_w; o++) {
#pragma HLS UNROLL factor=parallel
    x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable=win complete
    bool valid[CONFIG_T::k_h * CONFIG_T::k_w];
    gather_window<x_T, CONFIG_T>(x, o / CONFIG_T::out_w, o % CONFIG_T::out_w, win, valid);
    max_pool_pixel<x_T, y_T, CONFIG_T>(win, valid, y + o * CONFIG_T::n_chan);
  }
}

template <class x_T, class y_T, class CONFIG_T>
void average_pool(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                  y_T y[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
  const int parallel = CONFIG_T::parallelization_factor;
AveragePoolPositions:
  for (int o = 0; o < CONFIG_T::out_h * CONFIG_T::out_w; o++) {
#pragma HLS UNROLL factor=parallel
    x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable=win complete
    bool valid[CONFIG_T::k_h * CONFIG_T::k_w];
    gather_window<x_T, CONFIG_T>(x, o / CONFIG_T::out_w, o % CONFIG_T::out_w, win, valid);
    average_pool_pixel<x_T, y_T, CONFIG_T>(win, valid, y + o * CONFIG_T::n_chan);
  }
}

}  // namespace nnf

#endif  // NNFPGA_HLS_CONV_H_
