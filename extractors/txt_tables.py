"""Tables in pre-extracted text where cells are separated by tabs (text saved from Word).

A table is a run of lines with at least two tabs; blank lines inside it are page breaks
(the text of a Word file keeps them where the rendered document broke pages). The first
line of the run sets the column count. Rows with more cells than that are put back into
the grid (an adjacent cell that repeats its neighbour is dropped); rows that stack two
sub-rows into each cell ("Văn phòng Văn phòng") are split back into two rows.
"""
from __future__ import annotations

import re

from .model import RawTable, TextLine

MIN_TABS = 2
LIST_MARKUP = re.compile(r"</?(ul|ol|li)\b[^>]*>|<br\s*/?>", re.I)
INLINE_BULLET = re.compile(r"\s+(?=[-–•+]\s+\S)")


def _clean_markup(cell: str) -> str:
    """List markup ('<ul ...> - a. - b.') -> one bullet per line, as the cell reads."""
    if not LIST_MARKUP.search(cell):
        return cell
    text = LIST_MARKUP.sub(" ", cell).strip()
    return INLINE_BULLET.sub("\n", text)


def _inline_bullets(cell: str) -> list[str]:
    return [b for b in INLINE_BULLET.split(cell.strip()) if b.strip()]


def _covers(a: str, b: str) -> bool:
    """b repeats a (or a part of a that starts or ends it): a duplicated cell shifted into the row."""
    a, b = a.strip(), b.strip()
    return bool(a and b) and (a == b or a.endswith(b) or a.startswith(b))


def fit_width(row: list[str], width: int) -> tuple[list[str], list[str]]:
    """The row with exactly `width` cells, and the cells that did not fit (kept, never dropped)."""
    row = list(row)
    while len(row) > width and not row[-1].strip():
        row.pop()
    while len(row) > width:
        # the rightmost repeat: the shift comes from a unit cell written twice, not from a task
        # that legitimately equals its activity further left
        for i in range(len(row) - 2, -1, -1):
            if _covers(row[i], row[i + 1]):
                del row[i + 1]
                break
        else:
            empties = [i for i, c in enumerate(row[:-1]) if not c.strip()]
            if not empties:
                break
            del row[empties[-1]]  # an empty cell pushed the tail right: align the last cell to the last column
    extra = row[width:]
    row = row[:width] + [""] * (width - len(row))
    return row, extra


def _doubled(cell: str) -> str | None:
    """'X X' -> 'X' when a cell holds the same text twice."""
    t = cell.strip()
    half = len(t) // 2
    if len(t) >= 5 and len(t) % 2 == 1 and t[half] == " " and t[:half] == t[half + 1:]:
        return t[:half]
    return None


def _capital_starts(text: str) -> list[int]:
    """Offsets of the spaces after which a capitalised word ('Các', not 'CCHC' or 'III/2025') starts."""
    out = []
    for i in range(1, len(text) - 1):
        if text[i] != " ":
            continue
        word = text[i + 1:].split(" ", 1)[0]
        if word[:1].isupper() and any(ch.islower() for ch in word[1:]):
            out.append(i)
    return out


def _strong_split(cell: str) -> tuple[str, str] | None:
    """A sure split: the same text twice, a leading space (empty first value), or two bullets."""
    d = _doubled(cell)
    if d is not None:
        return d, d
    if cell.startswith(" ") and cell.strip():
        return "", cell.strip()
    if cell.strip().startswith(("-", "–", "•", "+")):
        bullets = _inline_bullets(cell)
        if len(bullets) == 2:
            return bullets[0], bullets[1]
    return None


def split_stacked(row: list[str]) -> list[list[str | None]] | None:
    """Two sub-rows written into one row's cells, or None.

    Word tables sometimes stack two sub-rows inside each cell; saved as text, the two values
    are joined by a space. Recognised when at least two cells hold the same text twice.
    Cells then split on a leading space (first part empty), two bullets, or, right of the
    first such sure split, the one place where a new capitalised phrase starts; other cells
    are merged over both (None in the second sub-row, as for a merged cell).
    """
    if sum(_doubled(c) is not None for c in row) < 2:
        return None
    strong = [_strong_split(c) for c in row]
    first_strong = next(i for i, parts in enumerate(strong) if parts)
    first: list[str | None] = []
    second: list[str | None] = []
    for i, cell in enumerate(row):
        points = _capital_starts(cell.strip())
        if not cell.strip():
            parts = (cell, "")
        elif strong[i]:
            parts = strong[i]
        elif i > first_strong and len(points) == 1:
            # right of the first sure split, one new capitalised phrase is the second value
            t = cell.strip()
            parts = (t[: points[0]], t[points[0]:].strip())
        else:
            parts = (cell, None)  # the key columns on the left are merged over both sub-rows
        first.append(parts[0])
        second.append(parts[1])
    return [first, second]


def tab_tables(lines: list[TextLine], extractor: str = "txt-tab") -> list[RawTable]:
    tables: list[RawTable] = []
    i, n = 0, len(lines)
    while i < n:
        if lines[i].text.count("\t") < MIN_TABS:
            i += 1
            continue
        width = len(lines[i].text.split("\t"))
        rows: list[list[str | None]] = []
        pages: list[int | None] = []
        page = 1
        blank = False
        while i < n:
            text = lines[i].text
            if not text.strip():
                blank = True
                i += 1
                continue
            if "\t" not in text:
                break
            if blank and rows:
                page += 1
            blank = False
            cells = [_clean_markup(c) for c in text.split("\t")]
            fitted, extra = fit_width(cells, width)
            cells = fitted + extra  # cells beyond the header are kept; the assembler reports them
            stacked = split_stacked(cells)
            for sub in stacked or [cells]:
                rows.append(sub)
                pages.append(page)
            i += 1
        if len(rows) > 1:
            tables.append(RawTable(rows=rows, row_pages=pages, extractor=extractor, index=len(tables)))
    return tables
