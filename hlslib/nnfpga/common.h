// Shared pieces of the nnfpga HLS layer library: the packed word of io_stream and the exact
// table-index helper. Header-only; compiles with AMD's ap_types and with hlslib/ap_types alike.
#ifndef NNFPGA_HLS_COMMON_H_
#define NNFPGA_HLS_COMMON_H_

#include "ap_fixed.h"

namespace nnf {

// One io_stream beat. io_stream is hls4ml's: one beat per position of a tensor, carrying that
// position's N channels. A one-position tensor (today's MLPs) is one beat of the whole vector,
// which is what nnfpga's top functions stream, so a dense network keeps the same arithmetic as
// io_parallel and the stream only changes the interface.
template <class T, int N>
struct packed {
  T data[N];
};

// floor(v), clamped to [0, 2^LOG2N - 1], as an int. Assigning to an integer-valued AP_TRN/AP_SAT
// type is exactly "floor, then clamp": the arithmetic is the one the emulator documents
// (docs/layers.md), with no rounding decision re-derived here.
template <int LOG2N>
struct table_index {
  template <class V>
  static int of(const V& v) {
    const ap_ufixed<LOG2N, LOG2N, AP_TRN, AP_SAT> index = v;
    return index.to_int();
  }
};
template <>
struct table_index<0> {  // a one-entry table: every value maps to entry 0
  template <class V>
  static int of(const V&) {
    return 0;
  }
};

// The same for a signed range: floor(v) clamped to [-2^(B-1), 2^(B-1) - 1].
template <int B>
struct signed_floor_clamp {
  template <class V>
  static int of(const V& v) {
    const ap_fixed<B, B, AP_TRN, AP_SAT> index = v;
    return index.to_int();
  }
};

}  // namespace nnf

#endif  // NNFPGA_HLS_COMMON_H_
