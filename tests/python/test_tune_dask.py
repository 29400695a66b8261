"""nnfpga on a Dask cluster (docs/tune.md, docs/python.md): ``nnfpga.tune(client=)`` gets the
same points, front and choice as the local search; ``predict`` mapped over a Dask array equals a
local ``predict`` bit for bit; the progress report works in both modes; the front is a pandas
DataFrame, or a list of dicts without pandas. The cluster is a LocalCluster of two worker
processes with one thread each, started once for the module."""

import json
import os
import subprocess
import sys

import dask.array as da
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster, get_task_stream

import nnfpga
from conftest import REPO

DIGITS = REPO / "examples" / "digits"
MODEL = str(DIGITS / "digits_mlp.onnx")
# 300 samples keep the search to a couple of seconds and still give 90 holdout samples.
SAMPLES = 300


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def data():
    return np.load(DIGITS / "test_x.npy")[:SAMPLES], np.load(DIGITS / "test_y.npy")[:SAMPLES]


def without_time(report):
    return {k: v for k, v in report.items() if k != "seconds"}


def test_dask_tune_gets_the_local_front_and_choice(client, data):
    x, y = data
    local = nnfpga.tune(MODEL, x, y, threads=2)
    seen = []
    with get_task_stream(client) as tasks:
        remote = nnfpga.tune(MODEL, x, y, client=client, progress=seen.append)
    assert len(remote.report["points"]) == len(local.report["points"]) > 50
    assert without_time(remote.report) == without_time(local.report)
    assert remote.config == local.config
    pd.testing.assert_frame_equal(remote.front, local.front)
    # The evaluations ran as tasks on both workers.
    measured = [t for t in tasks.data if "measure_on_worker" in t["key"]]
    assert len(measured) == len(remote.report["points"])
    assert len({t["worker"] for t in measured}) == 2
    # The progress report came from the Dask run too.
    assert seen and seen[-1]["evaluated"] <= len(remote.report["points"])
    assert any(p["best_objective"] is not None for p in seen)


def test_dask_tune_of_a_model_without_labels(client, data):
    x, _ = data
    local = nnfpga.tune(MODEL, x, max_error=0.02, threads=2)
    remote = nnfpga.tune(MODEL, x, max_error=0.02, client=client)
    assert without_time(remote.report) == without_time(local.report)


def test_a_client_that_is_not_one_is_refused(data):
    x, y = data
    with pytest.raises(TypeError, match="dask.distributed.Client"):
        nnfpga.tune(MODEL, x, y, client=object())


def test_predict_over_a_dask_array_equals_local_predict(client, data):
    x, _ = data
    model = nnfpga.convert(MODEL, hls_config={"Model": {"Precision": "ap_fixed<12,4>"}})
    chunks = da.from_array(x, chunks=(64, x.shape[1]))
    mapped = chunks.map_blocks(model.predict, dtype=np.float64, chunks=(chunks.chunks[0], (10,)))
    got = mapped.compute()
    want = model.predict(x)
    assert got.dtype == want.dtype and np.array_equal(got, want)
    # The same through client.map over explicit chunks, the model scattered once.
    remote_model = client.scatter(model, broadcast=True)
    parts = client.gather(client.map(lambda m, b: m.predict(b), [remote_model] * 5,
                                     np.array_split(x, 5)))
    assert np.array_equal(np.concatenate(parts), want)


def test_progress_line_on_stderr(data, capsys):
    x, y = data
    nnfpga.tune(MODEL, x, y, threads=2, progress=True)
    err = capsys.readouterr().err
    assert "points evaluated" in err and "left at most" in err


def test_front_is_a_dataframe_with_pandas(data):
    x, y = data
    result = nnfpga.tune(MODEL, x, y, threads=2)
    assert isinstance(result.front, pd.DataFrame)
    assert result.front["chosen"].sum() == 1
    assert {"id", "loss", "objective", "lut", "baseline"} <= set(result.front.columns)


def test_front_is_a_list_of_dicts_without_pandas(data, monkeypatch):
    x, y = data
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    result = nnfpga.tune(MODEL, x, y, threads=2)
    assert isinstance(result.front, list) and isinstance(result.front[0], dict)
    assert sum(row["chosen"] for row in result.front) == 1


def test_cli_dask_gets_the_local_front(nnfpga_bin, client, data, tmp_path):
    x, y = data
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", y)
    address = client.scheduler.address
    env = dict(os.environ, NNFPGA_PYTHON=sys.executable, MPLBACKEND="Agg")
    fronts = {}
    for mode, extra in (("local", ["--threads", "2"]), ("dask", ["--dask", address])):
        proc = subprocess.run(
            [nnfpga_bin, "tune", MODEL, "--data", tmp_path / "x.npy", "--labels",
             tmp_path / "y.npy", "-o", tmp_path / mode, *extra],
            capture_output=True, text=True, timeout=300, env=env)
        assert proc.returncode == 0, proc.stderr
        fronts[mode] = json.loads((tmp_path / mode / "front.json").read_text())
        fronts[mode].pop("seconds")
    assert fronts["dask"] == fronts["local"]
    assert (tmp_path / "dask" / "config.yml").read_text() == (
        tmp_path / "local" / "config.yml").read_text()


def test_cli_dask_without_a_scheduler_says_so(nnfpga_bin, data, tmp_path):
    x, y = data
    np.save(tmp_path / "x.npy", x)
    env = dict(os.environ, NNFPGA_PYTHON=sys.executable,
               DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s")
    proc = subprocess.run(
        [nnfpga_bin, "tune", MODEL, "--data", tmp_path / "x.npy", "-o", tmp_path / "out",
         "--dask", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode != 0
    assert "no Dask scheduler at 'tcp://127.0.0.1:9'" in proc.stderr
    assert "a Dask scheduler at 'tcp://127.0.0.1:9'" in proc.stderr
