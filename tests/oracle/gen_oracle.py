#!/usr/bin/env python3
"""Writes the instantiation list of the ap_types differential test as CHUNKS .cpp files.

ap_fixed needs W, I, Q, O and N at compile time, so the set of target types is chosen here:
every quantization x overflow pair over a spread of widths and integer parts (negative, zero,
over-wide), every width 1..64 over rotating modes, and N (sat_bits) for the wrapping modes. Each
target gets a few source types (wider fraction, unsigned, >64-bit, left-shifting, far shifts)
and two partner types for products and sums. Deterministic: fixed seed, stable order.
"""
import random
import sys

Q = ["AP_TRN", "AP_TRN_ZERO", "AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF", "AP_RND_CONV"]
O = ["AP_WRAP", "AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM", "AP_WRAP_SM"]
Q_ENUM = ["kTrn", "kTrnZero", "kRnd", "kRndZero", "kRndMinInf", "kRndInf", "kRndConv"]
O_ENUM = ["kWrap", "kSat", "kSatZero", "kSatSym", "kWrapSm"]
SPREAD = [1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 24, 31, 32, 33, 40, 48, 53, 63, 64]


def pick_integer(rng, w):
    kind = rng.randrange(10)
    if kind == 0:
        return w
    if kind == 1:
        return w // 2
    if kind == 2:
        return 0
    if kind == 3:
        return -rng.randint(1, 12)
    if kind == 4:
        return w + rng.randint(1, 12)
    if kind == 5:
        return rng.choice([-40, w + 40, 1, -1])
    return rng.randint(-3, w + 3)


def source_types(rng, w, i, idx):
    f = w - i
    out = [(True, w + 7, i + 3), (False, w + 4, i + 2)]
    w3 = min(128, w + 41 + rng.randint(0, 20))
    out.append((True, w3, i + 1))
    extra = idx % 6
    if extra == 5:
        out.append((True, max(1, w - 1), i + 2))
    if extra == 0:
        out.append((False, min(127, w + 60), i + 60))
    elif extra == 1:
        out.append((True, 16, 16 - (f + 150)))
    elif extra == 2:
        out.append((True, 8, 8 - (f - 100)))
    elif extra == 3:
        out.append((True, w, i))
    else:
        w5 = rng.randint(1, 3)
        out.append((False, w5, i - 1))
    return out


def arith_ok(a, b):
    (sa, wa, ia), (sb, wb, ib) = a, b
    fa, fb = wa - ia, wb - ib
    pw = wa + wb
    if pw > (128 if (sa or sb) else 127):
        return False
    pi = max(ia + (sb and not sa), ib + (sa and not sb)) + 1
    sw = pi + max(fa, fb)
    return sw <= 127 and sw >= 1


def partners(rng, s, w, i, idx):
    out = []
    for k in range(2 if idx % 3 == 0 else 1):
        for _ in range(1000):
            wp = rng.randint(1, 64)
            ip = i + rng.randint(-4, 4) if k == 0 else rng.randint(-8, wp + 8)
            if k == 1 and rng.randrange(3) == 0:
                ip = i + (w - wp) + rng.randint(-2, 2)  # same fraction bits
            p = (rng.random() < 0.6, wp, ip)
            if arith_ok((s, w, i), p):
                out.append(p)
                break
    return out


def targets(rng):
    out = []
    for qi in range(7):
        for oi in range(5):
            for s in (True, False):
                if not s and O[oi] == "AP_WRAP_SM":
                    continue
                for j in range(4):
                    w = SPREAD[(qi * 5 + oi + j * 5 + int(s) * 3) % len(SPREAD)]
                    out.append((w, pick_integer(rng, w), s, qi, oi, 0))
    rot = 0
    for w in range(1, 65):
        for s in (True, False):
            for _ in range(1):
                rot += 1
                qi, oi = rot % 7, (rot // 7) % 5
                if not s and oi == 4:
                    oi = 1
                out.append((w, pick_integer(rng, w), s, qi, oi, 0))
    for oi in (0, 4):
        for s in (True, False):
            if not s and oi == 4:
                continue
            for w in (1, 3, 8, 16, 33, 64):
                for n in sorted({1, 2, max(1, w // 2), w}):
                    if n > w:
                        continue
                    out.append((w, pick_integer(rng, w), s, rng.randrange(7), oi, n))
    return out


def fixed_type(s, w, i, qi=0, oi=0, n=0):
    return (f"FixedType{{{w}, {i}, {'true' if s else 'false'}, Quantization::{Q_ENUM[qi]}, "
            f"Overflow::{O_ENUM[oi]}, {n}}}")


def cxx_type(s, w, i, qi=0, oi=0, n=0):
    return f"Fx<{w}, {i}, {'true' if s else 'false'}, {Q[qi]}, {O[oi]}, {n}>"


def main():
    out_dir, chunks, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    all_targets = targets(rng)
    bodies = [[] for _ in range(chunks)]
    for idx, (w, i, s, qi, oi, n) in enumerate(all_targets):
        t = cxx_type(s, w, i, qi, oi, n)
        lines = [f"  {{  // target {idx}", f"    TargetCase c{{{fixed_type(s, w, i, qi, oi, n)}, {{}}, "
                 f"&double_op<{t}>, {{}}}};"]
        for (s2, w2, i2) in source_types(rng, w, i, idx):
            lines.append(f"    c.sources.push_back({{{fixed_type(s2, w2, i2)}, "
                         f"&cast_op<{t}, {cxx_type(s2, w2, i2)}>}});")
        for (sp, wp, ip) in partners(rng, s, w, i, idx):
            lines.append(f"    c.partners.push_back({{{fixed_type(sp, wp, ip)}, "
                         f"&arith_op<{cxx_type(s, w, i)}, {cxx_type(sp, wp, ip)}>}});")
        lines.append("    out.push_back(std::move(c));")
        lines.append("  }")
        bodies[idx % chunks].append("\n".join(lines))
    head = ("// Generated by tests/oracle/gen_oracle.py; do not edit.\n"
            "#include <utility>\n\n#include \"oracle_ops.hpp\"\n\nnamespace oracle {\n"
            "using nnfpga::fixed::Overflow;\nusing nnfpga::fixed::Quantization;\n\n")
    for k in range(chunks):
        text = head + f"void register_chunk_{k}(std::vector<TargetCase>& out) {{\n"
        text += "\n".join(bodies[k]) + "\n}\n\n}  // namespace oracle\n"
        write_if_changed(f"{out_dir}/oracle_chunk_{k}.cpp", text)
    text = ("// Generated by tests/oracle/gen_oracle.py; do not edit.\n"
            "#include \"oracle_driver.hpp\"\n\nnamespace oracle {\n")
    text += "".join(f"void register_chunk_{k}(std::vector<TargetCase>& out);\n" for k in range(chunks))
    text += "\nvoid register_chunks(std::vector<TargetCase>& out) {\n"
    text += "".join(f"  register_chunk_{k}(out);\n" for k in range(chunks))
    text += "}\n\n}  // namespace oracle\n"
    write_if_changed(f"{out_dir}/oracle_chunks.cpp", text)


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
