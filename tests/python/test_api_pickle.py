"""A ModelGraph pickles (its typed graph as IR JSON and its settings) and is rebuilt in another
process with the same predictions bit for bit: what multiprocessing pools or Dask workers need
to emulate large data sets in parallel."""

import concurrent.futures
import multiprocessing
import pickle

import numpy as np

import nnfpga
from conftest import REPO

DIGITS = REPO / "examples" / "digits"


def _predict(model, x):
    return model.predict(x)


def test_pickled_model_predicts_identically_in_another_process():
    model = nnfpga.convert(str(DIGITS / "digits_mlp.onnx"),
                           hls_config={"Model": {"Precision": "ap_fixed<12,5>",
                                                 "ReuseFactor": 2}},
                           project_name="digits")
    x = np.load(DIGITS / "test_x.npy")
    copy = pickle.loads(pickle.dumps(model))
    assert copy.project_name == "digits" and copy.config == model.config
    assert copy.resolved_config() == model.resolved_config()
    assert copy.estimate() == model.estimate()
    local = model.predict(x)
    np.testing.assert_array_equal(copy.predict(x), local)
    assert copy.overflows(x) == model.overflows(x)
    # Chunks of the batch emulated by worker processes, as a Dask map over blocks would.
    chunks = np.array_split(x, 3)
    with concurrent.futures.ProcessPoolExecutor(
            2, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(pool.map(_predict, [model] * len(chunks), chunks))
    np.testing.assert_array_equal(np.concatenate(parts), local)
