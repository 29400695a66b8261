"""tools/check_layers.py: the real tree keeps the layer order, and the checker catches a tree that
does not (an upward include, a README that allows a folder above its own, a folder with no place
in the order), naming the file and the include. Registered with ctest as `layering_checker`."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHECKER = REPO / "tools" / "check_layers.py"

DESIGN = """# Design

```
fixed < ir < estimate < backend
```
"""


def run(root):
    return subprocess.run(
        [sys.executable, str(CHECKER), str(root)], capture_output=True, text=True, check=False
    )


def make_tree(root, files):
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "design.md").write_text(DESIGN)
    base = {
        "src/fixed/README.md": "May include: `include/nnfpga/`. Nothing else.\n",
        "src/fixed/fixed.hpp": "#pragma once\n",
        "src/ir/README.md": "May include: `fixed/`. Nothing else.\n",
        "src/ir/graph.hpp": '#include "fixed/fixed.hpp"\n',
        "src/estimate/README.md": "May include: `ir/`, `fixed/fixed.hpp`.\n",
        "src/estimate/cost.cpp": '#include "ir/graph.hpp"\n#include "estimate/cost.hpp"\n',
        "src/backend/README.md": "May include: `estimate/`, `ir/`.\n",
        "src/backend/verilog/writer.cpp": '#include "estimate/cost.hpp"\n#include <vector>\n',
    }
    base.update(files)
    for rel, text in base.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_tree_keeps_the_order():
    r = run(REPO)
    assert r.returncode == 0, r.stderr


def test_a_consistent_fake_tree_passes(tmp_path):
    make_tree(tmp_path, {})
    r = run(tmp_path)
    assert r.returncode == 0, r.stderr


def test_an_upward_include_fails_naming_file_and_include(tmp_path):
    make_tree(
        tmp_path,
        {"src/estimate/verilog_cost.cpp": '#include "backend/verilog/writer.hpp"\n'},
    )
    r = run(tmp_path)
    assert r.returncode == 1
    assert 'src/estimate/verilog_cost.cpp:1: #include "backend/verilog/writer.hpp"' in r.stderr
    assert "estimate/ may not include backend/" in r.stderr


def test_an_include_the_readme_does_not_allow_fails(tmp_path):
    # fixed/ is below estimate/, but estimate's README allows only fixed/fixed.hpp.
    make_tree(
        tmp_path, {"src/fixed/exact.hpp": "", "src/estimate/x.cpp": '#include "fixed/exact.hpp"\n'}
    )
    r = run(tmp_path)
    assert r.returncode == 1
    expected = 'src/estimate/x.cpp:1: #include "fixed/exact.hpp": not in the "May include:" line'
    assert f"{expected} of src/estimate/README.md" in r.stderr


def test_a_readme_allowing_a_folder_above_fails(tmp_path):
    make_tree(tmp_path, {"src/ir/README.md": "May include: `fixed/`, `backend/`.\n"})
    r = run(tmp_path)
    assert r.returncode == 1
    assert "src/ir/README.md: allows `backend/`, but backend is not below ir" in r.stderr


def test_a_folder_outside_the_order_fails(tmp_path):
    make_tree(tmp_path, {"src/extra/README.md": "May include: `ir/`.\n", "src/extra/a.cpp": ""})
    r = run(tmp_path)
    assert r.returncode == 1
    assert "src/extra/ has no place in the layer order of docs/design.md" in r.stderr


def test_a_folder_without_a_may_include_line_fails(tmp_path):
    make_tree(tmp_path, {"src/ir/README.md": "The graph.\n"})
    r = run(tmp_path)
    assert r.returncode == 1
    assert 'src/ir/README.md: no "May include:" line' in r.stderr
