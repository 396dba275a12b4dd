"""Text of characters exactly as pdfplumber builds it, without its per-character overhead.

pdfplumber's word and line building (`utils.text.WordExtractor`, `Page.extract_text()` and
`utils.extract_text` with their default settings: tolerance 3, no layout) is pure Python over
character dicts; on a page read by pdfium it costs more than reading the page. These functions
follow the same steps on the same keys and give the same strings (tests/readers/test_chartext.py
compares them with pdfplumber's own on generated characters):

1. consecutive characters with the same `upright` form a group;
2. a group's characters are clustered into lines by `top` (upright; by `x0` when turned), values
   chained within the tolerance, and each line is sorted along the text (`x0`; `top` when turned);
3. a line is cut into words at blank characters, where a character starts before the last one
   or more than the tolerance after its end, or sits more than the tolerance across from it;
4. words are clustered into lines by their `top`: `page_text` joins runs of consecutive words of
   one cluster (pdfplumber's text map), `cell_text` all words of a cluster, in cluster order.
"""
from __future__ import annotations

from itertools import groupby
from operator import itemgetter

TOLERANCE = 3.0  # points: pdfplumber's default x_tolerance and y_tolerance
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}  # as pdfplumber expands


def _clusters(values, tolerance: float) -> dict[float, int]:
    """Cluster number of each value: sorted distinct values, chained while within the tolerance."""
    out: dict[float, int] = {}
    k = -1
    last = None
    for v in sorted(set(values)):
        if last is None or v > last + tolerance:
            k += 1
        out[v] = k
        last = v
    return out


def words(chars: list[dict], tolerance: float = TOLERANCE) -> list[tuple[str, float]]:
    """(text, top) of each word, in pdfplumber's order."""
    out: list[tuple[str, float]] = []
    append = out.append
    lig = LIGATURES
    for upright, run in groupby(chars, key=itemgetter("upright")):
        run = list(run)
        if upright:
            line_key, start, end, across = "top", "x0", "x1", "top"
            along = _by_x0
        else:
            line_key, start, end, across = "x0", "top", "bottom", "x0"
            along = _by_top
        cluster = _clusters([c[line_key] for c in run], tolerance)
        lines: dict[int, list[dict]] = {}
        for c in run:
            k = cluster[c[line_key]]
            line = lines.get(k)
            if line is None:
                lines[k] = [c]
            else:
                line.append(c)
        for k in sorted(lines):
            line = lines[k]
            line.sort(key=along)
            parts: list[str] = []
            top = 0.0
            p = None  # the word's last character
            for c in line:
                t = c["text"]
                if t.isspace():
                    if parts:
                        append(("".join(parts), top))
                        parts = []
                    p = None
                    continue
                if p is not None and (c[start] < p[start] or c[start] > p[end] + tolerance
                                      or abs(c[across] - p[across]) > tolerance):
                    append(("".join(parts), top))
                    parts = []
                if parts:
                    if c["top"] < top:
                        top = c["top"]
                else:
                    top = c["top"]
                parts.append(lig.get(t, t))
                p = c
            if parts:
                append(("".join(parts), top))
    return out


def _by_x0(c: dict) -> float:
    return c["x0"]


def _by_top(c: dict) -> tuple[float, float]:
    return c["top"], c["bottom"]


def page_text(chars: list[dict], tolerance: float = TOLERANCE) -> str:
    """`Page.extract_text()`: lines are runs of consecutive words whose tops cluster together."""
    ws = words(chars, tolerance)
    if not ws:
        return ""
    cluster = _clusters([w[1] for w in ws], tolerance)
    return "\n".join(" ".join(w[0] for w in run) for _, run in groupby(ws, key=lambda w: cluster[w[1]]))


def cell_text(chars: list[dict], tolerance: float = TOLERANCE) -> str:
    """`pdfplumber.utils.extract_text(chars, x_tolerance=3, y_tolerance=3)`: every word of a top
    cluster on one line, clusters from the top."""
    ws = words(chars, tolerance)
    if not ws:
        return ""
    cluster = _clusters([w[1] for w in ws], tolerance)
    ws.sort(key=lambda w: cluster[w[1]])
    return "\n".join(" ".join(w[0] for w in line) for _, line in groupby(ws, key=lambda w: cluster[w[1]]))
