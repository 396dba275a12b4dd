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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import BBox, Cell, Table

ORIENTATION_TOLERANCE = 1.0  # points: a segment this much off the horizontal/vertical still is one
SNAP_TOLERANCE = 3.0  # points: edges this close are one rule (as pdfplumber's default)
MIN_EDGE = 3.0  # points: shorter segments are glyph strokes or dots, not rules
GRID_TOLERANCE = 2.0  # points: cell boundaries this close are one grid line


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
    found: list[list[dict]] = [[] for _ in boxes]
    stray = inside = 0
    for ch in chars:
        at = grid.locate((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2)
        if at is None:
            continue
        inside += bool(ch["text"].strip())
        k = owner.get(at)
        if k is None:
            stray += bool(ch["text"].strip())
        else:
            found[k].append(ch)
    return [to_text(cs) if cs else "" for cs in found], stray, inside


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
