"""Ruled tables from ruling lines and characters: one path for every reader that has them.

A text PDF (pdfplumber's or pdfium's objects) and a scan (rules found in the image) both give
line segments and characters (or cell texts). Segments become edges, classified horizontal or
vertical with a tolerance (pdfplumber calls a line vertical unless its ends are at exactly the
same height, which rotated pages break by 1e-14), pdfplumber's own edge -> intersection -> cell
-> table functions give the cells, and the cells get their grid position and spans and the
characters whose middle falls inside them.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import BBox, Cell, Table

ORIENTATION_TOLERANCE = 1.0  # points: a segment this much off the horizontal/vertical still is one
SNAP_TOLERANCE = 3.0  # points: edges this close are one rule (as pdfplumber's default)
MIN_EDGE = 3.0  # points: shorter segments are glyph strokes or dots, not rules
GRID_TOLERANCE = 2.0  # points: cell boundaries this close are one grid line
CHAR_BREAK_FILL = 0.9  # a token broken at a glyph is (nearly) wider than the column
LINE_TOLERANCE = 3.0  # points: glyphs whose tops are this close are on one line (as pdfplumber's default)
OVERDRAW = 0.5  # two glyphs overlapping this much of their width and height are drawn over each other
COLLISION_SCAN = 3000  # glyphs of a cell a run is compared with for overdraw
OVERFLOW_LINES = 2.5  # a cut-off header line overflowing into the row below is a line or two high
PITCH_TOLERANCE = 0.1  # ... and sits one line pitch of its cell below the cell's last line


@dataclass(frozen=True)
class Segment:
    x0: float
    top: float
    x1: float
    bottom: float


def edges_of(segments: Iterable[Segment]) -> list[dict]:
    """pdfplumber edges of line segments and thin rectangles (a filled rectangle a few points thick
    is how Word draws a rule); a rectangle's outline gives its four sides."""
    edges: list[dict] = []
    for s in segments:
        x0, x1 = sorted((s.x0, s.x1))
        top, bottom = sorted((s.top, s.bottom))
        w, h = x1 - x0, bottom - top
        if h <= ORIENTATION_TOLERANCE and w >= MIN_EDGE:
            mid = (top + bottom) / 2
            edges.append({"x0": x0, "x1": x1, "top": mid, "bottom": mid, "width": w, "height": 0.0,
                          "orientation": "h"})
        elif w <= ORIENTATION_TOLERANCE and h >= MIN_EDGE:
            mid = (x0 + x1) / 2
            edges.append({"x0": mid, "x1": mid, "top": top, "bottom": bottom, "width": 0.0, "height": h,
                          "orientation": "v"})
        elif w >= MIN_EDGE and h >= MIN_EDGE:  # a box: its sides
            edges += edges_of([Segment(x0, top, x1, top), Segment(x0, bottom, x1, bottom),
                               Segment(x0, top, x0, bottom), Segment(x1, top, x1, bottom)])
    return edges


def cell_tables(edges: list[dict], tolerance: float = SNAP_TOLERANCE) -> list[list[BBox]]:
    """Cell boxes of each table the edges draw (pdfplumber's own table finding)."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    merged = merge_edges(edges, tolerance, tolerance, tolerance, tolerance)
    merged = [e for e in merged if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"])
              >= MIN_EDGE]
    cells = intersections_to_cells(edges_to_intersections(merged, 1, 1))
    return [t for t in cells_to_tables(cells) if len(t) >= 2]


def _lines(values: Iterable[float], tolerance: float) -> list[float]:
    """Distinct coordinates, those within `tolerance` of each other taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


class Grid:
    """The grid the cell boxes of one table lie on: column and row boundaries."""

    def __init__(self, boxes: list[BBox], tolerance: float = GRID_TOLERANCE):
        self.xs = _lines([b[0] for b in boxes] + [b[2] for b in boxes], tolerance)
        self.ys = _lines([b[1] for b in boxes] + [b[3] for b in boxes], tolerance)
        self.tolerance = tolerance

    def _index(self, lines: list[float], v: float) -> int:
        i = bisect.bisect_left(lines, v - self.tolerance)
        return min(i, len(lines) - 1)

    def position(self, box: BBox) -> tuple[int, int, int, int]:
        """(row, col, row_span, col_span) of a cell box."""
        c0, c1 = self._index(self.xs, box[0]), self._index(self.xs, box[2])
        r0, r1 = self._index(self.ys, box[1]), self._index(self.ys, box[3])
        return r0, c0, max(1, r1 - r0), max(1, c1 - c0)

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        """Grid row and column of a point, None outside the grid."""
        if not (self.xs[0] <= x < self.xs[-1] and self.ys[0] <= y < self.ys[-1]):
            return None
        return bisect.bisect_right(self.ys, y) - 1, bisect.bisect_right(self.xs, x) - 1


def texts_in_cells(boxes: list[BBox], grid: Grid, chars: list[dict],
                   to_text: Callable[[list[dict]], str]) -> tuple[list[str], int, int]:
    """Text of each cell box from the characters whose middle lies in it; how many non-blank
    characters inside the table's outline fell in no cell, and how many there are in all."""
    owner: dict[tuple[int, int], int] = {}
    for k, box in enumerate(boxes):
        r, c, rs, cs = grid.position(box)
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                owner.setdefault((i, j), k)
    found: list[list[tuple[int, dict]]] = [[] for _ in boxes]
    cell_of: dict[int, int] = {}  # stream position of a character -> the cell it lies in
    stray = inside = 0
    for n, ch in enumerate(chars):
        at = grid.locate((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2)
        if at is None:
            continue
        inside += bool(ch["text"].strip())
        k = owner.get(at)
        if k is None:
            stray += bool(ch["text"].strip())
        else:
            found[k].append((n, ch))
            cell_of[n] = k
    texts = []
    for k, cs in enumerate(found):
        kept = _without_overflow(cs, cell_of, k, boxes, chars, found)
        texts.append(_rejoin_broken_tokens(to_text(kept), kept) if kept else "")
    return texts, stray, inside


CODE_PIECE = re.compile(r"^[^\sa-zà-ỹ]+$")  # no lower-case letter: a code, a number, an abbreviation


def _glyph_lines(chars: list[dict]) -> list[list[dict]]:
    """The cell's glyphs in lines (tops within LINE_TOLERANCE), top to bottom, left to right."""
    lines: list[list[dict]] = []
    for c in sorted((c for c in chars if c["text"].strip()), key=lambda c: (c["top"], c["x0"])):
        if lines and abs(c["top"] - lines[-1][0]["top"]) <= LINE_TOLERANCE:
            lines[-1].append(c)
        else:
            lines.append([c])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _rejoin_broken_tokens(text: str, chars: list[dict]) -> str:
    """Join without a space the lines a word processor broke inside a code too long for the column
    ("CBCCC,V" / "C", "60/2021/N" / "Đ-CP"): the line runs to the cell's right edge, short of room
    for the next line's first glyph, and both pieces are codes (no lower-case letter)."""
    out = text.split("\n")
    lines = _glyph_lines(chars)
    if len(out) < 2 or len(lines) != len(out):
        return text
    left, right = min(line[0]["x0"] for line in lines), max(line[-1]["x1"] for line in lines)

    def width(token: str, k: int) -> float:  # of a token of line k, from the line's mean glyph width
        line = lines[k]
        return len(token) * (line[-1]["x1"] - line[0]["x0"]) / max(1, len(out[k].replace(" ", "")))

    joined = [out[0]]
    for i in range(1, len(out)):
        last, first = lines[i - 1][-1], lines[i][0]
        a, b = (out[i - 1].split() or [""])[-1], (out[i].split() or [""])[0]
        # a word processor breaks inside a word only when the word is wider than the column
        too_wide = width(a, i - 1) + width(b, i) > CHAR_BREAK_FILL * (right - left)
        if right - last["x1"] < first["x1"] - first["x0"] and too_wide and CODE_PIECE.match(a) \
                and CODE_PIECE.match(b):
            joined[-1] += out[i].lstrip()
        else:
            joined.append(out[i])
    return "\n".join(joined)


def _collide(a: dict, b: dict) -> bool:
    """Two glyphs drawn over each other (not side by side)."""
    overlap_x = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    width = min(a["x1"] - a["x0"], b["x1"] - b["x0"])
    return width > 0 and overlap_x > OVERDRAW * width and overlap_y > OVERDRAW * (a["bottom"] - a["top"])


def _line_pitch(cs: list[tuple[int, dict]]) -> float | None:
    """Distance between successive text lines of a cell (None for a one-line cell)."""
    tops = sorted({round(c["top"], 1) for _, c in cs if c["text"].strip()})
    lines = [t for i, t in enumerate(tops) if i == 0 or t - tops[i - 1] > 1.0]
    gaps = [b - a for a, b in zip(lines, lines[1:])]
    return min(gaps) if gaps else None


def _without_overflow(cs: list[tuple[int, dict]], cell_of: dict[int, int], k: int, boxes: list[BBox],
                      chars: list[dict], found: list[list[tuple[int, dict]]]) -> list[dict]:
    """A cell's characters without the text of the cell above that overflows into it. Word and
    LibreOffice cut a repeated header row at its height but still draw the cut-off line ("thành"
    of "Thời gian hoàn thành"), clipped, into the first row below: a run of glyphs written right
    after the text of the cell above, in its font, one line pitch of that cell below its last
    line (or drawn over the cell's own glyphs), a line or two long."""
    top = boxes[k][1]
    drop: set[int] = set()
    for n, ch in cs:
        before = cell_of.get(n - 1)
        if n in drop or before is None or before == k or boxes[before][3] > top + GRID_TOLERANCE \
                or not boxes[before][0] <= (ch["x0"] + ch["x1"]) / 2 <= boxes[before][2]:
            continue  # not written right after the text of a cell above it
        prev = chars[n - 1]
        if (prev.get("fontname"), round(prev.get("size", 0), 1)) != (ch.get("fontname"), round(ch.get("size", 0), 1)):
            continue
        run = []
        m = n
        while cell_of.get(m) == k:
            run.append(m)
            m += 1
        members = set(run)
        glyphs = [c for m, c in cs if m in members]
        others = [c for m, c in cs if m not in members and c["text"].strip()]
        overdrawn = any(_collide(a, b) for a in glyphs if a["text"].strip() for b in others[:COLLISION_SCAN])
        pitch = _line_pitch(found[before])
        height = max(c["bottom"] for c in glyphs) - min(c["top"] for c in glyphs)
        next_line = pitch is not None and abs(ch["top"] - prev["top"] - pitch) <= PITCH_TOLERANCE * pitch
        if overdrawn or (next_line and height <= OVERFLOW_LINES * pitch):
            drop.update(run)
    return [ch for n, ch in cs if n not in drop]


def table_of_boxes(boxes: list[BBox], texts: list[str], *, page: int | None, extractor: str,
                   confidence: list[float | None] | None = None, unplaced: int = 0, region: int = 0) -> Table:
    """A Table whose cells are the boxes (one text each), with grid positions and spans."""
    grid = Grid(boxes)
    cells: list[Cell] = []
    for k, (box, text) in enumerate(zip(boxes, texts)):
        r, c, rs, cs = grid.position(box)
        cells.append(Cell(text or "", r, c, rs, cs, page=page, bbox=tuple(box),
                          confidence=confidence[k] if confidence else None))
    cells.sort(key=lambda c: (c.row, c.col))
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    return Table(cells, extractor, n_rows=n_rows, n_cols=n_cols, row_pages=[page] * n_rows,
                 row_tops=grid.ys[:-1], page_bottoms={page: grid.ys[-1]} if page is not None else {},
                 unplaced_words=unplaced, region_words=region)
