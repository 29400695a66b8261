"""Codes to DMA buffers and back: the packing rule of the board contract (docs/board.md).

A sample is first laid out as a row in stream order (raster_rows: pixels in raster order, the
channels of a pixel together); a streaming design's wrapper cuts that row into pixels again.

Element k of a sample sits in lane k % E of beat k // E; a lane is L bits (8, 16, 32 or 64)
holding the element's code sign- or zero-extended; lane j is bits [j*L, (j+1)*L) of the beat.
A little-endian array of L-bit integers, one row of beats_per_sample * E lanes per sample, is
therefore byte for byte what the DMA moves, so packing is a copy into such an array.
"""

from __future__ import annotations

import numpy as np

from .deploy_info import StreamLayout


def raster_rows(samples: np.ndarray, s: StreamLayout) -> np.ndarray:
    """Samples in their own shape (N x shape, channels last, as the emulator takes them) as
    rows of s.count codes in stream order: the pixels in raster order (the first row left to
    right, then the next), each pixel's channels side by side. A streaming accelerator takes
    them a pixel per beat in this order; for one pixel (an MLP) it is the flattened sample."""
    n = samples.shape[0]
    pixels = samples.reshape(n, s.pixels, s.elements_per_pixel)
    return pixels.reshape(n, s.count)


def lane_dtype(s: StreamLayout) -> np.dtype:
    """Little-endian L-bit integers, signed when the element type is."""
    return np.dtype(f"<{'i' if s.fixed.signed else 'u'}{s.lane_bits // 8}")


def pack(codes: np.ndarray, s: StreamLayout, out: np.ndarray) -> None:
    """Writes a batch of codes (rows of s.count) into `out`, rows of s.lanes_per_sample lanes of
    lane_dtype(s): the DMA buffer of the MM2S transfer. Padding lanes are written as zero."""
    n = codes.shape[0]
    beats = out[:n].reshape(n, s.beats_per_sample, s.elements_per_beat)
    # Element k -> beat k // E, lane k % E: a row-major reshape of the zero-padded sample.
    padded = np.zeros((n, s.lanes_per_sample), dtype=out.dtype)
    padded[:, :s.count] = codes
    lanes = padded.reshape(n, s.beats_per_sample, s.elements_per_beat)
    beats[...] = lanes


def unpack(buffer: np.ndarray, n: int, s: StreamLayout) -> np.ndarray:
    """The codes (int64 rows of s.count) of the first n samples of an S2MM buffer."""
    beats = np.asarray(buffer[:n]).reshape(n, s.beats_per_sample, s.elements_per_beat)
    lanes = beats
    codes = lanes.reshape(n, s.lanes_per_sample)[:, :s.count].astype(np.int64)
    # The wrapper sign- or zero-extends each code to its lane, so a lane outside the type's range
    # means the overlay packs differently from deploy.json: refused rather than misread.
    bad = (codes < s.fixed.min_code) | (codes > s.fixed.max_code)
    if bad.any():
        row, k = (int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"sample {row} output element {k} arrived as {codes[row, k]}, outside "
                         f"the {s.fixed.width}-bit output type: the overlay does not pack its "
                         f"output as deploy.json says (is the bitstream from this folder?)")
    return codes
