// What the sliding-window layers (Conv1D/2D, DepthwiseConv1D/2D, MaxPool/AveragePool 1-D/2-D and
// the global pools) compute for one output position, whatever carries their inputs (arrays under
// io_parallel, a line buffer under io_stream): the window's values and which of them are input
// (the others are padding), then the per-pixel product or reduction of docs/layers.md.
//
// The window is flattened in the order (kh, kw, c), as ir::ConvGeometry::matrix() reads it, so a
// convolution's per-pixel product is exactly a Dense of n_in = k_h*k_w*n_chan inputs and n_out =
// n_filt outputs, and dense.h's two strategies (with their reuse factor and multiplier limit) are
// reused as they are. A padded value is a zero whose product adds nothing (docs/layers.md).
//
// Window CONFIG_T: in_h, in_w, n_chan, k_h, k_w, stride_h, stride_w, dilation_h, dilation_w,
// pad_top, pad_left, out_h, out_w. Conv adds n_in, n_out, reuse_factor, multiplier_limit,
// resource, weight_t, bias_t, accum_t (dense.h's members); depthwise adds n_mult; average pools
// add count_include_pad, sum_t (exact), accum_t, accum_width, accum_frac, mean_shift.
#ifndef NNFPGA_HLS_WINDOW_H_
#define NNFPGA_HLS_WINDOW_H_

#include "nnfpga/common.h"
#include "nnfpga/dense.h"

namespace nnf {

// The last input position (row-major) that the window of output (oh, ow) touches, or -1 when
// every element of the window is padding. Rows and columns are independent, so it is the last
// valid row's last valid column.
template <class CONFIG_T>
int window_last_input(int oh, int ow) {
#pragma HLS INLINE
  const int first_h = oh * CONFIG_T::stride_h - CONFIG_T::pad_top;
  const int first_w = ow * CONFIG_T::stride_w - CONFIG_T::pad_left;
  if (first_h > CONFIG_T::in_h - 1 || first_w > CONFIG_T::in_w - 1) return -1;
  int kh = (CONFIG_T::in_h - 1 - first_h) / CONFIG_T::dilation_h;
  if (kh > CONFIG_T::k_h - 1) kh = CONFIG_T::k_h - 1;
  int kw = (CONFIG_T::in_w - 1 - first_w) / CONFIG_T::dilation_w;
  if (kw > CONFIG_T::k_w - 1) kw = CONFIG_T::k_w - 1;
  const int h = first_h + kh * CONFIG_T::dilation_h;
  const int w = first_w + kw * CONFIG_T::dilation_w;
  if (h < 0 || w < 0) return -1;
  return h * CONFIG_T::in_w + w;
}

// The window of output (oh, ow) gathered from a whole channels-last input array (io_parallel).
template <class x_T, class CONFIG_T>
void gather_window(const x_T x[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan], int oh, int ow,
                   x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan],
                   bool valid[CONFIG_T::k_h * CONFIG_T::k_w]) {
#pragma HLS INLINE
GatherRows:
  for (int kh = 0; kh < CONFIG_T::k_h; kh++) {
  GatherColumns:
    for (int kw = 0; kw < CONFIG_T::k_w; kw++) {
      const int h = oh * CONFIG_T::stride_h - CONFIG_T::pad_top + kh * CONFIG_T::dilation_h;
      const int w = ow * CONFIG_T::stride_w - CONFIG_T::pad_left + kw * CONFIG_T::dilation_w;
      const bool inside = h >= 0 && h < CONFIG_T::in_h && w >= 0 && w < CONFIG_T::in_w;
      const int k = kh * CONFIG_T::k_w + kw;
      valid[k] = inside;
    GatherChannels:
      for (int c = 0; c < CONFIG_T::n_chan; c++) {
        win[k * CONFIG_T::n_chan + c] = inside ? x[(h * CONFIG_T::in_w + w) * CONFIG_T::n_chan + c] : x_T(0);
      }
    }
  }
}

// Conv: the window times the weight matrix [n_in][n_out], with the strategy of the config (dense.h).
template <class x_T, class y_T, class CONFIG_T>
void conv_pixel(const x_T win[CONFIG_T::n_in], y_T y[CONFIG_T::n_out],
                const typename CONFIG_T::weight_t w[CONFIG_T::n_in * CONFIG_T::n_out],
                const typename CONFIG_T::bias_t b[CONFIG_T::n_out]) {
#pragma HLS INLINE
  if (CONFIG_T::resource) {
    dense_resource<x_T, y_T, CONFIG_T>(win, y, w, b);
  } else {
    dense_latency<x_T, y_T, CONFIG_T>(win, y, w, b);
  }
}

// Depthwise: output j = c*n_mult + m sums, in (kh, kw) order, channel c of the window times
// column j of the weight matrix [k_h*k_w][n_chan*n_mult]. The products are taken window-element-
// major (index k*n_out + j), so with a reuse factor every output still adds them in (kh, kw) order.
template <class x_T, class y_T, class CONFIG_T>
void depthwise_pixel(const x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan],
                     y_T y[CONFIG_T::n_chan * CONFIG_T::n_mult],
                     const typename CONFIG_T::weight_t w[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan * CONFIG_T::n_mult],
                     const typename CONFIG_T::bias_t b[CONFIG_T::n_chan * CONFIG_T::n_mult]) {
#pragma HLS INLINE
  const int kOut = CONFIG_T::n_chan * CONFIG_T::n_mult;
  const int kPerStep = CONFIG_T::k_h * CONFIG_T::k_w * kOut / CONFIG_T::reuse_factor;
  const int multiplier_limit = CONFIG_T::multiplier_limit;
#pragma HLS ALLOCATION operation instances=mul limit=multiplier_limit
  typename CONFIG_T::accum_t acc[kOut];
#pragma HLS ARRAY_PARTITION variable=acc complete
DepthwiseInit:
  for (int j = 0; j < kOut; j++) {
#pragma HLS UNROLL
    acc[j] = b[j];
  }
DepthwiseReuse:
  for (int step = 0; step < CONFIG_T::reuse_factor; step++) {
#pragma HLS PIPELINE II=1
  DepthwiseMultiply:
    for (int i = 0; i < kPerStep; i++) {
#pragma HLS UNROLL
      const int index = step * kPerStep + i;
      const int k = index / kOut;
      const int j = index % kOut;
      const typename CONFIG_T::accum_t product = win[k * CONFIG_T::n_chan + j / CONFIG_T::n_mult] * w[index];
      acc[j] += product;
    }
  }
DepthwiseResult:
  for (int j = 0; j < kOut; j++) {
#pragma HLS UNROLL
    y[j] = acc[j];
  }
}

// MaxPool: per channel the largest input element of the window (padding is no candidate).
template <class x_T, class y_T, class CONFIG_T>
void max_pool_pixel(const x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan],
                    const bool valid[CONFIG_T::k_h * CONFIG_T::k_w], y_T y[CONFIG_T::n_chan]) {
#pragma HLS INLINE
MaxPoolChannels:
  for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    x_T best = 0;
    bool first = true;
  MaxPoolWindow:
    for (int k = 0; k < CONFIG_T::k_h * CONFIG_T::k_w; k++) {
#pragma HLS UNROLL
      const x_T v = win[k * CONFIG_T::n_chan + c];
      if (valid[k] && (first || v > best)) {
        best = v;
        first = false;
      }
    }
    y[c] = best;
  }
}

// cast(acc / n, y_T) with the quotient exact (docs/layers.md, AveragePool): q = floor(acc*2^s/n)
// on acc's mantissa, then 2q + (remainder != 0) at one more fraction bit (the sticky bit), cast
// once, which rounds in every mode as the exact quotient would. accum_frac >= 0 and
// accum_width + mean_shift + 2 <= 62 (the writer checks both), so the mantissa arithmetic fits a
// long long.
template <class y_T, class CONFIG_T>
y_T exact_mean(const typename CONFIG_T::accum_t& acc, int n) {
#pragma HLS INLINE
  const int kW = CONFIG_T::accum_width;
  const int kF = CONFIG_T::accum_frac;
  // The mantissa: acc moved kF places left inside a type wide enough to hold it as an integer.
  ap_fixed<kW + kF + 1, kW + 1> wide = acc;
  wide <<= kF;
  const long long num = wide.to_int64() * (1LL << CONFIG_T::mean_shift);
  long long q = num / n;
  long long rem = num - q * n;
  if (rem < 0) {
    q -= 1;
    rem += n;
  }
  const long long doubled = 2 * q + (rem != 0 ? 1 : 0);
  const int kQW = kW + CONFIG_T::mean_shift + 2;
  const int kQF = kF + CONFIG_T::mean_shift + 1;
  ap_fixed<kQW + kQF, kQW> quotient = doubled;
  quotient >>= kQF;
  return y_T(quotient);
}

// AveragePool: per channel the exact sum of the window's input elements, cast once to accum_t,
// divided by the window's size (count_include_pad) or its count of input elements.
template <class x_T, class y_T, class CONFIG_T>
void average_pool_pixel(const x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan],
                        const bool valid[CONFIG_T::k_h * CONFIG_T::k_w], y_T y[CONFIG_T::n_chan]) {
#pragma HLS INLINE
  int count = 0;
AveragePoolCount:
  for (int k = 0; k < CONFIG_T::k_h * CONFIG_T::k_w; k++) {
#pragma HLS UNROLL
    if (valid[k]) count++;
  }
  const int n = CONFIG_T::count_include_pad ? CONFIG_T::k_h * CONFIG_T::k_w : count;
AveragePoolChannels:
  for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    typename CONFIG_T::sum_t sum = 0;
  AveragePoolWindow:
    for (int k = 0; k < CONFIG_T::k_h * CONFIG_T::k_w; k++) {
#pragma HLS UNROLL
      if (valid[k]) sum += win[k * CONFIG_T::n_chan + c];
    }
    const typename CONFIG_T::accum_t acc = sum;
    y[c] = exact_mean<y_T, CONFIG_T>(acc, n);
  }
}

// The per-pixel operations as classes, so that one window loop serves every windowed layer (the
// array loop of conv.h, the line-buffer loop of conv_stream.h): OP::compute writes the n_out
// values of one output position from its window, which window elements are input (the others are
// padding), and the layer's weights and biases. A pool has none: it is passed no_params' one-bit
// placeholders, which it never reads.
struct no_params {
  typedef bool weight_t;
  typedef bool bias_t;
  static const int n_weights = 1, n_biases = 1;
};

template <class x_T, class y_T, class CONFIG_T>
struct conv_op {
  typedef typename CONFIG_T::weight_t weight_t;
  typedef typename CONFIG_T::bias_t bias_t;
  static const int n_out = CONFIG_T::n_out;
  static const int n_weights = CONFIG_T::n_in * CONFIG_T::n_out, n_biases = CONFIG_T::n_out;
  static void compute(const x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan],
                      const bool[CONFIG_T::k_h * CONFIG_T::k_w], y_T y[n_out],
                      const weight_t w[n_weights], const bias_t b[n_biases]) {
#pragma HLS INLINE
    conv_pixel<x_T, y_T, CONFIG_T>(win, y, w, b);
  }
};

template <class x_T, class y_T, class CONFIG_T>
struct depthwise_op {
  typedef typename CONFIG_T::weight_t weight_t;
  typedef typename CONFIG_T::bias_t bias_t;
  static const int n_out = CONFIG_T::n_chan * CONFIG_T::n_mult;
  static const int n_weights = CONFIG_T::k_h * CONFIG_T::k_w * n_out, n_biases = n_out;
  static void compute(const x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan],
                      const bool[CONFIG_T::k_h * CONFIG_T::k_w], y_T y[n_out],
                      const weight_t w[n_weights], const bias_t b[n_biases]) {
#pragma HLS INLINE
    depthwise_pixel<x_T, y_T, CONFIG_T>(win, y, w, b);
  }
};

template <class x_T, class y_T, class CONFIG_T>
struct max_pool_op : no_params {
  static const int n_out = CONFIG_T::n_chan;
  static void compute(const x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan],
                      const bool valid[CONFIG_T::k_h * CONFIG_T::k_w], y_T y[n_out],
                      const weight_t[n_weights], const bias_t[n_biases]) {
#pragma HLS INLINE
    max_pool_pixel<x_T, y_T, CONFIG_T>(win, valid, y);
  }
};

template <class x_T, class y_T, class CONFIG_T>
struct average_pool_op : no_params {
  static const int n_out = CONFIG_T::n_chan;
  static void compute(const x_T win[CONFIG_T::k_h * CONFIG_T::k_w * CONFIG_T::n_chan],
                      const bool valid[CONFIG_T::k_h * CONFIG_T::k_w], y_T y[n_out],
                      const weight_t[n_weights], const bias_t[n_biases]) {
#pragma HLS INLINE
    average_pool_pixel<x_T, y_T, CONFIG_T>(win, valid, y);
  }
};

}  // namespace nnf

#endif  // NNFPGA_HLS_WINDOW_H_
