"""``nnfpga tune --dask ADDRESS``'s helper: the C++ search talks to it over stdin/stdout, one
JSON object per line, and it runs each batch on the Dask cluster with the same DaskMeasurer as
``nnfpga.tune(client=)`` (src/cli/tune_dask.cpp is the other side).

Requests: ``{"context": context JSON text, "inputs": [npy paths], "labels": [...] or null}`` once, then
``{"configs": [config JSON texts]}``; answers: ``{"ok": true}``, ``{"measurements": [...]}``, or
``{"error": "..."}``. The end of the input ends the helper.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Dict, List, Optional

import numpy as np


def _answer(measurer: Any, request: Dict[str, Any]) -> Dict[str, Any]:
    if "context" in request:
        arrays = [np.load(path) for path in request["inputs"]]
        labels: Optional[List[int]] = request["labels"]
        measurer.start(request["context"], arrays, labels)
        return {"ok": True}
    return {"measurements": measurer.measure(request["configs"])}


def main(argv: List[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m nnfpga._dask_bridge SCHEDULER_ADDRESS\n")
        return 2
    from distributed import Client

    from ._dask import DaskMeasurer

    try:
        # Dask's connect timeout (distributed.comm.timeouts.connect, 30 s unless configured).
        client = Client(argv[0])
    except (OSError, TimeoutError) as e:
        sys.stderr.write(f"nnfpga: no Dask scheduler at '{argv[0]}': {e}\n")
        return 1
    # The answers own stdout: anything else printed here goes to stderr.
    answers, sys.stdout = sys.stdout, sys.stderr
    with client:
        measurer = DaskMeasurer(client)
        for line in sys.stdin:
            try:
                reply = _answer(measurer, json.loads(line))
            except Exception as e:  # every failure goes back to the search, which reports it
                reply = {"error": f"{type(e).__name__}: {e}"}
            answers.write(json.dumps(reply) + "\n")
            answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
