"""The package as a user gets it: the wheel that tools/install_python.sh builds (the same build
as `pip install .`) installs into a fresh virtual environment, where `import nnfpga` works, the
`nnfpga` command is on PATH, and the type stubs are in place for editors and Jupyter."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import venv

import pytest

SNIPPET_OK = textwrap.dedent("""
    import numpy as np
    import nnfpga

    config = nnfpga.config_from_model("{model}", granularity="name")
    model = nnfpga.convert("{model}", hls_config=config, clock_period=4.0)
    y: np.ndarray = model.predict(np.zeros((2, 64)))
    trace = model.trace(np.zeros(64))
    layers: list = model.graph.layers()
    total: dict = model.estimate()["total"]
    try:
        model.build()
    except nnfpga.BuildError as e:
        where: str = e.node
""")

SNIPPET_BAD = textwrap.dedent("""
    import nnfpga

    nnfpga.convert("model.onnx", clock_period="fast")
    nnfpga._core.read_model(3)
""")


def wheel(repo_root):
    wheels = sorted((repo_root / "build" / "wheel").glob("nnfpga-*.whl"))
    if not wheels:
        pytest.fail("no wheel in build/wheel: run bash tools/install_python.sh", pytrace=False)
    return wheels[-1]


def run(*args, **kwargs):
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, f"{args}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_wheel_works_in_a_fresh_virtual_environment(repo_root, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", wheel(repo_root))
    model = repo_root / "examples" / "digits" / "digits_mlp.onnx"
    out = run(python, "-c",
              "import nnfpga, numpy as np; "
              f"m = nnfpga.convert({str(model)!r}); "
              "print(nnfpga.__file__); print(m.predict(np.zeros(64)).shape)",
              cwd=tmp_path)
    location, shape = out.stdout.split()
    assert location.startswith(str(env_dir)), location  # not the source tree
    assert shape == "(10,)"
    cli = run(env_dir / "bin" / "nnfpga", "show", model)
    assert "layer_0" in cli.stdout


def installed_package():
    import nnfpga

    return os.path.dirname(nnfpga.__file__)


def test_stubs_give_editors_the_types(tmp_path, repo_root):
    package = installed_package()
    assert os.path.isfile(os.path.join(package, "py.typed"))
    assert os.path.isfile(os.path.join(package, "_core.pyi"))
    good = tmp_path / "good.py"
    good.write_text(SNIPPET_OK.format(model=repo_root / "examples/digits/digits_mlp.onnx"))
    bad = tmp_path / "bad.py"
    bad.write_text(SNIPPET_BAD)
    mypy = [sys.executable, "-m", "mypy", "--no-incremental", "--ignore-missing-imports"]
    ok = subprocess.run(mypy + [str(good)], capture_output=True, text=True, cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    wrong = subprocess.run(mypy + [str(bad)], capture_output=True, text=True, cwd=tmp_path)
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert 'Argument "clock_period" to "convert"' in wrong.stdout, wrong.stdout
    assert 'Argument 1 to "read_model"' in wrong.stdout, wrong.stdout


def test_help_shows_the_docstrings():
    import nnfpga

    for obj in (nnfpga.convert, nnfpga.config_from_model, nnfpga.ModelGraph.predict,
                nnfpga.ModelGraph.compile, nnfpga.ModelGraph.build, nnfpga._core.read_model,
                nnfpga._core.Emulator.run):
        assert obj.__doc__ and len(obj.__doc__) > 40, obj
