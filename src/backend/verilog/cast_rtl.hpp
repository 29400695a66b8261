// The cast of an exact value to a fixed-point type, as netlist logic: the one generator every
// layer uses, so the RTL rounds and overflows exactly as fixed::cast (src/fixed/exact.cpp) does,
// in every quantization mode, every overflow mode, and with N saturated bits.
#pragma once

#include "backend/verilog/netlist.hpp"
#include "fixed/fixed_type.hpp"

namespace nnfpga::backend::verilog {

// The bits a code of type `t` takes as a (signed) net: W, one more for an unsigned type.
inline int code_width(const fixed::FixedType& t) {
  return t.width + (t.is_signed ? 0 : 1);
}

// A value in flight: the signed net holds mantissa m, the value is m * 2^-frac.
struct Value {
  NetId net = 0;
  int frac = 0;
};

// The code of `v` cast into `to` (quantization, then overflow), as a net of code_width(to) bits.
// `hint` names the nets. Cheap when it can be: a cast that neither rounds nor can overflow is
// wiring, taking no time.
NetId emit_cast(Netlist& nl, const Value& v, const fixed::FixedType& to, const std::string& hint);

}  // namespace nnfpga::backend::verilog
