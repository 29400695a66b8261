// Differential test of nnfpga's own ap_types headers (hlslib/ap_types/) against src/fixed, the
// project's reference semantics: casts from double, from other fixed and integer types, products,
// sums, differences, compound assignment, comparisons, unary minus, shifts and conversions, over
// every Q x O pair at widths 1..64, with random and adversarial values. Mantissas are compared bit
// for bit.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>

#include "ap_fixed.h"
#include "ap_int.h"
#include "fixed/exact.hpp"
#include "fixed/fixed_type.hpp"
#include "hls_stream.h"

namespace {

namespace fx = nnfpga::fixed;
using fx::i128;
using fx::u128;
using nnfpga_ap::Info;

long long g_cases = 0;
int g_failures = 0;
const int kMaxReported = 30;

fx::Quantization ref_q(ap_q_mode q) {
  switch (q) {
    case AP_RND:
      return fx::Quantization::kRnd;
    case AP_RND_ZERO:
      return fx::Quantization::kRndZero;
    case AP_RND_MIN_INF:
      return fx::Quantization::kRndMinInf;
    case AP_RND_INF:
      return fx::Quantization::kRndInf;
    case AP_RND_CONV:
      return fx::Quantization::kRndConv;
    case AP_TRN:
      return fx::Quantization::kTrn;
    case AP_TRN_ZERO:
      return fx::Quantization::kTrnZero;
  }
  return fx::Quantization::kTrn;
}

fx::Overflow ref_o(ap_o_mode o) {
  switch (o) {
    case AP_SAT:
      return fx::Overflow::kSat;
    case AP_SAT_ZERO:
      return fx::Overflow::kSatZero;
    case AP_SAT_SYM:
      return fx::Overflow::kSatSym;
    case AP_WRAP:
      return fx::Overflow::kWrap;
    case AP_WRAP_SM:
      return fx::Overflow::kWrapSm;
  }
  return fx::Overflow::kWrap;
}

// The modes of a type (C integers and ap_int use the defaults).
template <class T>
struct Modes {
  static const ap_q_mode Q = AP_TRN;
  static const ap_o_mode O = AP_WRAP;
  static const int N = 0;
};
template <int W, int I, ap_q_mode Q_, ap_o_mode O_, int N_>
struct Modes<ap_fixed<W, I, Q_, O_, N_> > {
  static const ap_q_mode Q = Q_;
  static const ap_o_mode O = O_;
  static const int N = N_;
};
template <int W, int I, ap_q_mode Q_, ap_o_mode O_, int N_>
struct Modes<ap_ufixed<W, I, Q_, O_, N_> > {
  static const ap_q_mode Q = Q_;
  static const ap_o_mode O = O_;
  static const int N = N_;
};

template <class T>
fx::FixedType ref_type() {
  fx::FixedType t =
      fx::make_fixed(Info<T>::W, Info<T>::I, Info<T>::S, ref_q(Modes<T>::Q), ref_o(Modes<T>::O));
  t.sat_bits = Modes<T>::N;
  return t;
}

fx::FixedType with_modes(fx::FixedType t, fx::Quantization q, fx::Overflow o) {
  t.quant = q;
  t.overflow = o;
  t.sat_bits = 0;
  return t;
}

// The exact mantissa of a value (exact for every width the test uses: signed <= 128 bits,
// unsigned <= 127 bits).
template <class T>
i128 mant(const T& x) {
  return static_cast<i128>(Info<T>::value(x).lo);
}

template <class T>
typename std::enable_if<!std::is_integral<T>::value, T>::type make(i128 m) {
  T t;
  t.nnfpga_set_raw(static_cast<u128>(m));
  return t;
}
template <class T>
typename std::enable_if<std::is_integral<T>::value, T>::type make(i128 m) {
  return static_cast<T>(m);
}

std::string str(i128 v) {
  return nnfpga_ap::decimal(nnfpga_ap::wide_signed(static_cast<u128>(v)));
}

#define EXPECT_MANT(got, want, what)                                             \
  do {                                                                           \
    ++g_cases;                                                                   \
    const i128 got_ = (got), want_ = (want);                                     \
    if (got_ != want_ && ++g_failures <= kMaxReported) {                         \
      ADD_FAILURE() << what << ": got " << str(got_) << ", want " << str(want_); \
    }                                                                            \
  } while (0)

i128 wrap_to(const fx::FixedType& t, u128 bits) {
  const u128 mask = t.width >= 128 ? ~u128(0) : (u128(1) << t.width) - 1;
  bits &= mask;
  if (t.is_signed && ((bits >> (t.width - 1)) & 1) != 0) return static_cast<i128>(bits | ~mask);
  return static_cast<i128>(bits);
}

// Random mantissas of a type, one in two at or next to an edge.
i128 random_mantissa(const fx::FixedType& t, std::mt19937_64& g) {
  const i128 lo = fx::min_mantissa(t), hi = fx::max_mantissa(t);
  const int pick = static_cast<int>(g() % 8);
  i128 m = 0;
  if (pick == 0) m = lo + static_cast<i128>(g() % 3);
  if (pick == 1) m = hi - static_cast<i128>(g() % 3);
  if (pick == 2) m = static_cast<i128>(g() % 17) - 8;
  if (pick == 3) m = t.is_signed ? -hi : hi / 2;
  if (pick >= 4) return wrap_to(t, (static_cast<u128>(g()) << 64) | g());
  return m < lo ? lo : m > hi ? hi : m;
}

// Doubles aimed at the target: grid points and ties near the range edges and zero, values far out
// of range, and random doubles of every magnitude.
double random_double(const fx::FixedType& t, std::mt19937_64& g) {
  const int f = t.frac();
  static const double offsets[] = {0, 0.5, -0.5, 0.25, 0.75, 0.5000001, 0.4999999};
  const double off = offsets[g() % 7];
  switch (g() % 7) {
    case 0: {
      const i128 base = (g() % 2) ? fx::min_mantissa(t) : fx::max_mantissa(t);
      return std::ldexp(static_cast<double>(base + static_cast<i128>(g() % 9) - 4) + off, -f);
    }
    case 1:
      return std::ldexp(static_cast<double>(static_cast<int>(g() % 2001) - 1000) + off, -f);
    case 2: {
      const std::uniform_real_distribution<double> u(-1.0, 1.0);
      std::uniform_real_distribution<double> d = u;
      return std::ldexp(d(g), t.integer - 80 + static_cast<int>(g() % 96));
    }
    case 3:
      return std::ldexp(static_cast<double>(random_mantissa(t, g)) + off, -f);
    case 4: {
      static const double extremes[] = {0.0,     -0.0,     1e300,  -1e300,  1e-300, -1e-300,
                                        DBL_MAX, -DBL_MAX, 5e-324, -5e-324, 0.5,    -0.5};
      return extremes[g() % 12];
    }
    default: {
      std::uint64_t raw = g();
      double d = 0;
      std::memcpy(&d, &raw, sizeof d);
      return std::isfinite(d) ? d : 1.0;
    }
  }
}

const int kDoubles = 1200;
const int kPerSource = 150;

// Per target type, only small functions are instantiated (each works on mantissas); the loops,
// the random values and the reference live in the non-template drivers below, so that hundreds
// of target types compile in reasonable time.
typedef ap_fixed<16, 6> CompoundB;
const int kSources = 10;

fx::FixedType source_type(int k) {
  switch (k) {
    case 0:
      return ref_type<ap_fixed<64, 20> >();
    case 1:
      return ref_type<ap_fixed<40, -3> >();
    case 2:
      return ref_type<ap_ufixed<64, 64> >();
    case 3:
      return ref_type<ap_fixed<24, 30, AP_RND, AP_SAT> >();
    case 4:
      return ref_type<ap_fixed<1, 1> >();
    case 5:
      return ref_type<ap_int<64> >();
    case 6:
      return ref_type<ap_uint<7> >();
    case 7:
      return ref_type<int>();
    case 8:
      return ref_type<unsigned long long>();
    default:
      return ref_type<bool>();
  }
}

struct TargetOps {
  fx::FixedType type;
  bool is_int;
  i128 (*from_double)(double);
  i128 (*from_float)(float);
  i128 (*from_source[kSources])(i128);
  i128 (*assign_source0)(i128);
  i128 (*compound)(int op, i128 t, i128 b);      // t op= CompoundB
  i128 (*compound_int)(int op, i128 t, i128 b);  // t op= int
  i128 (*from_fixed_20_12)(i128);
  i128 (*from_fixed_8_m1)(i128);
  i128 (*neg)(i128);
  double (*to_double)(i128);
  i128 (*shift)(i128, int);  // left for >= 0
  i128 (*shift_right)(i128, int);
  long long (*to_int64)(i128);
  int (*to_int)(i128);
  int (*op_int)(i128);
};

template <class T, class Src>
i128 from_src(i128 m) {
  return mant(T(make<Src>(m)));
}

template <class T>
i128 compound_op(int op, i128 mt, i128 mb) {
  T t = make<T>(mt);
  const CompoundB b = make<CompoundB>(mb);
  if (op == 0) t += b;
  if (op == 1) t -= b;
  if (op == 2) t *= b;
  return mant(t);
}

template <class T>
i128 compound_int_op(int op, i128 mt, i128 mb) {
  T t = make<T>(mt);
  const int b = static_cast<int>(mb);
  if (op == 0) t += b;
  if (op == 1) t -= b;
  if (op == 2) t *= b;
  return mant(t);
}

template <class T>
TargetOps target_ops() {
  TargetOps o;
  o.type = ref_type<T>();
  o.is_int = Info<T>::is_int;
  o.from_double = [](double x) { return mant(T(x)); };
  o.from_float = [](float x) { return mant(T(x)); };
  o.from_source[0] = from_src<T, ap_fixed<64, 20> >;
  o.from_source[1] = from_src<T, ap_fixed<40, -3> >;
  o.from_source[2] = from_src<T, ap_ufixed<64, 64> >;
  o.from_source[3] = from_src<T, ap_fixed<24, 30, AP_RND, AP_SAT> >;
  o.from_source[4] = from_src<T, ap_fixed<1, 1> >;
  o.from_source[5] = from_src<T, ap_int<64> >;
  o.from_source[6] = from_src<T, ap_uint<7> >;
  o.from_source[7] = from_src<T, int>;
  o.from_source[8] = from_src<T, unsigned long long>;
  o.from_source[9] = from_src<T, bool>;
  o.assign_source0 = [](i128 m) {
    T t;
    t = make<ap_fixed<64, 20> >(m);
    return mant(t);
  };
  o.compound = compound_op<T>;
  o.compound_int = compound_int_op<T>;
  o.from_fixed_20_12 = from_src<T, ap_fixed<20, 12> >;
  o.from_fixed_8_m1 = from_src<T, ap_fixed<8, -1> >;
  o.neg = [](i128 m) { return mant(-make<T>(m)); };
  o.to_double = [](i128 m) { return make<T>(m).to_double(); };
  o.shift = [](i128 m, int sh) { return mant(make<T>(m) << sh); };
  o.shift_right = [](i128 m, int sh) { return mant(make<T>(m) >> sh); };
  o.to_int64 = [](i128 m) { return static_cast<long long>(make<T>(m).to_int64()); };
  o.to_int = [](i128 m) { return make<T>(m).to_int(); };
  o.op_int = [](i128 m) { return static_cast<int>(make<T>(m)); };
  return o;
}

i128 ref_cast(i128 m, int frac, const fx::FixedType& t) {
  return fx::mantissa_value(fx::cast(m, frac, t).mantissa, t);
}

void check_compound(const TargetOps& o, const fx::FixedType& rb, bool int_operand,
                    std::mt19937_64& g) {
  const fx::FixedType& rt = o.type;
  const fx::FixedType trn_zero =
      fx::make_fixed(rb.integer > 1 ? rb.integer : 1, rb.integer > 1 ? rb.integer : 1, rb.is_signed,
                     fx::Quantization::kTrnZero);
  for (int k = 0; k < kPerSource; ++k) {
    const i128 mt = random_mantissa(rt, g), mb = random_mantissa(rb, g);
    const std::string what =
        fx::to_string(rt) + " op= " + fx::to_string(rb) + " " + str(mt) + " " + str(mb);
    for (int op = 0; op < 3; ++op) {
      const i128 got = int_operand ? o.compound_int(op, mt, mb) : o.compound(op, mt, mb);
      i128 want = 0;
      if (o.is_int && !int_operand) {
        // An ap_int cuts a fixed right operand to its integer part, then wraps.
        const i128 cut = fx::cast(mb, rb.frac(), trn_zero).mantissa;
        want = wrap_to(rt, static_cast<u128>(op == 0 ? mt + cut : op == 1 ? mt - cut : mt * cut));
      } else if (op == 0) {
        want = ref_cast(fx::exact_sum(mt, rt, mb, rb), fx::sum_type(rt, rb).frac(), rt);
      } else if (op == 1) {
        want =
            ref_cast(fx::exact_difference(mt, rt, mb, rb), fx::difference_type(rt, rb).frac(), rt);
      } else {
        want = ref_cast(fx::exact_product(mt, rt, mb, rb), rt.frac() + rb.frac(), rt);
      }
      EXPECT_MANT(got, want, what << " op " << op);
    }
  }
}

// Everything about one target type: construction from double, float and ten source types,
// assignment, compound assignment, unary minus, to_double, shifts, integer conversions.
void check_target(const TargetOps& o, std::mt19937_64& g) {
  const fx::FixedType& rt = o.type;
  const fx::FixedType trn_zero = with_modes(rt, fx::Quantization::kTrnZero, fx::Overflow::kWrap);
  for (int k = 0; k < kDoubles; ++k) {
    const double x = random_double(rt, g);
    i128 want = fx::mantissa_value(fx::cast_double(x, rt).mantissa, rt);
    if (o.is_int) {
      // The headers' ap_int_base(double): toward zero, then wrap; (-1/2, 0) gives 1.
      want = x < 0 && x > -0.5 ? wrap_to(rt, 1)
                               : fx::mantissa_value(fx::cast_double(x, trn_zero).mantissa, rt);
    }
    EXPECT_MANT(o.from_double(x), want, fx::to_string(rt) << " from double " << x);
    const float f = static_cast<float>(x);
    if (k % 8 == 0 && !o.is_int && std::isfinite(f)) {
      const i128 wf = fx::mantissa_value(fx::cast_double(f, rt).mantissa, rt);
      EXPECT_MANT(o.from_float(f), wf, fx::to_string(rt) << " from float " << f);
    }
  }
  const fx::FixedType plain = with_modes(rt, fx::Quantization::kTrn, fx::Overflow::kWrap);
  for (int s = 0; s < kSources; ++s) {
    const fx::FixedType rs = source_type(s);
    // An ap_int takes a fixed source's integer part: toward zero, or floor when I <= 0.
    const bool fixed_source = s <= 4;
    const fx::FixedType to = o.is_int && fixed_source ? (rs.integer > 0 ? trn_zero : plain) : rt;
    for (int k = 0; k < kPerSource; ++k) {
      const i128 m = random_mantissa(rs, g);
      const i128 want = ref_cast(m, rs.frac(), to);
      EXPECT_MANT(o.from_source[s](m), want,
                  fx::to_string(rt) << " from " << fx::to_string(rs) << " " << str(m));
      if (s == 0) {
        EXPECT_MANT(o.assign_source0(m), want,
                    fx::to_string(rt) << " = " << fx::to_string(rs) << " " << str(m));
      }
    }
  }
  check_compound(o, ref_type<CompoundB>(), false, g);
  check_compound(o, ref_type<int>(), true, g);
  const fx::FixedType int64_cut = fx::make_fixed(
      64, 64, true, rt.integer > 0 ? fx::Quantization::kTrnZero : fx::Quantization::kTrn);
  const fx::FixedType r20 = ref_type<ap_fixed<20, 12> >(), r8 = ref_type<ap_fixed<8, -1> >();
  for (int k = 0; k < kPerSource; ++k) {
    const i128 m = random_mantissa(rt, g);
    const std::string what = fx::to_string(rt) + " " + str(m);
    EXPECT_MANT(o.neg(m), -m, what << " unary minus");
    const double d = o.to_double(m), want_d = fx::to_double(m, rt);
    EXPECT_MANT(std::memcmp(&d, &want_d, sizeof d) == 0, 1,
                what << " to_double " << d << " " << want_d);
    const int sh = static_cast<int>(g() % (2 * rt.width + 7)) - rt.width - 3;
    EXPECT_MANT(o.shift(m, sh), ref_cast(m, rt.frac() - sh, plain), what << " << " << sh);
    EXPECT_MANT(o.shift_right(m, sh), ref_cast(m, rt.frac() + sh, plain), what << " >> " << sh);
    const i128 want_int = fx::cast(m, rt.frac(), int64_cut).mantissa;
    EXPECT_MANT(o.to_int64(m), want_int, what << " to_int64");
    EXPECT_MANT(o.to_int(m), static_cast<int>(want_int), what << " to_int");
    if (!o.is_int) EXPECT_MANT(o.op_int(m), static_cast<int>(want_int), what << " operator int");
    if (o.is_int) {
      // ap_int from fixed: the headers' integer part (toward zero; floor when I <= 0), wrapped.
      const i128 m20 = random_mantissa(r20, g), m8 = random_mantissa(r8, g);
      EXPECT_MANT(o.from_fixed_20_12(m20), ref_cast(m20, r20.frac(), trn_zero),
                  what << " from fixed<20,12> " << str(m20));
      EXPECT_MANT(o.from_fixed_8_m1(m8), ref_cast(m8, r8.frac(), plain),
                  what << " from fixed<8,-1> " << str(m8));
    }
  }
}

// The exact results of a op b for one pair of types, as mantissas; cmp is a bit set of the six
// comparisons a==b, a!=b, a<b, a<=b, a>b, a>=b, and then the same with the operands swapped.
struct PairOps {
  fx::FixedType a, b;
  int mult_w, mult_i, plus_w, plus_i, minus_w, minus_i;
  bool mult_s, plus_s, minus_s;
  i128 (*mult)(i128, i128);
  u128 (*mult_bits)(i128, i128);
  i128 (*plus)(i128, i128);
  i128 (*minus)(i128, i128);
  int (*cmp)(i128, i128);
};

template <class A, class B>
PairOps pair_ops() {
  typedef nnfpga_ap::BinOp<A, B> Op;
  PairOps p;
  p.a = ref_type<A>();
  p.b = ref_type<B>();
  p.mult_w = Info<typename Op::mult>::W;
  p.mult_i = Info<typename Op::mult>::I;
  p.mult_s = Info<typename Op::mult>::S;
  p.plus_w = Info<typename Op::plus>::W;
  p.plus_i = Info<typename Op::plus>::I;
  p.plus_s = Info<typename Op::plus>::S;
  p.minus_w = Info<typename Op::minus>::W;
  p.minus_i = Info<typename Op::minus>::I;
  p.minus_s = Info<typename Op::minus>::S;
  p.mult = [](i128 x, i128 y) { return mant(make<A>(x) * make<B>(y)); };
  p.mult_bits = [](i128 x, i128 y) {
    return Info<typename Op::mult>::value(make<A>(x) * make<B>(y)).lo;
  };
  p.plus = [](i128 x, i128 y) { return mant(make<A>(x) + make<B>(y)); };
  p.minus = [](i128 x, i128 y) { return mant(make<A>(x) - make<B>(y)); };
  p.cmp = [](i128 x, i128 y) {
    const A a = make<A>(x);
    const B b = make<B>(y);
    return (a == b) + 2 * (a != b) + 4 * (a < b) + 8 * (a <= b) + 16 * (a > b) + 32 * (a >= b) +
           64 * ((b == a) + 2 * (b != a) + 4 * (b < a) + 8 * (b <= a) + 16 * (b > a) +
                 32 * (b >= a));
  };
  return p;
}

int cmp_bits(int sign) {
  return (sign == 0) + 2 * (sign != 0) + 4 * (sign < 0) + 8 * (sign <= 0) + 16 * (sign > 0) +
         32 * (sign >= 0);
}

void check_ops(const PairOps& p, std::mt19937_64& g, int count) {
  const fx::FixedType tp = fx::product_type(p.a, p.b), ts = fx::sum_type(p.a, p.b),
                      td = fx::difference_type(p.a, p.b);
  const std::string types = fx::to_string(p.a) + ", " + fx::to_string(p.b);
  EXPECT_EQ(p.mult_w, tp.width) << types;
  EXPECT_EQ(p.mult_i, tp.integer) << types;
  EXPECT_EQ(p.mult_s, tp.is_signed) << types;
  EXPECT_EQ(p.plus_w, ts.width) << types;
  EXPECT_EQ(p.plus_i, ts.integer) << types;
  EXPECT_EQ(p.plus_s, ts.is_signed) << types;
  EXPECT_EQ(p.minus_w, td.width) << types;
  EXPECT_EQ(p.minus_i, td.integer) << types;
  EXPECT_EQ(p.minus_s, td.is_signed) << types;
  const bool unsigned128 = !tp.is_signed && tp.width == 128;  // beyond src/fixed's exact range
  for (int k = 0; k < count; ++k) {
    const i128 ma = random_mantissa(p.a, g);
    // Equal values now and then, so that == and the ties of <= and >= are exercised.
    const bool equal = k % 16 == 0 && p.a.frac() == p.b.frac() && ma >= fx::min_mantissa(p.b) &&
                       ma <= fx::max_mantissa(p.b);
    const i128 mb = equal ? ma : random_mantissa(p.b, g);
    const std::string what = types + ": " + str(ma) + ", " + str(mb);
    if (unsigned128) {
      EXPECT_MANT(p.mult_bits(ma, mb) == static_cast<u128>(ma) * static_cast<u128>(mb), 1,
                  what << " *");
    } else {
      EXPECT_MANT(p.mult(ma, mb), fx::exact_product(ma, p.a, mb, p.b), what << " *");
    }
    EXPECT_MANT(p.plus(ma, mb), fx::exact_sum(ma, p.a, mb, p.b), what << " +");
    const i128 diff = fx::exact_difference(ma, p.a, mb, p.b);
    EXPECT_MANT(p.minus(ma, mb), diff, what << " -");
    const int sign = diff < 0 ? -1 : diff > 0 ? 1 : 0;
    EXPECT_MANT(p.cmp(ma, mb), cmp_bits(sign) + 64 * cmp_bits(-sign), what << " comparisons");
  }
}

template <class T>
void check_double_compare(std::mt19937_64& g) {
  const fx::FixedType rt = ref_type<T>();
  for (int k = 0; k < kPerSource; ++k) {
    const i128 m = random_mantissa(rt, g);
    const T t = make<T>(m);
    const double v = fx::to_double(m, rt);
    const double x = k % 3 == 0 ? v : random_double(rt, g);
    const int got = (t == x) + 2 * (t < x) + 4 * (t > x) + 8 * (x <= t) + 16 * (x != t);
    const int want = (v == x) + 2 * (v < x) + 4 * (v > x) + 8 * (x <= v) + 16 * (x != v);
    EXPECT_MANT(got, want, fx::to_string(rt) << " vs double " << x);
  }
}

#define QO_ROW(FIXED, W, I, O)                                    \
  check_target(target_ops<FIXED<W, I, AP_TRN, O> >(), g);         \
  check_target(target_ops<FIXED<W, I, AP_TRN_ZERO, O> >(), g);    \
  check_target(target_ops<FIXED<W, I, AP_RND, O> >(), g);         \
  check_target(target_ops<FIXED<W, I, AP_RND_ZERO, O> >(), g);    \
  check_target(target_ops<FIXED<W, I, AP_RND_MIN_INF, O> >(), g); \
  check_target(target_ops<FIXED<W, I, AP_RND_INF, O> >(), g);     \
  check_target(target_ops<FIXED<W, I, AP_RND_CONV, O> >(), g);
// Every Q x O pair for a signed and an unsigned format (AP_WRAP_SM is signed only).
#define ALL_MODES(W, I)                                                        \
  QO_ROW(ap_fixed, W, I, AP_WRAP)                                              \
  QO_ROW(ap_fixed, W, I, AP_SAT)                                               \
  QO_ROW(ap_fixed, W, I, AP_SAT_ZERO) QO_ROW(ap_fixed, W, I, AP_SAT_SYM)       \
      QO_ROW(ap_fixed, W, I, AP_WRAP_SM) QO_ROW(ap_ufixed, W, I, AP_WRAP)      \
          QO_ROW(ap_ufixed, W, I, AP_SAT) QO_ROW(ap_ufixed, W, I, AP_SAT_ZERO) \
              QO_ROW(ap_ufixed, W, I, AP_SAT_SYM)

class ApTypes : public ::testing::Test {
 protected:
  void SetUp() override {
    g_cases = 0;
    g_failures = 0;
  }
  void TearDown() override {
    std::printf("[ap_types] %lld cases compared, %d mismatches\n", g_cases, g_failures);
    EXPECT_EQ(g_failures, 0);
  }
};

TEST_F(ApTypes, CastsNarrowAndNegativeI) {
  std::mt19937_64 g(1);
  ALL_MODES(1, 1)
  ALL_MODES(8, 3)
  ALL_MODES(8, -2)
}

TEST_F(ApTypes, CastsWideAndLargeI) {
  std::mt19937_64 g(2);
  ALL_MODES(8, 12)
  ALL_MODES(16, 6)
  ALL_MODES(63, 10)
  ALL_MODES(64, 32)
  ALL_MODES(64, 70)
}

TEST_F(ApTypes, SaturatedBitsN) {
  std::mt19937_64 g(3);
  check_target(target_ops<ap_fixed<8, 4, AP_RND, AP_WRAP, 1> >(), g);
  check_target(target_ops<ap_fixed<8, 4, AP_TRN, AP_WRAP, 3> >(), g);
  check_target(target_ops<ap_fixed<8, 4, AP_RND_CONV, AP_WRAP_SM, 1> >(), g);
  check_target(target_ops<ap_fixed<8, 4, AP_TRN, AP_WRAP_SM, 2> >(), g);
  check_target(target_ops<ap_fixed<16, 6, AP_RND, AP_WRAP_SM, 5> >(), g);
  check_target(target_ops<ap_fixed<64, 32, AP_TRN, AP_WRAP, 64> >(), g);
  check_target(target_ops<ap_ufixed<8, 4, AP_RND, AP_WRAP, 2> >(), g);
  check_target(target_ops<ap_ufixed<32, 40, AP_TRN_ZERO, AP_WRAP, 32> >(), g);
}

TEST_F(ApTypes, IntegerTargets) {
  std::mt19937_64 g(4);
  check_target(target_ops<ap_int<1> >(), g);
  check_target(target_ops<ap_int<8> >(), g);
  check_target(target_ops<ap_int<32> >(), g);
  check_target(target_ops<ap_int<64> >(), g);
  check_target(target_ops<ap_uint<1> >(), g);
  check_target(target_ops<ap_uint<8> >(), g);
  check_target(target_ops<ap_uint<63> >(), g);
  check_target(target_ops<ap_uint<64> >(), g);
}

TEST_F(ApTypes, ExactOperators) {
  std::mt19937_64 g(5);
  const int n = 6000;
  check_ops(pair_ops<ap_fixed<8, 3>, ap_fixed<8, 3> >(), g, n);
  check_ops(pair_ops<ap_fixed<16, 6>, ap_ufixed<8, 2> >(), g, n);
  check_ops(pair_ops<ap_ufixed<8, 2>, ap_fixed<16, 6, AP_RND, AP_SAT> >(), g, n);
  check_ops(pair_ops<ap_fixed<8, 6>, ap_ufixed<8, 2> >(), g, n);
  check_ops(pair_ops<ap_fixed<64, 32>, ap_fixed<64, 10> >(), g, n);
  check_ops(pair_ops<ap_fixed<64, 64>, ap_fixed<64, 64> >(), g, n);
  check_ops(pair_ops<ap_ufixed<64, 64>, ap_ufixed<32, -2> >(), g, n);
  check_ops(pair_ops<ap_ufixed<64, 0>, ap_ufixed<64, 0> >(), g, n);
  check_ops(pair_ops<ap_fixed<1, 1>, ap_ufixed<1, 0> >(), g, n);
  check_ops(pair_ops<ap_ufixed<1, 1>, ap_ufixed<1, 1> >(), g, n);
  check_ops(pair_ops<ap_fixed<8, -2>, ap_fixed<8, 12> >(), g, n);
  check_ops(pair_ops<ap_fixed<63, 10>, ap_ufixed<63, 70> >(), g, n);
  check_ops(pair_ops<ap_ufixed<32, -4>, ap_fixed<5, 40> >(), g, n);
  check_ops(pair_ops<ap_int<64>, ap_uint<64> >(), g, n);
  check_ops(pair_ops<ap_int<8>, ap_fixed<16, 6> >(), g, n);
  check_ops(pair_ops<ap_uint<1>, ap_int<1> >(), g, n);
  check_ops(pair_ops<ap_int<8>, int>(), g, n);
  check_ops(pair_ops<unsigned, ap_int<8> >(), g, n);
  check_ops(pair_ops<ap_fixed<16, 6>, int>(), g, n);
  check_ops(pair_ops<long long, ap_ufixed<24, 8> >(), g, n);
  check_ops(pair_ops<ap_uint<32>, unsigned long long>(), g, n);
  check_ops(pair_ops<ap_fixed<20, 10>, bool>(), g, n);
  check_ops(pair_ops<char, ap_fixed<20, -10> >(), g, n);
  check_double_compare<ap_fixed<16, 6> >(g);
  check_double_compare<ap_fixed<64, 20> >(g);
  check_double_compare<ap_ufixed<8, -3> >(g);
}

// Spot checks of the behaviours the differential test does not reach.
TEST(ApTypesApi, ResultTypesAndConversions) {
  ap_fixed<8, 4> a = 2.5;
  ap_int<8> k = 3;
  EXPECT_TRUE((std::is_same<decltype(a * k), ap_fixed<16, 12> >::value));
  EXPECT_TRUE((std::is_same<decltype(k * k), ap_int<16> >::value));
  EXPECT_TRUE((std::is_same<decltype(k + 1), ap_int<33> >::value));
  EXPECT_TRUE((std::is_same<decltype(a * 3), ap_fixed<40, 36> >::value));
  EXPECT_TRUE((std::is_same<decltype(-k), ap_int<9> >::value));
  EXPECT_TRUE(
      (std::is_same<decltype(ap_fixed<8, 6>() + ap_ufixed<8, 2>()), ap_fixed<13, 7> >::value));
  EXPECT_EQ((ap_fixed<8, 4>(-7.5).to_int()), -7);   // toward zero
  EXPECT_EQ((ap_fixed<8, 0>(-0.25).to_int()), -1);  // the headers' I <= 0 quirk
  EXPECT_EQ(ap_int<8>(-0.25).to_int(), 1);          // the headers' ap_int_base(double) quirk
  EXPECT_EQ(ap_int<8>(-300.7).to_int(), -44);
  EXPECT_EQ(ap_int<8>(ap_fixed<8, 4>(-2.5)).to_int(), -2);
  double d = a;
  EXPECT_EQ(d, 2.5);
  EXPECT_EQ(k * 2.0, 6.0);  // ap_int converts implicitly to a 64-bit integer
  ap_fixed<8, 4, AP_RND, AP_SAT> s = 3.25;
  s += 100;
  EXPECT_EQ(s.to_double(), 7.9375);
  EXPECT_EQ((ap_fixed<8, 4, AP_RND, AP_SAT>(3.25) << 20).to_double(), 0.0);  // no saturation
  EXPECT_EQ((ap_fixed<8, 4>(-3.25) >> 20).to_double(), -0.0625);
  EXPECT_EQ(a.length(), 8);
  EXPECT_EQ((ap_fixed<8, 4>::width), 8);
  EXPECT_EQ((ap_ufixed<8, 4>::iwidth), 4);
  EXPECT_EQ((sizeof(ap_fixed<16, 6>)), 2u);
  std::ostringstream out;
  out << ap_fixed<16, 8>(12.75) << " " << ap_int<8>(-5) << " " << ap_uint<128>(-1);
  EXPECT_EQ(out.str(), "12.75 -5 340282366920938463463374607431768211455");
  ap_fixed<16, 6> c = 1.5;
  EXPECT_EQ((c++).to_double(), 1.5);
  EXPECT_EQ((--c).to_double(), 1.5);
}

TEST(ApTypesApi, Stream) {
  hls::stream<ap_fixed<16, 6> > s("s");
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.full());
  s.write(1.5);
  s << ap_fixed<16, 6>(-2.25);
  EXPECT_EQ(s.size(), 2u);
  ap_fixed<16, 6> x;
  s >> x;
  EXPECT_EQ(x.to_double(), 1.5);
  EXPECT_EQ(s.read().to_double(), -2.25);
  EXPECT_TRUE(s.empty());
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(s.read().to_double(), 0.0);  // empty: a warning and a default value
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("read while empty"), std::string::npos);
  hls::stream<int> t;
  t.write(3);
  int v = 0;
  t.read(v);
  EXPECT_EQ(v, 3);
  EXPECT_FALSE(t.read_nb(v));
}

}  // namespace
