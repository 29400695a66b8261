#include "ir/float_eval_window.hpp"

#include <algorithm>

#include "ir/geometry.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::ir {

Tensor conv_float(const Node& node, const Tensor& x) {
  const Tensor& weight = node.param("weight");
  const std::size_t axes = weight.shape.size() - 2;
  // The sample's own axes are the last 1 + axes of x; any before them are batch axes.
  if (x.shape.size() < axes + 1) {
    conv_geometry(node, x.shape, weight.shape);  // throws, naming what does not fit
  }
  const auto lead = static_cast<std::ptrdiff_t>(x.shape.size() - axes - 1);
  const Shape sample(x.shape.begin() + lead, x.shape.end());
  const ConvGeometry g = conv_geometry(node, sample, weight.shape);
  const WindowGeometry& wg = g.window;
  const double* bias = node.params.count("bias") != 0 ? node.param("bias").data.data() : nullptr;
  const std::int64_t in_size = element_count(sample);
  const std::int64_t out_size = wg.out_positions() * g.filters;
  const std::int64_t samples = static_cast<std::int64_t>(x.data.size()) / in_size;
  Shape shape(x.shape.begin(), x.shape.begin() + lead);
  const Shape inner = g.output_shape();
  shape.insert(shape.end(), inner.begin(), inner.end());
  Tensor y{shape, std::vector<double>(static_cast<std::size_t>(samples * out_size))};
  for (std::int64_t s = 0; s < samples; ++s) {
    const double* in = x.data.data() + s * in_size;
    for (std::int64_t oh = 0; oh < wg.out_h; ++oh) {
      for (std::int64_t ow = 0; ow < wg.out_w; ++ow) {
        double* out = y.data.data() + s * out_size + (oh * wg.out_w + ow) * g.filters;
        for (std::int64_t f = 0; f < g.filters; ++f) {
          double acc = bias != nullptr ? bias[f] : 0.0;
          for (std::int64_t kh = 0; kh < wg.k_h; ++kh) {
            for (std::int64_t kw = 0; kw < wg.k_w; ++kw) {
              const std::int64_t p = wg.input_position(oh, ow, kh, kw);
              if (p < 0) continue;
              const double* w = weight.data.data() + (kh * wg.k_w + kw) * wg.channels * g.filters;
              for (std::int64_t c = 0; c < wg.channels; ++c) {
                acc += in[p * wg.channels + c] * w[c * g.filters + f];
              }
            }
          }
          out[f] = acc;
        }
      }
    }
  }
  return y;
}

Tensor depthwise_float(const Node& node, const Tensor& x) {
  const Tensor& weight = node.param("weight");
  const std::size_t axes = weight.shape.size() - 2;
  if (x.shape.size() < axes + 1) {
    depthwise_geometry(node, x.shape, weight.shape);  // throws, naming what does not fit
  }
  const auto lead = static_cast<std::ptrdiff_t>(x.shape.size() - axes - 1);
  const Shape sample(x.shape.begin() + lead, x.shape.end());
  const DepthwiseGeometry g = depthwise_geometry(node, sample, weight.shape);
  const WindowGeometry& wg = g.window;
  const std::int64_t c_in = wg.channels, c_out = g.out_channels(), m = g.multiplier;
  const double* bias = node.params.count("bias") != 0 ? node.param("bias").data.data() : nullptr;
  const std::int64_t in_size = element_count(sample);
  const std::int64_t out_size = wg.out_positions() * c_out;
  const std::int64_t samples = static_cast<std::int64_t>(x.data.size()) / in_size;
  Shape shape(x.shape.begin(), x.shape.begin() + lead);
  const Shape inner = g.output_shape();
  shape.insert(shape.end(), inner.begin(), inner.end());
  Tensor y{shape, std::vector<double>(static_cast<std::size_t>(samples * out_size))};
  for (std::int64_t s = 0; s < samples; ++s) {
    const double* in = x.data.data() + s * in_size;
    for (std::int64_t oh = 0; oh < wg.out_h; ++oh) {
      for (std::int64_t ow = 0; ow < wg.out_w; ++ow) {
        double* out = y.data.data() + s * out_size + (oh * wg.out_w + ow) * c_out;
        for (std::int64_t j = 0; j < c_out; ++j) {
          double acc = bias != nullptr ? bias[j] : 0.0;
          for (std::int64_t kh = 0; kh < wg.k_h; ++kh) {
            for (std::int64_t kw = 0; kw < wg.k_w; ++kw) {
              const std::int64_t p = wg.input_position(oh, ow, kh, kw);
              if (p < 0) continue;
              acc += in[p * c_in + j / m] * weight.data[(kh * wg.k_w + kw) * c_out + j];
            }
          }
          out[j] = acc;
        }
      }
    }
  }
  return y;
}

Tensor pool_float(const Node& node, const Tensor& x, int batch_axes) {
  const auto lead = static_cast<std::ptrdiff_t>(
      std::min<std::size_t>(static_cast<std::size_t>(std::max(batch_axes, 0)), x.shape.size()));
  const Shape sample(x.shape.begin() + lead, x.shape.end());
  const WindowGeometry g = pool_geometry(node, sample);
  const bool average = op_info(node.op).accum_rule == AccumRule::kWindowSum;
  const bool count_pad = node.attrs.get_int_or("count_include_pad", 0) != 0;
  const std::int64_t c = g.channels, in_size = element_count(sample);
  const std::int64_t samples = static_cast<std::int64_t>(x.data.size()) / in_size;
  Shape shape(x.shape.begin(), x.shape.begin() + lead);
  const Shape inner = g.output_shape();
  shape.insert(shape.end(), inner.begin(), inner.end());
  Tensor y{shape, {}};
  y.data.reserve(static_cast<std::size_t>(samples * g.out_positions() * c));
  for (std::int64_t s = 0; s < samples; ++s) {
    const double* in = x.data.data() + s * in_size;
    for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
      for (std::int64_t ow = 0; ow < g.out_w; ++ow) {
        for (std::int64_t k = 0; k < c; ++k) {
          double acc = 0;
          std::int64_t valid = 0;
          for (std::int64_t kh = 0; kh < g.k_h; ++kh) {
            for (std::int64_t kw = 0; kw < g.k_w; ++kw) {
              const std::int64_t p = g.input_position(oh, ow, kh, kw);
              if (p < 0) continue;
              const double v = in[p * c + k];
              acc = average ? acc + v : (valid == 0 ? v : std::max(acc, v));
              ++valid;
            }
          }
          const std::int64_t n = count_pad ? g.window() : valid;
          y.data.push_back(average ? acc / static_cast<double>(n) : acc);
        }
      }
    }
  }
  return y;
}

Tensor relayout_float(const Node& node, const Tensor& x, int batch_axes) {
  const auto lead = static_cast<std::ptrdiff_t>(
      std::min<std::size_t>(static_cast<std::size_t>(std::max(batch_axes, 0)), x.shape.size()));
  const Shape sample(x.shape.begin() + lead, x.shape.end());
  const RelayoutGeometry g = relayout_geometry(node, sample);
  const std::int64_t c = g.channels, in_size = element_count(sample);
  const std::int64_t samples = static_cast<std::int64_t>(x.data.size()) / in_size;
  Shape shape(x.shape.begin(), x.shape.begin() + lead);
  const Shape inner = g.output_shape();
  shape.insert(shape.end(), inner.begin(), inner.end());
  Tensor y{shape, {}};
  y.data.reserve(static_cast<std::size_t>(samples * g.out_h * g.out_w * c));
  for (std::int64_t s = 0; s < samples; ++s) {
    const double* in = x.data.data() + s * in_size;
    for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
      for (std::int64_t ow = 0; ow < g.out_w; ++ow) {
        const std::int64_t p = g.input_position(oh, ow);
        for (std::int64_t k = 0; k < c; ++k) y.data.push_back(p < 0 ? 0.0 : in[p * c + k]);
      }
    }
  }
  return y;
}

Tensor transpose_float(const Node& node, const Tensor& x, int batch_axes) {
  const auto lead = static_cast<std::ptrdiff_t>(
      std::min<std::size_t>(static_cast<std::size_t>(std::max(batch_axes, 0)), x.shape.size()));
  const Shape sample(x.shape.begin() + lead, x.shape.end());
  const TransposeGeometry g = transpose_geometry(node, sample);
  const std::int64_t size = element_count(sample);
  Shape shape(x.shape.begin(), x.shape.begin() + lead);
  shape.insert(shape.end(), g.output.begin(), g.output.end());
  Tensor y{shape, std::vector<double>(x.data.size())};
  for (std::size_t k = 0; k < y.data.size(); ++k) {
    const auto s = static_cast<std::int64_t>(k) / size, e = static_cast<std::int64_t>(k) % size;
    y.data[k] = x.data[static_cast<std::size_t>(s * size + g.input_index(e))];
  }
  return y;
}

}  // namespace nnfpga::ir
