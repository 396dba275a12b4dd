"""Borderless scanned tables: cell boxes from where the words are, for pages with no ruling lines.

A table printed without borders still has its columns: vertical bands of white that run through
every line of the table. The page's words (blobs of joined letters) are grouped into lines;
the table is the longest run of lines that are split into three or more groups by wide gaps; its
columns are the bands of x that (almost) no word of those lines covers; its rows begin where the
first column has a word (an item number), or after a gap taller than the line spacing inside a
cell. The result is a list of cell boxes in pixels, like a ruled grid's, so each cell is then read
on its own, with its own confidence, by the same code as a ruled table.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_COLUMNS = 3  # groups of words a line needs to count as a table line
GAP_HEIGHTS = 1.2  # a gap wider than this many word heights separates two columns
RIVER_SHARE = 0.03  # share of the table's lines that may cross a river (a misplaced speck or word)
MIN_RIVER = 0.8  # word heights: a white band narrower than this is a space between words
ROW_GAP = 0.55  # a vertical gap of this many word heights after a table line keeps its row
ROW_PITCH = 1.45  # lines this many line pitches apart (a blank line between) are in different rows
RESTARTED_COLUMNS = 2  # columns beginning again on one line: a new row of the same item
END_GAP = 2.5  # a gap of this many word heights ends the table
MIN_TABLE_LINES = 4
LETTER_JOIN_X = 0.45  # letters of a word are closer than this many letter heights (a column gap is wider)
LETTER_JOIN_Y = 0.35  # ... and a mark sits this close above or below its letter


@dataclass
class Word:
    x0: int
    top: int
    x1: int
    bottom: int
    conf: float


def page_words(gray: np.ndarray) -> list[Word]:
    """Boxes of the page's words from its ink alone: letters (and their marks) joined across the
    gaps inside a word. No recognition here, so a lone item number ("6") is never dropped as noise."""
    import cv2
    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    letters = heights[(heights >= 4) & (heights <= gray.shape[0] // 20)]
    if n < 2 or letters.size == 0:
        return []
    letter = float(np.median(letters))
    kernel = np.ones((max(2, int(LETTER_JOIN_Y * letter)), max(2, int(LETTER_JOIN_X * letter))), np.uint8)
    joined = cv2.dilate(ink, kernel)
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    words = []
    for x, y, w, h, area in stats[1:]:
        if h < letter * 0.5 or area < letter * letter * 0.3:
            continue  # specks
        words.append(Word(int(x), int(y), int(x + w), int(y + h), 0.0))
    return words


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines: a word joins the line whose first word's middle is within half a
    word height of its own (a growing extent would chain the lines of neighbouring rows)."""
    if not words:
        return []
    height = float(np.median([w.bottom - w.top for w in words]))
    lines: list[list[Word]] = []
    mids: list[float] = []
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        mid = (w.top + w.bottom) / 2
        if lines and abs(mid - mids[-1]) <= height / 2:
            lines[-1].append(w)
        else:
            lines.append([w])
            mids.append(mid)
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _gap(upper: list[Word], lower: list[Word]) -> int:
    return min(w.top for w in lower) - max(w.bottom for w in upper)


def _groups(line: list[Word], gap: float) -> int:
    return 1 + sum(1 for a, b in zip(line, line[1:]) if b.x0 - a.x1 > gap)


def column_grid(gray: np.ndarray, words: list[Word] | None = None) -> list[tuple[float, float, float, float]]:
    """Cell boxes (x0, top, x1, bottom; pixels) of the page's borderless table, [] when it has none."""
    h, w = gray.shape
    return column_boxes(page_words(gray) if words is None else words, w, h)


def column_boxes(words: list[Word], width: float, height_px: float) -> list[tuple[float, float, float, float]]:
    """Cell boxes of the borderless table the words of a page (pixels or points) lay out, [] when none;
    the page is `width` x `height_px` in the words' units."""
    words = [w for w in words if w.bottom > w.top]
    if not words:
        return []
    height = float(np.median([w.bottom - w.top for w in words]))
    lines = _lines(words)
    wide = [_groups(line, GAP_HEIGHTS * height) >= MIN_COLUMNS for line in lines]
    start, end = _table_span(lines, wide, height)
    if end - start < MIN_TABLE_LINES:
        return []
    body = lines[start:end]
    columns = _columns(body, int(width), height)
    if len(columns) < MIN_COLUMNS:
        return []
    rows = _rows(body, columns, height)
    h, w = height_px, width
    boxes = []
    for top, bottom in rows:
        top, bottom = max(0.0, top), min(float(h - 1), bottom)
        inside = [x for line in body for x in line if top <= (x.top + x.bottom) / 2 <= bottom]
        for first, last in _spans(columns, inside, height):
            boxes.append((float(max(0, columns[first][0])), top, float(min(w - 1, columns[last][1])), bottom))
    return boxes


def _spans(columns: list[tuple[int, int]], words: list[Word], height: float) -> list[tuple[int, int]]:
    """Runs of columns one cell covers in a row: text running over a river (a group heading written
    across the row) joins the columns on both sides, whether a word lies across the river or only
    a space between two words of one line does."""
    lines = _lines(words)
    joined = [False] * (len(columns) - 1)  # joined[k]: columns k and k+1 are one cell
    for k in range(len(columns) - 1):
        edge = columns[k][1]
        for line in lines:
            left = [x.x1 for x in line if x.x0 < edge]
            right = [x.x0 for x in line if x.x1 > edge]
            if left and right and min(right) - max(left) < MIN_RIVER * height:
                joined[k] = True
                break
    out, start = [], 0
    for k in range(len(columns)):
        if k == len(columns) - 1 or not joined[k]:
            out.append((start, k))
            start = k + 1
    return out


def _table_span(lines: list[list[Word]], wide: list[bool], height: float) -> tuple[int, int]:
    """The longest run of lines from one table line to another with no gap that ends a table."""
    best, run_start, last_wide = (0, 0), None, None
    for i, line in enumerate(lines):
        if run_start is not None:
            prev_bottom = max(w.bottom for w in lines[i - 1])
            if min(w.top for w in line) - prev_bottom > END_GAP * height:
                run_start = last_wide = None
        if wide[i]:
            if run_start is None:
                run_start = i
            last_wide = i
            if last_wide + 1 - run_start > best[1] - best[0]:
                best = (run_start, last_wide + 1)
    # continuation lines after the last wide line belong to its row when they sit right below it
    start, end = best
    while end < len(lines) and _gap(lines[end - 1], lines[end]) < ROW_GAP * height:
        end += 1
    return start, end


def _columns(body: list[list[Word]], width: int, height: float) -> list[tuple[int, int]]:
    """x bands of the columns: between the white rivers that the lines' words leave."""
    cover = np.zeros(width + 1, dtype=np.int32)
    for line in body:
        if _groups(line, GAP_HEIGHTS * height) < 2:
            continue  # a section heading or a lone continuation word may run across a river
        hit = np.zeros(width + 1, dtype=bool)
        for w in line:
            hit[max(0, w.x0):min(width, w.x1) + 1] = True
        cover += hit
    free = cover <= int(RIVER_SHARE * len(body))
    left = min(w.x0 for line in body for w in line)
    right = max(w.x1 for line in body for w in line)
    bands, x = [], left
    min_gap = int(MIN_RIVER * height)
    while x <= right:
        if free[x]:
            g = x
            while g <= right and free[g]:
                g += 1
            if g - x >= min_gap:
                bands.append((x, g))
            x = g
        else:
            x += 1
    edges = [left - int(height / 2)] + [(a + b) // 2 for a, b in bands] + [right + int(height / 2)]
    return [(a, b) for a, b in zip(edges, edges[1:]) if b - a > height]


def _rows(body: list[list[Word]], columns: list[tuple[int, int]], height: float) -> list[tuple[float, float]]:
    """(top, bottom) of each row. Cells are top-aligned, so a row begins on a line where the first
    column has a word (an item number), where two columns or more start again after a line without
    words in them (a second activity of the same item), or after a blank line."""
    mids = [float(np.median([(w.top + w.bottom) / 2 for w in line])) for line in body]
    steps = np.diff(mids)
    pitch = float(np.median(steps)) if steps.size else height

    def occupied(line: list[Word]) -> set[int]:
        return {k for w in line for k, (a, b) in enumerate(columns) if a <= (w.x0 + w.x1) / 2 <= b}

    cols = [occupied(line) for line in body]
    rows: list[list[int]] = []
    for i in range(len(body)):
        restarted = len(cols[i] - cols[i - 1]) if i else 0
        if not rows or 0 in cols[i] or restarted >= RESTARTED_COLUMNS or mids[i] - mids[i - 1] > ROW_PITCH * pitch:
            rows.append([i])
        else:
            rows[-1].append(i)
    out = [[min(w.top for i in idx for w in body[i]), max(w.bottom for i in idx for w in body[i])] for idx in rows]
    for a, b in zip(out, out[1:]):  # rows meet halfway between the ink of one and the next
        mid = (a[1] + b[0]) / 2
        a[1], b[0] = mid, mid
    out[0][0] -= height / 2
    out[-1][1] += height / 2
    return [(t, b) for t, b in out]


def borderless_grids(gray: np.ndarray) -> list[list[tuple[float, float, float, float]]]:
    """The page's borderless table as a list of grids (cell boxes in pixels), like find_grids gives."""
    boxes = column_grid(gray)
    return [boxes] if boxes else []
