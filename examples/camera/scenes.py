"""Digits drawn at random positions and scales: the camera demo's data, shared by the training
script (small canvases) and the test (video frames), and the one preprocessing step the app
applies to every frame, so that training and inference see images made the same way."""

from typing import Tuple

import cv2
import numpy as np
from sklearn.datasets import load_digits

CANVAS = 32      # the square the digit is drawn in (training) or a frame is reduced to (app)
SIDE = 12        # the model's input is SIDE x SIDE pixels
SCALES = (16, 28)  # the digit's side on the canvas, in canvas pixels


def digit_images() -> Tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 digits as float images in [0, 1] (ink high), and their labels."""
    d = load_digits()
    return (d.images / 16.0).astype(np.float32), d.target.astype(np.int64)


def draw(canvas: np.ndarray, image: np.ndarray, side: int, x: int, y: int) -> None:
    """Draws an 8x8 digit image scaled to side x side at (x, y), brightest wins."""
    glyph = cv2.resize(image, (side, side), interpolation=cv2.INTER_LINEAR)
    region = canvas[y:y + side, x:x + side]
    np.maximum(region, glyph, out=region)


def random_scene(image: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """A size x size float image: the digit at a random scale and position, with sensor noise."""
    canvas = np.zeros((size, size), dtype=np.float32)
    lo, hi = (int(round(s * size / CANVAS)) for s in SCALES)
    side = int(rng.integers(lo, hi + 1))
    x, y = (int(v) for v in rng.integers(0, size - side + 1, 2))
    draw(canvas, image, side, x, y)
    canvas += rng.normal(0.0, 0.04, canvas.shape).astype(np.float32)
    return np.clip(canvas, 0.0, 1.0)


def model_input(gray: np.ndarray) -> np.ndarray:
    """A grayscale frame (ink bright, any size, values in [0, 1]) to the model's input: its
    centre square reduced to CANVAS and then SIDE pixels (area averaging), flattened, in
    [0, 1 - 2^-8] so that the 8-bit unsigned input type holds every value."""
    h, w = gray.shape
    s = min(h, w)
    square = gray[(h - s) // 2:(h - s) // 2 + s, (w - s) // 2:(w - s) // 2 + s]
    small = cv2.resize(square, (CANVAS, CANVAS), interpolation=cv2.INTER_AREA)
    tiny = cv2.resize(small, (SIDE, SIDE), interpolation=cv2.INTER_AREA)
    return np.clip(tiny, 0.0, 1.0 - 2.0 ** -8).reshape(-1).astype(np.float32)
