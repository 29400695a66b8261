"""nnfpga.profiling: range statistics against NumPy, figures on disk, overflow flags, and the
type suggestion's promise (no result or parameter overflow on X once applied)."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import nnfpga  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from conftest import REPO  # noqa: E402
from nnfpga import profiling  # noqa: E402

torch = pytest.importorskip("torch")

DIGITS = REPO / "examples" / "digits" / "digits_mlp.onnx"
DIGITS_X = REPO / "examples" / "digits" / "test_x.npy"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def X():
    return np.load(DIGITS_X)


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    """The digits MLP under the default ap_fixed<16,6>: its logits overflow (examples/digits)."""
    return nnfpga.convert(str(DIGITS), output_dir=str(tmp_path_factory.mktemp("prj")))


def layer_of(model, op, nth=0):
    return [entry for entry in model.layers() if entry["op"] == op][nth]


def result_overflows(model, X):
    return {name: c["result"] for name, c in model.overflows(X).items() if c["result"]}


def param_overflows(model):
    return {(entry["name"], k): n for entry in model.layers()
            for k, n in entry["param_overflows"].items() if n}


def expected_row(values, t):
    v = np.asarray(values, dtype=np.float64).ravel()
    nonzero = v[v != 0]
    return dict(count=v.size, zeros=v.size - nonzero.size, min=v.min(), max=v.max(),
                absmax=np.abs(v).max(), median=np.median(v), q1=np.percentile(v, 25),
                q3=np.percentile(v, 75), type_min=t["min"], type_max=t["max"], lsb=t["lsb"],
                outside=np.sum((v < t["min"]) | (v > t["max"])),
                below_lsb=np.sum(np.abs(nonzero) < t["lsb"]), type=t["spelling"])


def assert_row(row, want, what):
    for key, value in want.items():
        got = getattr(row, key)
        if isinstance(value, str):
            assert got == value, f"{what}.{key}"
        else:
            assert got == pytest.approx(float(value), rel=1e-12, abs=0), f"{what}.{key}"


# ---------------------------------------------------------------------------- numerical


def test_numerical_statistics_match_numpy(digits, X):
    result = profiling.numerical(digits, X, plot=False)
    trace = digits.trace(X, mode="float")
    layers = digits.layers()
    assert [r.layer for r in result.activations] == [entry["name"] for entry in layers]
    for row, layer in zip(result.activations, layers):
        assert row.what == "result" and row.op == layer["op"]
        assert_row(row, expected_row(trace[layer["name"]], layer["types"]["result"]),
                   f"{layer['name']}.result")
    expected = [(entry["name"], p) for entry in layers for p in entry["params"]]
    assert [(r.layer, r.what) for r in result.weights] == expected
    for row in result.weights:
        layer = next(entry for entry in layers if entry["name"] == row.layer)
        assert_row(row, expected_row(digits.graph.param(row.layer, row.what),
                                     layer["types"][row.what]), f"{row.layer}.{row.what}")
    assert result.figures == {} and result.files == []
    assert "outside" in result.table()


def test_numerical_flags_too_narrow_result_type(X, tmp_path):
    base = nnfpga.convert(str(DIGITS), output_dir=str(tmp_path))
    first_dense = layer_of(base, "Dense")["name"]
    config = {"Model": {"Precision": "ap_fixed<16,7>"},
              "LayerName": {first_dense: {"Precision": {"result": "ap_fixed<8,2>"}}}}
    model = nnfpga.convert(str(DIGITS), hls_config=config, output_dir=str(tmp_path))
    result = profiling.numerical(model, X)
    flagged = {(r.layer, r.what) for r in result.overflowing()}
    assert flagged == {(first_dense, "result")}
    row = next(r for r in result.activations if r.layer == first_dense)
    assert row.type == "ap_fixed<8,2>" and row.type_max == 2 - 2 ** -6 and row.outside > 0
    # The emulator agrees that this layer, and only this one, overflows its result type.
    assert set(result_overflows(model, X)) == {first_dense}
    assert set(result.figures) == {"weights", "activations"}


def test_numerical_flags_too_narrow_weight_type(tmp_path):
    net = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU())
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[3.0, -2.5, 0.25], [0.5, -0.75, 1e-4]]))
        net[0].bias.copy_(torch.tensor([0.125, -1.0]))
    x = np.random.default_rng(0).uniform(-1, 1, (64, 3)).astype(np.float32)
    model = nnfpga.convert(net, example_input=torch.tensor(x), output_dir=str(tmp_path),
                           hls_config={"Model": {"Precision": "ap_fixed<8,1>"}})
    result = profiling.numerical(model, x, plot=False)
    dense = layer_of(model, "Dense")["name"]
    weight = next(r for r in result.weights if (r.layer, r.what) == (dense, "weight"))
    bias = next(r for r in result.weights if (r.layer, r.what) == (dense, "bias"))
    assert weight.outside == 2  # 3.0 and -2.5 lie outside [-1, 1 - 2^-7]
    assert weight.below_lsb == 1  # 1e-4 < 2^-7
    assert bias.outside == 0  # -1.0 is the type's most negative value
    assert param_overflows(model) == {(dense, "weight"): 2}


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_numerical_writes_figures(digits, X, tmp_path, fmt):
    out = tmp_path / "plots"
    result = profiling.numerical(digits, X, save=str(out) + os.sep, fmt=fmt)
    assert result.files == [out / f"weights.{fmt}", out / f"activations.{fmt}"]
    for path in result.files:
        head = path.read_bytes()[:400]
        assert head.startswith(b"\x89PNG") if fmt == "png" else b"<svg" in head
    prefixed = profiling.numerical(digits, X, save=tmp_path / "digits_", fmt=fmt)
    assert prefixed.files == [tmp_path / f"digits_weights.{fmt}",
                              tmp_path / f"digits_activations.{fmt}"]
    assert all(p.stat().st_size > 1000 for p in prefixed.files)
    # The same model and data write the same bytes (no dates, fixed SVG ids).
    again = profiling.numerical(digits, X, save=tmp_path / "again_", fmt=fmt)
    assert [p.read_bytes() for p in again.files] == [p.read_bytes() for p in prefixed.files]


def test_unknown_format_is_refused(digits, X):
    with pytest.raises(nnfpga.InputError, match="png"):
        profiling.numerical(digits, X, save="x", fmt="jpg")


# ---------------------------------------------------------------------------- compare


def test_compare_matches_numpy(digits, X, tmp_path):
    result = profiling.compare(digits, X, save=tmp_path, fmt="svg")
    fixed, floating = digits.trace(X), digits.trace(X, mode="float")
    assert [r.layer for r in result.rows] == [entry["name"] for entry in digits.layers()]
    for row, layer in zip(result.rows, digits.layers()):
        diff = (fixed[row.layer] - floating[row.layer]).ravel()
        lsb = layer["types"]["result"]["lsb"]
        assert row.lsb == lsb and row.count == diff.size
        assert row.max_abs == pytest.approx(np.abs(diff).max(), rel=1e-12)
        assert row.rms == pytest.approx(np.sqrt(np.mean(diff ** 2)), rel=1e-12)
        assert row.mean == pytest.approx(diff.mean(), rel=1e-9, abs=1e-15)
        assert row.max_lsb == pytest.approx(np.abs(diff).max() / lsb, rel=1e-12)
    # The input is exact in ap_fixed<16,6> (multiples of 2^-8); the wrapped logits are not.
    assert result.rows[0].max_abs == 0
    assert result.rows[-1].max_lsb > 2 ** 14
    assert result.files == [tmp_path / "compare.svg"]
    assert len(result.figure.axes) == 2


# ---------------------------------------------------------------------------- suggest_types


def test_integer_bits_rule():
    cases = [
        # (lo, hi, signed, I)
        (0.0, 4.0, True, 4),       # a maximum of exactly 2^2 needs 2^(I-1) > 4
        (0.0, 3.99, True, 3),
        (-4.0, 0.0, True, 3),      # -2^2 is the most negative code of I = 3
        (-4.01, 0.0, True, 4),
        (-4.0, 4.0, True, 4),
        (0.0, 4.0, False, 3),      # unsigned: 4 < 2^3
        (0.0, 3.99, False, 2),
        (0.0, 0.75, True, 1),
        (-0.001, 0.001, True, -8),  # below 1: negative I, more fraction bits
        (0.0, 0.0, True, None),    # nothing to go by
        (0.0, 0.0, False, None),
    ]
    for lo, hi, signed, want in cases:
        assert profiling.integer_bits(lo, hi, signed) == want, (lo, hi, signed)
    with pytest.raises(ValueError):
        profiling.integer_bits(-1.0, 1.0, False)


def test_integer_bits_is_the_fewest_that_fit():
    rng = np.random.default_rng(3)
    for _ in range(300):
        lo, hi = sorted(rng.normal(0, 10, 2) * 2.0 ** rng.integers(-6, 6))
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        signed = bool(lo < 0 or rng.random() < 0.5)
        bits = profiling.integer_bits(lo, hi, signed)
        prefix = "ap_fixed" if signed else "ap_ufixed"
        fits = nnfpga.type_info(f"{prefix}<24,{bits}>")
        assert fits["min"] <= lo and hi < fits["max"] + fits["lsb"]
        fewer = nnfpga.type_info(f"{prefix}<24,{bits - 1}>")
        assert lo < fewer["min"] or hi >= fewer["max"] + fewer["lsb"]


def test_suggested_types_remove_digits_overflows(digits, X, tmp_path):
    assert result_overflows(digits, X), "the default ap_fixed<16,6> should overflow the logits"
    fragment = profiling.suggest_types(digits, X)
    config = profiling.merge_config(digits.config, fragment, digits)
    fixed = nnfpga.convert(str(DIGITS), hls_config=config, output_dir=str(tmp_path))
    assert result_overflows(fixed, X) == {} and param_overflows(fixed) == {}
    # Width is kept; ReLU outputs are unsigned; every other type stays signed.
    for layer in fixed.layers():
        for key, t in layer["types"].items():
            if key != "accum":
                assert t["width"] == 16, (layer["name"], key)
        assert layer["types"]["result"]["signed"] == (layer["op"] != "ReLU"), layer["name"]
    # The logits reach -43.9: -2^6 > -43.9 >= -2^6 needs I = 7.
    last = fixed.layers()[-1]
    assert last["types"]["result"]["spelling"] == "ap_fixed<16,7>"
    y = np.load(REPO / "examples" / "digits" / "test_y.npy")
    assert np.mean(fixed.predict(X).argmax(1) == y) >= np.mean(
        fixed.predict(X, mode="float").argmax(1) == y) - 0.01


def test_suggested_types_width_and_margin(digits, X, tmp_path):
    plain = {(c.layer, c.key): c for c in profiling.type_choices(digits, X, verify=False)}
    wider = profiling.type_choices(digits, X, width=12, margin_bits=1)
    for c in wider:
        assert c.width == 12 and nnfpga.type_info(c.suggested)["width"] == 12
        assert c.integer == plain[(c.layer, c.key)].integer + 1 + c.verify_bits
    config = profiling.merge_config(
        digits.config, profiling.suggest_types(digits, X, width=12, margin_bits=1), digits)
    model = nnfpga.convert(str(DIGITS), hls_config=config, output_dir=str(tmp_path))
    assert result_overflows(model, X) == {} and param_overflows(model) == {}


def small_torch_model():
    torch.manual_seed(7)
    net = torch.nn.Sequential(
        torch.nn.Linear(6, 12), torch.nn.ReLU(), torch.nn.Linear(12, 8), torch.nn.Tanh(),
        torch.nn.Linear(8, 4), torch.nn.Sigmoid(), torch.nn.Linear(4, 3))
    with torch.no_grad():
        net[0].weight.mul_(6.0)  # weights up to ~2.4: too wide for ap_fixed<10,2>
        net[2].bias.add_(3.0)
    return net.eval()


def test_suggested_types_remove_torch_overflows(tmp_path):
    net = small_torch_model()
    x = (3 * np.random.default_rng(1).standard_normal((400, 6))).astype(np.float32)
    # An HLSConfig-wrapped configuration with a layer given a single type string.
    probe = nnfpga.convert(net, example_input=torch.tensor(x[:2]))
    relu = layer_of(probe, "ReLU")["name"]
    dense = layer_of(probe, "Dense", 1)["name"]
    config = {"HLSConfig": {"Model": {"Precision": "ap_fixed<10,2,AP_RND_CONV>"},
                            "LayerName": {dense: {"Precision": "ap_fixed<10,3>"}}}}
    model = nnfpga.convert(net, hls_config=config, example_input=torch.tensor(x[:2]),
                           output_dir=str(tmp_path))
    assert result_overflows(model, x) and param_overflows(model)
    fragment = profiling.suggest_types(model, x)
    merged = profiling.merge_config(model.config, fragment, model)
    assert set(merged) == {"HLSConfig"}
    fixed = nnfpga.convert(net, hls_config=merged, example_input=torch.tensor(x[:2]),
                           output_dir=str(tmp_path))
    assert result_overflows(fixed, x) == {} and param_overflows(fixed) == {}
    types = {entry["name"]: entry["types"] for entry in fixed.layers()}
    assert types[relu]["result"]["signed"] is False
    assert types[layer_of(fixed, "Sigmoid")["name"]]["result"]["spelling"].startswith(
        "ap_ufixed<10,")
    assert types[layer_of(fixed, "TanH")["name"]]["result"]["signed"] is True
    # The modes of the configured types are kept.
    assert "AP_RND_CONV" in types[relu]["result"]["spelling"]
    assert types[dense]["weight"]["quantization"] == "AP_TRN"


def test_verify_widens_past_rounding(tmp_path):
    """0.999 needs I = 1 by its float value, but AP_RND with 7 fraction bits carries it to
    1.0, which overflows: only the check on the fixed-point model finds that."""
    net = torch.nn.Sequential(torch.nn.Linear(1, 1))
    with torch.no_grad():
        net[0].weight.fill_(1.0)
        net[0].bias.fill_(0.0)
    x = np.array([[0.999], [-0.5]], dtype=np.float32)
    model = nnfpga.convert(net, example_input=torch.tensor(x), output_dir=str(tmp_path),
                           hls_config={"Model": {"Precision": "ap_fixed<8,3,AP_RND>"}})
    unchecked = profiling.suggest_types(model, x, verify=False)
    trial = nnfpga.ModelGraph(model.graph, profiling.merge_config(model.config, unchecked, model))
    assert result_overflows(trial, x)
    choices = {(c.layer, c.key): c for c in profiling.type_choices(model, x)}
    inp = model.inputs[0]
    dense = layer_of(model, "Dense")["name"]
    assert choices[(inp, "result")].suggested == "ap_fixed<8,2,AP_RND>"
    assert choices[(inp, "result")].verify_bits == 1
    # The bias is all zero: X says nothing, so it keeps its configured type.
    assert (dense, "bias") not in choices
    fragment = profiling.suggest_types(model, x)
    assert "bias" not in fragment["LayerName"][dense]["Precision"]
    checked = nnfpga.ModelGraph(model.graph, profiling.merge_config(model.config, fragment, model))
    assert result_overflows(checked, x) == {}


def test_merge_config_spells_out_single_types(digits):
    dense = layer_of(digits, "Dense")["name"]
    relu = layer_of(digits, "ReLU")["name"]
    base = {"Model": {"Precision": "ap_fixed<16,6>", "ReuseFactor": 2},
            "LayerName": {dense: {"Precision": "ap_fixed<12,4>", "ReuseFactor": 4},
                          relu: {"Precision": "ap_fixed<12,4>"}}}
    fragment = {"LayerName": {dense: {"Precision": {"result": "ap_fixed<12,5>"}},
                              relu: {"Precision": {"result": "ap_ufixed<12,3>"}}}}
    merged = profiling.merge_config(base, fragment, digits)
    assert merged["LayerName"][dense] == {
        "Precision": {"weight": "ap_fixed<12,4>", "bias": "ap_fixed<12,4>",
                      "result": "ap_fixed<12,5>"}, "ReuseFactor": 4}
    assert merged["LayerName"][relu] == {"Precision": {"result": "ap_ufixed<12,3>"}}
    assert merged["Model"] == base["Model"]
    assert base["LayerName"][dense]["Precision"] == "ap_fixed<12,4>"  # not changed in place
    with pytest.raises(nnfpga.ConfigError, match="model="):
        profiling.merge_config(base, fragment)
    # A string over a map replaces the keys it sets and keeps the others (accum).
    over = profiling.merge_config(
        {"LayerName": {dense: {"Precision": {"accum": "ap_fixed<32,12>"}}}},
        {"LayerName": {dense: {"Precision": "ap_fixed<12,4>"}}}, digits)
    assert over["LayerName"][dense]["Precision"] == {
        "accum": "ap_fixed<32,12>", "weight": "ap_fixed<12,4>", "bias": "ap_fixed<12,4>",
        "result": "ap_fixed<12,4>"}
    wrapped = profiling.merge_config({"HLSConfig": {"Model": {"Precision": "ap_fixed<16,6>"}},
                                      "IOType": "io_parallel"}, fragment, digits)
    assert set(wrapped) == {"HLSConfig", "IOType"}
    assert wrapped["HLSConfig"]["LayerName"] == fragment["LayerName"]


def test_bad_width_is_refused(digits, X):
    with pytest.raises(nnfpga.InputError, match="width"):
        profiling.suggest_types(digits, X, width=0)


def test_clipping_a_quantizer_defines_is_counted_apart(tmp_path):
    """QKeras quantizers saturate by definition: the input's quantized_bits(8,I) clips about a
    third of the fixture's inputs, quantized_relu tops out at its largest value. That is the
    model's own clipping, not an overflow of a type nnfpga or the user chose: it is counted as
    'clipped', drawn apart, and left out of overflowing()."""
    fixtures = REPO / "tests" / "fixtures" / "keras2"
    model = nnfpga.convert(str(fixtures / "qkeras_relu.h5"), output_dir=str(tmp_path))
    x = np.load(fixtures / "qkeras_relu.x.npy")[:2000]
    counts = model.overflows(x)
    defined = {entry["name"] for entry in model.layers() if entry["clips_by_definition"]}
    clipped = {name for name, c in counts.items() if c["clipped"]}
    assert "x" in clipped and clipped <= defined, (clipped, defined)
    assert all(counts[name]["result"] == 0 for name in defined), counts
    ranges = profiling.numerical(model, x, plot=False)
    rows = {r.layer: r for r in ranges.activations}
    assert rows["x"].clipped_by_model and rows["x"].clipped and not rows["x"].overflows
    assert not defined & {r.layer for r in ranges.overflowing()}
