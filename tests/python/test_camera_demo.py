"""The camera demo (examples/camera/) run headless, as a user runs it on a recorded clip: a video
of digits at random positions and scales (digits the classifier was not trained on) through
app.py with the emulator engine and the onnxruntime race; the labels, the log and the written,
annotated video are checked; a folder of images as the source; the MLP as the second model; and
the CNN's deployment folder on the simulated board (boardsim engine), labelling every frame as
the emulator does."""

import csv
import json
import shutil
import subprocess
import sys

import cv2
import numpy as np
import pytest

from conftest import REPO

CAMERA = REPO / "examples" / "camera"
sys.path.insert(0, str(CAMERA))
import scenes  # noqa: E402

FRAMES = 40


def held_out_scenes(count, size, seed=1):
    """Scenes of digits train.py held out (its first 300 of the permuted set), with labels."""
    images, labels = scenes.digit_images()
    held_out = np.random.default_rng(0).permutation(len(labels))[:300]
    rng = np.random.default_rng(seed)
    picks = rng.choice(held_out, count, replace=False)
    frames = []
    for k in picks:
        gray = scenes.random_scene(images[k], size, rng)
        frame = np.zeros((size, size + 40, 3), dtype=np.uint8)  # wider than high: a crop is made
        frame[:, 20:20 + size] = (gray * 255).astype(np.uint8)[:, :, None]
        frames.append(frame)
    return frames, labels[picks]


def run_app(*args):
    proc = subprocess.run([sys.executable, str(CAMERA / "app.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def write_clip(path, frames):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0,
                             (frames[0].shape[1], frames[0].shape[0]))
    for f in frames:
        writer.write(f)
    writer.release()


def read_log(path):
    return list(csv.DictReader(open(path)))


def test_a_video_is_labelled_and_raced_against_onnxruntime(tmp_path):
    frames, truth = held_out_scenes(FRAMES, 120)
    clip = tmp_path / "clip.avi"
    write_clip(clip, frames)
    out = run_app(clip, "--engine", "emulator", "--race", "--headless", "--out",
                  tmp_path / "labelled.avi", "--log", tmp_path / "log.csv")
    rows = list(csv.DictReader(open(tmp_path / "log.csv")))
    assert len(rows) == FRAMES
    labels = np.array([int(r["label"]) for r in rows])
    # The CNN reaches about 82 % on held-out scenes (train.py); MJPG blurs the frames.
    assert np.mean(labels == truth) >= 0.6, (labels, truth)
    # The fixed-point accelerator and the float model agree on nearly every frame.
    assert np.mean(labels == np.array([int(r["onnxruntime_label"]) for r in rows])) >= 0.9
    assert all(float(r["emulator_ms"]) > 0 and float(r["onnxruntime_ms"]) > 0 for r in rows)
    assert f"{FRAMES} frames: emulator median" in out and "onnxruntime median" in out
    assert "frame 0: emulator" in out and "| onnxruntime" in out
    written = cv2.VideoCapture(str(tmp_path / "labelled.avi"))
    count, first = 0, None
    while True:
        ok, frame = written.read()
        if not ok:
            break
        first = frame if first is None else first
        count += 1
    assert count == FRAMES and first.shape == (120, 160, 3)
    # The text is drawn in green in the top left corner, where the input frame is black.
    corner = first[5:70, 5:150].astype(int)
    assert ((corner[:, :, 1] - corner[:, :, 2]) > 100).sum() > 50


def test_a_folder_of_images(tmp_path):
    frames, _ = held_out_scenes(5, 96, seed=2)
    (tmp_path / "in").mkdir()
    for i, f in enumerate(frames):
        cv2.imwrite(str(tmp_path / "in" / f"{i}.png"), f)
    out = run_app(tmp_path / "in", "--headless", "--out", tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"frame_{i:05d}.png" for i in range(5)]
    assert "5 frames: emulator median" in out


def test_an_unknown_source_is_refused(tmp_path):
    proc = subprocess.run([sys.executable, str(CAMERA / "app.py"), str(tmp_path / "no.avi"),
                           "--headless"], capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0
    assert "cannot open" in proc.stderr


def test_the_mlp_is_the_second_model(tmp_path):
    frames, truth = held_out_scenes(20, 120, seed=3)
    clip = tmp_path / "clip.avi"
    write_clip(clip, frames)
    run_app(clip, "--model", CAMERA / "camera_mlp.onnx", "--race", "--headless", "--log",
            tmp_path / "log.csv")
    rows = read_log(tmp_path / "log.csv")
    labels = np.array([int(r["label"]) for r in rows])
    assert len(rows) == 20 and np.mean(labels == truth) >= 0.6, (labels, truth)
    assert np.mean(labels == np.array([int(r["onnxruntime_label"]) for r in rows])) >= 0.9


@pytest.mark.skipif(shutil.which("verilator") is None,
                    reason="verilator is not installed (tools/setup.sh)")
def test_the_cnn_on_the_simulated_board_labels_as_the_emulator(nnfpga_bin, tmp_path):
    deploy = tmp_path / "deploy"
    subprocess.run([nnfpga_bin, "convert", CAMERA / "camera_cnn.onnx", "-c",
                    CAMERA / "camera_cnn.yml", "--board", "pynq-z2", "-o", deploy],
                   check=True, capture_output=True, timeout=600)
    frames, _ = held_out_scenes(12, 120, seed=4)
    clip = tmp_path / "clip.avi"
    write_clip(clip, frames)
    out = run_app(clip, "--engine", "boardsim", "--deploy", deploy, "--nnfpga", nnfpga_bin,
                  "--race", "--headless", "--log", tmp_path / "board.csv")
    run_app(clip, "--headless", "--log", tmp_path / "emulator.csv")
    board, emulator = read_log(tmp_path / "board.csv"), read_log(tmp_path / "emulator.csv")
    assert len(board) == len(emulator) == 12
    # The simulated board's outputs are the emulator's bit for bit: same labels, same confidence.
    assert [(r["label"], r["confidence"]) for r in board] == \
        [(r["label"], r["confidence"]) for r in emulator]
    # Both latencies of the race, and the accelerator's own: its cycle counter at 100 MHz, at
    # least a sample's 144 pixels (a pixel per cycle) and the layers' pipeline.
    facts = json.loads((deploy / "deploy.json").read_text())
    for r in board:
        assert float(r["boardsim_ms"]) > 0 and float(r["onnxruntime_ms"]) > 0
        assert facts["latency_cycles"] / 100 < float(r["accelerator_us"]) < 3.0
    assert "frame 0: boardsim" in out and "(accelerator " in out and "| onnxruntime" in out
    assert "12 frames: boardsim median" in out and "onnxruntime median" in out
