#!/usr/bin/env python3
"""Holds src/ to the layer order of docs/design.md: no folder includes a folder above it.

The order is written once, in docs/design.md, as the one line of the form
`fixed < ir < linear < ...` (lowest first). Each folder's README.md states in its
"May include:" clause (up to the first full stop outside backticks) what the folder may include:
backticked folders (`ir/`) or single headers (`emulate/merge.hpp`) of src/. This script checks

- that every top-level folder of src/ has its place in the order,
- that every README's "May include:" names only folders below its own in the order, and
- that every `#include "<folder>/..."` of a file under src/ names its own top-level folder or
  something the nearest README.md above the file allows.

A name in the order with no folder yet reserves its place. Includes of the public headers
(`nnfpga/...`, include/nnfpga/) and of third-party libraries are not layered.

Usage: check_layers.py [REPO_ROOT]   (default: the repository this script is in)
Exit status 0 when the tree keeps the order, 1 with one line per violation otherwise.
"""

import re
import sys
from pathlib import Path

ORDER_LINE = re.compile(r"^\s*([a-z_]+(?:\s*<\s*[a-z_]+)+)\s*$")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
SOURCE_SUFFIXES = {".cpp", ".hpp", ".h", ".cc", ".inc"}


def read_order(design_md):
    for line in design_md.read_text().splitlines():
        m = ORDER_LINE.match(line)
        if m:
            return [name.strip() for name in m.group(1).split("<")]
    return None


def may_include_clause(readme):
    """The text after "May include:" up to the first full stop outside backticks, or None."""
    text = readme.read_text()
    start = text.find("May include:")
    if start < 0:
        return None
    clause, in_code = [], False
    for ch in text[start + len("May include:") :]:
        if ch == "`":
            in_code = not in_code
        elif ch == "." and not in_code:
            break
        clause.append(ch)
    return "".join(clause)


def allowances(clause, layers):
    """The src/ paths a clause allows: folders end with '/', headers do not."""
    allowed = []
    for token in re.findall(r"`([^`]+)`", clause):
        path = token.strip().removeprefix("src/")
        if path.split("/")[0] in layers and "/" in path:
            allowed.append(path)
    return allowed


def is_allowed(include, allowed):
    return any(include.startswith(a) if a.endswith("/") else include == a for a in allowed)


def nearest_readme(path, src, readmes):
    """The README.md with a "May include:" clause nearest above `path`, within its top folder."""
    top = src / path.relative_to(src).parts[0]
    for d in [path.parent, *path.parent.parents]:
        if d in readmes:
            return d
        if d == top:
            return None
    return None


def check(root):
    root = Path(root)
    src, design = root / "src", root / "docs" / "design.md"
    errors = []
    order = read_order(design)
    if order is None:
        return [f"{design}: no layer order (a line like `fixed < ir < ...`)"]
    rank = {name: i for i, name in enumerate(order)}
    folders = sorted(p.name for p in src.iterdir() if p.is_dir())
    for folder in folders:
        if folder not in rank:
            errors.append(f"src/{folder}/ has no place in the layer order of docs/design.md")
    layers = set(order) | set(folders)

    # Every README's clause, and its agreement with the order.
    readmes = {}
    for readme in sorted(src.rglob("README.md")):
        clause = may_include_clause(readme)
        if clause is None:
            continue
        owner = readme.relative_to(src).parts[0]
        allowed = allowances(clause, layers)
        readmes[readme.parent] = allowed
        for a in allowed:
            target = a.split("/")[0]
            if target != owner and rank.get(target, -1) >= rank.get(owner, -1):
                errors.append(
                    f"src/{readme.relative_to(src)}: allows `{a}`, but {target} is not below "
                    f"{owner} in the layer order of docs/design.md"
                )
    for folder in folders:
        if src / folder not in readmes:
            errors.append(f"src/{folder}/README.md: no \"May include:\" line")

    # Every include.
    for path in sorted(src.rglob("*")):
        if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
            continue
        rel = path.relative_to(src)
        owner = rel.parts[0]
        readme_dir = nearest_readme(path, src, readmes)
        allowed = readmes.get(readme_dir, [])
        readme_name = f"src/{(readme_dir or src / owner).relative_to(src)}/README.md"
        for lineno, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            include = m.group(1)
            target = include.split("/")[0]
            if "/" not in include or target not in layers or target == owner:
                continue
            where = f"src/{rel}:{lineno}: #include \"{include}\""
            if rank.get(target, len(order)) >= rank.get(owner, -1):
                errors.append(
                    f"{where}: {owner}/ may not include {target}/, which the layer order of "
                    f"docs/design.md puts above it"
                )
            elif not is_allowed(include, allowed):
                errors.append(f"{where}: not in the \"May include:\" line of {readme_name}")
    return errors


def main(argv):
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1]
    errors = check(root)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check_layers: {len(errors)} violation(s) of the layer order", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
