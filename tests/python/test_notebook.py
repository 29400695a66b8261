"""examples/digits/digits.ipynb runs from top to bottom in a fresh kernel, as a user would run
it, with its figures inline. The executed copy stays in memory: nothing is written back into
the repository, and the notebook's projects go to a temporary folder."""

import shutil
import subprocess
import sys

import nbclient
import nbformat
from conftest import REPO

DIGITS = REPO / "examples" / "digits"
NOTEBOOK = DIGITS / "digits.ipynb"


def test_notebook_is_what_its_generator_writes(tmp_path):
    subprocess.run([sys.executable, str(DIGITS / "make_notebook.py"), str(tmp_path / "nb.ipynb")],
                   check=True)
    assert (tmp_path / "nb.ipynb").read_text() == NOTEBOOK.read_text(), \
        "digits.ipynb was edited by hand or not regenerated: rerun make_notebook.py"


def test_digits_notebook_runs(tmp_path, monkeypatch):
    # The kernel inherits this process's environment, so it imports the same nnfpga as the tests
    # (the installed package); projects go under tmp_path, and the notebook keeps its own inline
    # backend rather than whatever MPLBACKEND the test run set.
    monkeypatch.setenv("NNFPGA_NOTEBOOK_OUT", str(tmp_path))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    before = sorted(p.name for p in DIGITS.iterdir())

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(DIGITS)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error

    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if o.output_type == "display_data" and "image/png" in o.data]
    assert len(images) >= 4, "numerical (2 figures) and compare (2) should show inline"
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "C simulation = emulator" in text
    if not (shutil.which("vitis_hls") or shutil.which("vivado_hls")):
        assert "BuildError: neither vitis_hls nor vivado_hls is on PATH" in text
    assert (tmp_path / "tuned" / "firmware").is_dir()
    assert sorted(p.name for p in DIGITS.iterdir()) == before, "the notebook wrote into the repo"
