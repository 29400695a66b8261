"""The board driver's conversions (boardlib/driver/nnfpga_board, docs/board.md) against nnfpga's
emulator: floats to input codes bit for bit for every quantization and overflow mode on
adversarial values (ties, one ulp off them, the limits and beyond, huge and subnormal numbers,
signed zero), NaN and infinity refused as the emulator refuses them; the packing of codes into
beats against the contract's bit positions; deploy.json's checks. The driver imports only NumPy
here (pynq is needed by Accelerator alone); tests/python/test_cli_boardsim.py runs it whole."""

import json
import sys

import numpy as np
import pytest

import nnfpga
from conftest import REPO

sys.path.insert(0, str(REPO / "boardlib" / "driver"))
from nnfpga_board import fixed_cast, packing  # noqa: E402
from nnfpga_board.deploy_info import DeployError, read_deploy  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "onnx" / "relu_torch.onnx"
QUANT = fixed_cast.QUANTIZATIONS
TYPES = [
    # (width, integer, signed, overflow, N)
    (8, 3, True, "AP_WRAP", 0), (8, 3, True, "AP_SAT", 0), (8, 3, True, "AP_SAT_ZERO", 0),
    (8, 3, True, "AP_SAT_SYM", 0), (8, 3, True, "AP_WRAP_SM", 0), (8, 3, True, "AP_WRAP", 2),
    (8, 3, True, "AP_WRAP_SM", 1), (6, 2, False, "AP_SAT", 0), (6, 2, False, "AP_WRAP", 0),
    (6, 2, False, "AP_WRAP", 2), (16, 7, True, "AP_SAT", 0), (12, -2, True, "AP_WRAP", 0),
    (10, 14, False, "AP_SAT", 0), (1, 1, True, "AP_SAT_SYM", 0), (53, 20, True, "AP_WRAP", 0),
]


def spelling(width, integer, signed, quant, overflow, n):
    return f"ap_{'' if signed else 'u'}fixed<{width},{integer},{quant},{overflow},{n}>"


def adversarial(width, integer, signed, count, seed):
    """Values where a conversion goes wrong first."""
    frac = width - integer
    lsb = 2.0 ** -frac
    lo = -(2.0 ** (integer - 1)) if signed else 0.0
    hi = 2.0 ** (integer - (1 if signed else 0)) - lsb
    rng = np.random.default_rng(seed)
    k = rng.integers(-(2 ** min(width, 50)), 2 ** min(width, 50), count).astype(np.float64)
    ties = (k + 0.5) * lsb
    values = [
        ties, np.nextafter(ties, np.inf), np.nextafter(ties, -np.inf), k * lsb,
        rng.uniform(lo - (hi - lo), hi + (hi - lo), count),
        np.array([lo, hi, lo - lsb, hi + lsb, lo - lsb / 2, hi + lsb / 2, 0.0, -0.0, lsb / 2,
                  -lsb / 2, lsb / 4, -lsb / 4, 3 * lsb / 4, -3 * lsb / 4, 1e30, -1e30, 2.0 ** 63,
                  -(2.0 ** 63), 2.0 ** 70 + 2.0 ** 20, 5e-324, -5e-324, 1e-310, -1e-310,
                  2.2250738585072014e-308, -2.2250738585072014e-308, 1e308, -1e308]),
    ]
    return np.concatenate(values)


def emulator_codes(tmp_path, type_spelling, x):
    """The emulator's cast of each value into the input type, as codes, read from its trace."""
    config = {"Model": {"Precision": "ap_fixed<16,6>"},
              "LayerName": {"x": {"Precision": {"result": type_spelling}}}}
    model = nnfpga.convert(str(FIXTURE), hls_config=config, output_dir=str(tmp_path))
    width = model.graph  # noqa: F841 - keeps the model alive while tracing
    n = x.size // 8 * 8
    trace = model.trace(x[:n].reshape(-1, 8), layout="ir")
    frac = nnfpga.type_info(type_spelling)["frac"]
    return np.ldexp(trace["x"].reshape(-1), frac).astype(np.int64), n


@pytest.mark.parametrize("t", TYPES, ids=[spelling(w, i, s, "Q", o, n) for w, i, s, o, n in TYPES])
def test_cast_is_the_emulators_for_every_mode(tmp_path, t):
    width, integer, signed, overflow, n = t
    x = adversarial(width, integer, signed, 400, seed=width)
    for i, quant in enumerate(QUANT):
        text = spelling(width, integer, signed, quant, overflow, n)
        want, used = emulator_codes(tmp_path / str(i), text, x)
        fmt = fixed_cast.FixedFormat(width=width, frac=width - integer, signed=signed,
                                     rounding=quant, overflow=overflow, sat_bits=n)
        got = fixed_cast.cast_array(x[:used], fmt)
        bad = np.flatnonzero(got != want)
        assert bad.size == 0, (f"{text}: value {x[bad[0]]!r} -> driver {got[bad[0]]}, "
                               f"emulator {want[bad[0]]} ({bad.size} differ)")
        scalar = [fixed_cast.cast_scalar(v, fmt) for v in x[:used:7]]
        assert scalar == want[::7].tolist(), text


def test_the_input_layer_is_named_x():
    # emulator_codes configures the input by name: a renamed fixture input must fail here.
    assert nnfpga.read_graph(str(FIXTURE)).inputs == ["x"]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_infinity_are_refused_like_the_emulator(tmp_path, bad):
    x = np.zeros((2, 8))
    x[1, 3] = bad
    fmt = fixed_cast.FixedFormat(width=8, frac=5, signed=True)
    with pytest.raises(ValueError, match=r"input element \(1, 3\) is (NaN|infinity)"):
        fixed_cast.cast_array(x, fmt)
    model = nnfpga.convert(str(FIXTURE), output_dir=str(tmp_path))
    with pytest.raises(nnfpga.InputError, match="NaN|infinity"):
        model.predict(x)


def layout(count, width, signed, beat_bits):
    lane = next(w for w in (8, 16, 32, 64) if w >= width)
    per_beat = beat_bits // lane
    return {"name": "x", "shape": [count], "count": count,
            "type": f"ap_{'' if signed else 'u'}fixed<{width},{width // 2}>", "width": width,
            "signed": signed, "frac_bits": width - width // 2, "rounding": "AP_TRN",
            "overflow": "AP_WRAP", "lane_bits": lane, "beat_bits": beat_bits,
            "elements_per_beat": per_beat, "beats_per_sample": -(-count // per_beat)}


def deploy_json(tmp_path, input_side, output_side):
    d = {"format": "nnfpga-deploy", "version": 1, "board": "pynq-z2", "part": "xc7z020clg400-1",
         "clock_mhz": 100.0, "backend": "verilog", "top": "m", "model_sha256": "ab" * 32,
         "latency_cycles": 3, "interval_cycles": 1, "input": input_side, "output": output_side,
         "control": {"ip": "nnfpga_ctrl", "registers": {"id": 0}, "id_value": 1313752647},
         "dma": {"ip": "axi_dma_0", "mm2s_width": 64, "s2mm_width": 64},
         "overlay": {"bit": "overlay/nnfpga.bit", "hwh": "overlay/nnfpga.hwh"}}
    (tmp_path / "deploy.json").write_text(json.dumps(d))
    return read_deploy(tmp_path)


@pytest.mark.parametrize("width,signed,beat_bits,count", [
    (5, True, 64, 11), (8, False, 32, 7), (12, True, 64, 9), (16, True, 128, 10),
    (20, False, 64, 3), (33, True, 128, 5), (64, True, 64, 2)])
def test_packing_puts_element_k_in_lane_k_mod_e_of_beat_k_div_e(tmp_path, width, signed,
                                                                   beat_bits, count):
    info = deploy_json(tmp_path, layout(count, width, signed, beat_bits),
                       layout(count, width, signed, beat_bits))
    s = info.input
    rng = np.random.default_rng(width)
    lo, hi = s.fixed.min_code, s.fixed.max_code
    codes = np.array([[int(v) for v in rng.integers(lo, hi, count, endpoint=True)]
                      for _ in range(3)], dtype=np.int64)
    codes[0, 0], codes[0, -1] = lo, hi
    buffer = np.zeros((3, s.lanes_per_sample), dtype=packing.lane_dtype(s))
    packing.pack(codes, s, buffer)
    raw = buffer.tobytes()
    beat_bytes, lane = beat_bits // 8, s.lane_bits
    for row in range(3):
        for beat in range(s.beats_per_sample):
            at = (row * s.beats_per_sample + beat) * beat_bytes
            tdata = int.from_bytes(raw[at:at + beat_bytes], "little")
            for j in range(s.elements_per_beat):
                k = beat * s.elements_per_beat + j
                lane_bits = (tdata >> (j * lane)) & ((1 << lane) - 1)
                # Sign- or zero-extended to the lane; unused lanes of the last beat are zero.
                want = (int(codes[row, k]) if k < count else 0) & ((1 << lane) - 1)
                assert lane_bits == want, (row, beat, j)
    np.testing.assert_array_equal(packing.unpack(buffer, 3, info.output), codes)


def test_unpack_refuses_a_lane_outside_the_output_type(tmp_path):
    info = deploy_json(tmp_path, layout(4, 12, True, 64), layout(4, 12, True, 64))
    buffer = np.zeros((1, 4), dtype=np.int16)
    buffer[0, 2] = 2047 + 1  # a 12-bit code cannot be 2048: the overlay packs otherwise
    with pytest.raises(ValueError, match="sample 0 output element 2 arrived as 2048"):
        packing.unpack(buffer, 1, info.output)


def test_deploy_json_whose_packing_disagrees_is_refused(tmp_path):
    side = layout(10, 16, True, 64)
    side["elements_per_beat"] = 2
    with pytest.raises(DeployError, match=r"input packing .* is \(16, 2, 3\), but a 16-bit "
                                          r"element on a 64-bit beat packs as \(16, 4, 3\)"):
        deploy_json(tmp_path, side, layout(10, 16, True, 64))


def test_deploy_json_of_another_version_is_refused(tmp_path):
    deploy_json(tmp_path, layout(4, 8, True, 64), layout(4, 8, True, 64))
    d = json.loads((tmp_path / "deploy.json").read_text())
    d["version"] = 2
    (tmp_path / "deploy.json").write_text(json.dumps(d))
    with pytest.raises(DeployError, match="has version 2; this driver reads version 1"):
        read_deploy(tmp_path / "overlay")


def pixel_layout(shape, width, beat_bits):
    """A streaming design's side: pixels of shape[-1] channels, raster order."""
    count = int(np.prod(shape))
    side = layout(count, width, True, beat_bits)
    side.update({"shape": list(shape), "pixels": count // shape[-1],
                 "elements_per_pixel": shape[-1], "pixel_order": "raster, channels last"})
    return side


def test_raster_rows_put_a_pixels_channels_together_row_by_row(tmp_path):
    info = deploy_json(tmp_path, pixel_layout((2, 3, 2), 8, 64), layout(2, 8, True, 64))
    s = info.input
    assert (s.pixels, s.elements_per_pixel) == (6, 2)
    # Sample[h, w, c] = 100 h + 10 w + c: the row in stream order, pixel (0,0) first, its two
    # channels side by side, then (0,1), ..., then the second image row.
    x = np.fromfunction(lambda h, w, c: 100 * h + 10 * w + c, (2, 3, 2), dtype=np.int64)
    rows = packing.raster_rows(x[None], s)
    assert rows.tolist() == [[0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121]]


@pytest.mark.parametrize("edit, message", [
    ({"pixel_order": "column-major"}, "pixel_order is 'column-major'"),
    ({"pixels": 5}, "has 5 pixels of 2 elements, not its count 12"),
    ({"shape": [2, 2, 3], "elements_per_pixel": 2}, r"does not end in its 2 channels"),
])
def test_deploy_json_whose_pixels_disagree_is_refused(tmp_path, edit, message):
    side = pixel_layout((2, 3, 2), 8, 64)
    side.update(edit)
    with pytest.raises(DeployError, match=message):
        deploy_json(tmp_path, side, layout(2, 8, True, 64))
