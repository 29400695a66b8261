#!/usr/bin/env python3
"""The camera demo: classify the digit in each frame of a webcam, a video file or a folder of
images with nnfpga's accelerator, and show or write the frames with the label, the confidence,
the frames per second and the per-frame latency.

    python3 app.py 0                                  # webcam 0, the emulator, in a window
    python3 app.py clip.mp4 --engine boardsim --out labelled.avi --headless
    python3 app.py frames/ --engine board --deploy deploy --race   # on a Pynq-Z2

--race runs every frame on onnxruntime (the float model on the CPU) as well and prints both
latencies side by side. --log writes one CSV row per frame. Ink is expected bright on a dark
background; --invert takes dark ink on paper.
"""

import argparse
import csv
import sys
import time
from pathlib import Path
from typing import Iterator, Tuple

import cv2
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import engines  # noqa: E402
import scenes  # noqa: E402

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp"}


def frames(source: str) -> Iterator[np.ndarray]:
    """BGR frames of a webcam index, a video file or a folder of images (sorted by name)."""
    path = Path(source)
    if path.is_dir():
        for f in sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
            image = cv2.imread(str(f))
            if image is None:
                raise SystemExit(f"cannot read the image {f}")
            yield image
        return
    capture = cv2.VideoCapture(int(source) if source.isdigit() else str(path))
    if not capture.isOpened():
        raise SystemExit(f"cannot open '{source}' (a webcam index, a video file or a folder)")
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            yield frame
    finally:
        capture.release()


def softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max())
    return e / e.sum()


def annotate(frame: np.ndarray, lines: Tuple[str, ...]) -> None:
    for i, text in enumerate(lines):
        y = 22 + 20 * i
        cv2.putText(frame, text, (8, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 3)
        cv2.putText(frame, text, (8, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 255, 0), 1)


def timed(engine, x: np.ndarray) -> Tuple[np.ndarray, float]:
    start = time.perf_counter()
    logits = np.asarray(engine.predict(x[None, :]))[0]
    return logits, (time.perf_counter() - start) * 1e3


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("source", help="webcam index, video file or folder of images")
    p.add_argument("--engine", default="emulator", choices=["emulator", "boardsim", "board"])
    p.add_argument("--model", type=Path, default=HERE / "camera_cnn.onnx",
                   help="camera_cnn.onnx (the default) or camera_mlp.onnx (train.py writes both)")
    p.add_argument("--config", type=Path,
                   help="its nnfpga configuration (default: the model's name with .yml)")
    p.add_argument("--deploy", type=Path, default=HERE / "deploy",
                   help="the deployment folder (board, boardsim)")
    p.add_argument("--nnfpga", default="nnfpga", help="the nnfpga command (boardsim's build)")
    p.add_argument("--race", action="store_true", help="also run onnxruntime, print both")
    p.add_argument("--out", type=Path, help="write the labelled frames: a video file, or a folder")
    p.add_argument("--log", type=Path, help="CSV: frame, label, confidence, latencies")
    p.add_argument("--headless", action="store_true", help="no window")
    p.add_argument("--invert", action="store_true", help="dark ink on a light background")
    p.add_argument("--max-frames", type=int, default=0)
    a = p.parse_args(argv)
    a.config = a.config or a.model.with_suffix(".yml")

    engine = engines.make_engine(a.engine, a.model, a.config, a.deploy, a.nnfpga)
    rival = engines.OnnxRuntime(a.model) if a.race else None
    writer, rows, start = None, [], time.perf_counter()
    for i, frame in enumerate(frames(a.source)):
        if a.max_frames and i >= a.max_frames:
            break
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY).astype(np.float32) / 255.0
        x = scenes.model_input(1.0 - gray if a.invert else gray)
        logits, ms = timed(engine, x)
        prob = softmax(logits.astype(np.float64))
        label = int(np.argmax(prob))
        fps = (i + 1) / (time.perf_counter() - start)
        lines = (f"{label}  ({prob[label]:.0%})", f"{a.engine}: {ms:.2f} ms/frame",
                 f"{fps:.1f} fps")
        row = {"frame": i, "label": label, "confidence": round(float(prob[label]), 4),
               f"{a.engine}_ms": round(ms, 3)}
        if hasattr(engine, "accelerator_us"):
            row["accelerator_us"] = round(engine.accelerator_us(), 3)
            lines += (f"accelerator: {row['accelerator_us']:.2f} us (its cycle counter)",)
        if rival is not None:
            rival_logits, rival_ms = timed(rival, x)
            lines += (f"onnxruntime: {rival_ms:.2f} ms/frame",)
            row.update(onnxruntime_label=int(np.argmax(rival_logits)),
                       onnxruntime_ms=round(rival_ms, 3))
            # An FPGA engine's own latency too: its cycle counter, at the fabric clock.
            own = (f" (accelerator {row['accelerator_us']:.3f} us)"
                   if "accelerator_us" in row else "")
            print(f"frame {i}: {a.engine} {label} in {ms:.3f} ms{own} | onnxruntime "
                  f"{row['onnxruntime_label']} in {rival_ms:.3f} ms")
        else:
            print(f"frame {i}: {label} ({prob[label]:.0%}) in {ms:.3f} ms, {fps:.1f} fps")
        rows.append(row)
        annotate(frame, lines)
        writer = write(frame, i, a.out, writer)
        if not a.headless:
            cv2.imshow("nnfpga camera demo", frame)
            if cv2.waitKey(1) & 0xFF in (ord("q"), 27):
                break
    if writer is not None:
        writer.release()
    if a.log and rows:
        with open(a.log, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    summarize(rows, a.engine)
    return 0 if rows else 1


def write(frame: np.ndarray, i: int, out: Path, writer):
    if out is None:
        return None
    if out.suffix == "":
        out.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(out / f"frame_{i:05d}.png"), frame)
        return None
    if writer is None:
        h, w = frame.shape[:2]
        writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (w, h))
    writer.write(frame)
    return writer


def summarize(rows, engine: str) -> None:
    if not rows:
        print("no frames")
        return
    ms = np.array([r[f"{engine}_ms"] for r in rows])
    text = f"{len(rows)} frames: {engine} median {np.median(ms):.3f} ms/frame"
    if "accelerator_us" in rows[0]:
        us = np.array([r["accelerator_us"] for r in rows])
        text += f" (accelerator median {np.median(us):.3f} us)"
    if "onnxruntime_ms" in rows[0]:
        ort_ms = np.array([r["onnxruntime_ms"] for r in rows])
        agree = np.mean([r["label"] == r["onnxruntime_label"] for r in rows])
        text += f", onnxruntime median {np.median(ort_ms):.3f} ms/frame, labels agree {agree:.0%}"
    print(text)


if __name__ == "__main__":
    sys.exit(main())
