#!/usr/bin/env python3
"""Writes the small .npy files tests/unit/io/ reads, with numpy itself, into tests/fixtures/npy/.

Every file holds the values 0, 1, 2, 3, 4, 5 in shape (2, 3) (as 0/1 for bool), so the C++ test
knows what to expect without a side file. Deterministic: rerunning rewrites identical bytes.

    python3 tools/make_npy_fixtures.py
"""

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "npy"

DTYPES = ["<f4", "<f8", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "|b1",
          ">f4", ">f8", ">i2", ">i4", ">u8"]


def values(dtype):
    base = np.arange(6).reshape(2, 3)
    return (base % 2).astype(dtype) if dtype == "|b1" else base.astype(dtype)


def file_name(dtype):
    order = {"<": "le", ">": "be", "|": "na"}[dtype[0]]
    return f"{order}_{dtype[1:]}.npy"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for dtype in DTYPES:
        np.save(OUT / file_name(dtype), values(dtype))
    for version in [(2, 0), (3, 0)]:
        with open(OUT / f"v{version[0]}_f4.npy", "wb") as f:
            np.lib.format.write_array(f, values("<f4"), version=version)
    np.save(OUT / "fortran_f4.npy", np.asfortranarray(values("<f4")))
    np.save(OUT / "scalar_f8.npy", np.float64(2.5))
    np.save(OUT / "empty_f4.npy", np.zeros((0, 3), dtype="<f4"))


if __name__ == "__main__":
    main()
