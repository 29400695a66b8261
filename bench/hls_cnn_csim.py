"""Every CNN test model through the HLS backend under io_parallel and io_stream: `nnfpga convert`,
then `nnfpga csim` with nnfpga's and AMD's headers on N random and adversarial images (default
1,000), printing per model and IOType the seconds taken (convert; csim: two g++ builds and the
runs) and the outputs that differ from the emulator (there must be none). tests/python/
test_hls_cnn.py runs a subset of these in the test suite.

Usage: python3 bench/hls_cnn_csim.py [--images N] [--nnfpga build/nnfpga] [--keep DIR]"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "python"))
from test_hls_cnn import REFUSED, cnn_models  # noqa: E402

CSIM_LINE = re.compile(r"^(nnfpga|AMD) ap_types \((.*)\): (\d+) samples, (\d+) outputs, (\d+) differ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--nnfpga", default=str(REPO / "build" / "nnfpga"))
    parser.add_argument("--keep", help="write the projects here instead of a temporary folder")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nnfpga_cnn_csim_"))
    failures = 0
    print(f"{'model':32} {'IOType':12} {'convert s':>9} {'csim s':>7} {'outputs':>9} "
          f"{'differ (nnfpga, AMD)':>21}")
    for name, model in cnn_models():
        for io_type in ("io_parallel", "io_stream"):
            project = root / f"{name}_{io_type}"
            start = time.perf_counter()
            conv = subprocess.run([args.nnfpga, "convert", str(model), "-o", str(project), "--set",
                                   f"Model.IOType={io_type}"], capture_output=True, text=True)
            converted = time.perf_counter() - start
            if conv.returncode != 0:
                expected = name in REFUSED and REFUSED[name] in conv.stderr
                failures += not expected
                print(f"{name:32} {io_type:12} {'refused' if expected else 'FAILED':>9}  "
                      f"{conv.stderr.strip().splitlines()[-1][:60]}")
                continue
            start = time.perf_counter()
            sim = subprocess.run([args.nnfpga, "csim", str(project), "-n", str(args.images),
                                  "--require-amd"], capture_output=True, text=True)
            simulated = time.perf_counter() - start
            runs = {}
            for line in sim.stdout.splitlines():
                m = CSIM_LINE.match(line)
                if m:
                    runs[m.group(1)] = (int(m.group(4)), int(m.group(5)))
            ok = sim.returncode == 0 and set(runs) == {"nnfpga", "AMD"} and all(
                d == 0 for _, d in runs.values())
            failures += not ok
            outputs = runs.get("nnfpga", (0, 0))[0]
            differ = ", ".join(str(runs.get(h, ("-", "-"))[1]) for h in ("nnfpga", "AMD"))
            print(f"{name:32} {io_type:12} {converted:9.2f} {simulated:7.1f} {outputs:9d} "
                  f"{differ:>21}" + ("" if ok else "  FAILED: " + sim.stderr.strip()[:200]))
    print(f"\n{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
