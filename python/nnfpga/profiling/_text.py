"""Plain-text tables for the profiling results (they print the same in a terminal and a
notebook)."""

from __future__ import annotations

from typing import Any, Sequence


def cell(value: Any) -> str:
    """A table cell: floats with 5 significant digits, everything else as str."""
    if isinstance(value, float):
        return f"{value:.5g}"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Left-aligned columns separated by two spaces."""
    cells = [list(headers)] + [[cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells)
