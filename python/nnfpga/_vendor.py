"""Running the vendor's HLS tool on a written project (``ModelGraph.build``)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Optional

from .errors import BuildError

# The tools nnfpga's build_prj.tcl runs under, in the order they are looked for, and how each
# passes arguments to the script.
_TOOLS = {
    "vitis": ("vitis_hls", "-tclargs"),
    "vivado": ("vivado_hls", None),
}


def find_tool(tool: str) -> tuple:
    """(executable path, tool name, -tclargs flag or None) for the tool, preferring its own
    tool and falling back to the other one."""
    order = ["vitis", "vivado"] if tool != "vivado" else ["vivado", "vitis"]
    for key in order:
        name, flag = _TOOLS[key]
        path = shutil.which(name)
        if path:
            return path, name, flag
    raise BuildError(
        "neither vitis_hls nor vivado_hls is on PATH: source the Vitis/Vivado settings64.sh "
        "first. Without vendor tools, ModelGraph.compile() checks the C simulation with g++ "
        "and estimate() gives latency and resources."
    )


def run_build(
    project_dir: Path,
    tool: str,
    csim: bool,
    synth: bool,
    cosim: bool,
    export: bool,
    reset: bool,
    log: Optional[Path] = None,
) -> Path:
    """Runs build_prj.tcl in the project and returns the log's path; raises BuildError with the
    log's tail when the tool fails."""
    path, name, flag = find_tool(tool)
    options = f"csim={int(csim)} synth={int(synth)} cosim={int(cosim)} export={int(export)} " \
              f"reset={int(reset)}"
    command = [path, "-f", "build_prj.tcl"] + ([flag] if flag else []) + [options]
    log = log or project_dir / f"{name}.log"
    with open(log, "w") as out:
        status = subprocess.run(command, cwd=project_dir, stdout=out, stderr=subprocess.STDOUT)
    if status.returncode != 0:
        tail = "".join(log.read_text(errors="replace").splitlines(keepends=True)[-20:])
        raise BuildError(f"{name} failed with exit code {status.returncode}; log {log}:\n{tail}")
    return log
