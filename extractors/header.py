"""Header rows of a task or criteria table -> the field each column holds.

A header is one to three rows (plus, often, a row numbering the columns "(1) (2) (3)"). A group
cell spans its sub-columns ("Đơn vị thực hiện" over "Chủ trì | Phối hợp", "Thời gian" over "Bắt
đầu | Kết thúc", "Kinh phí" over "Nguồn | Số tiền"); the other header cells are merged down over
all header rows. Each column's label is the path of header cells above it, and its field is
found by meaning in the columns catalog (normalizers/data/columns.csv): the lowest label first,
read as a sub-column of its group where the catalog has such a sub-alias, then the group's own.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from normalizers.catalogs import open_catalog
from normalizers.text import clean_inline, match_key

from .model import Table

MAX_HEADER_ROWS = 3  # label rows; a numbering row may follow them
HEADER_SEARCH_ROWS = 5  # a caption or a blank row may come before the header inside the table
FUZZY_HEADER = 85  # rapidfuzz ratio for a header cell that is not written exactly like a catalog alias
MIN_FIELDS = 3  # a task/criteria table names at least this many known columns
ANCHOR_FIELDS = {"task", "criterion", "objective"}  # ... and one of these
QUALIFIER = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # a unit or a column number in brackets after the name
BRACKETED = re.compile(r"^[(\[]\s*[\dIl|!]{0,3}\s*[)\]]?$|^[\dIl|!]{1,2}\s*[)\]]$")  # "(3)", a scan's "(68", "()"
MIN_NUMBERED_SHARE = 0.7  # of a numbering row's cells, read as bracketed numbers
NUMBERING = re.compile(r"^\(?\s*(\d{1,2}|[a-zA-Z])\s*\)?(\s*=\s*[\d()+\-\s]+)?$")


@lru_cache(maxsize=1)
def _catalog() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """(alias key -> field) for column names, ((group field, alias key) -> field) for sub-columns."""
    plain: dict[str, str] = {}
    sub: dict[tuple[str, str], str] = {}
    with open_catalog("columns.csv") as fh:
        for row in csv.DictReader(fh):
            under = (row.get("under") or "").strip()
            for alias in row["aliases"].split(";"):
                key = match_key(alias)
                if not key:
                    continue
                if under:
                    sub[under, key] = row["field"]
                else:
                    plain.setdefault(key, row["field"])
    return plain, sub


def catalog() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The columns catalog: column names, and sub-column names under a group field."""
    return _catalog()


def header_aliases() -> dict[str, str]:
    """Column names of the catalog (match key -> field), without the sub-column names."""
    return _catalog()[0]


@lru_cache(maxsize=1)
def _aliases_longest_first() -> list[tuple[tuple[str, ...], str]]:
    return sorted(((tuple(a.split()), f) for a, f in header_aliases().items()), key=lambda t: -len(t[0]))


def header_fields(text: str, min_cover: float = 0.7) -> list[tuple[str, str]]:
    """(field, header text) in order, for a text line covered by known column names."""
    aliases = _aliases_longest_first()
    spans = [(match_key(m.group()), m.start(), m.end()) for m in re.finditer(r"[^\W_]+", text)]
    spans = [s for s in spans if s[0]]
    keys = [s[0] for s in spans]
    out: list[tuple[str, str]] = []
    i = covered = 0
    while i < len(keys):
        for alias, f in aliases:
            n = len(alias)
            if tuple(keys[i:i + n]) == alias:
                if f not in (x[0] for x in out):
                    out.append((f, text[spans[i][1]:spans[i + n - 1][2]]))
                covered += n
                i += n
                break
        else:
            i += 1
    return out if len(out) >= 2 and covered >= min_cover * len(keys) else []


def field_of_header(text: str | None, group: str | None = None) -> str | None:
    """The field a header cell names ('Đơn vị chủ trì' -> lead); under a group field, its
    sub-column names first ('Bắt đầu' under deadline -> start)."""
    key = match_key(text)
    if not key:
        return None
    plain, sub = _catalog()
    bare = match_key(QUALIFIER.sub(" ", text))  # "Kinh phí (triệu đồng)", "Thời hạn (1)"
    for k in dict.fromkeys((key, bare)):
        if group and (group, k) in sub:
            return sub[group, k]
        if k in plain:
            return plain[k]
    candidates = [(a, f) for (g, a), f in sub.items() if g == group] if group else []
    candidates += list(plain.items())
    best, score = None, 0.0
    for alias, f in candidates:
        s = fuzz.ratio(key, alias)
        if s > score:
            best, score = f, s
    return best if score >= FUZZY_HEADER else None


def is_numbering_row(texts: list[str | None]) -> bool:
    """'(1) (2) (3) …' or '1 2 3 …' under the header: column numbers, in order. Numbers in brackets
    count even when a scan misread a few ('(68', '()'); bare numbers must run in order."""
    filled = [t.strip() for t in texts if t and t.strip()]
    if len(filled) < 2:
        return False
    if all(NUMBERING.match(t) for t in filled):
        digits = [int(m.group(1)) for t in filled if (m := NUMBERING.match(t)) and m.group(1).isdigit()]
        if len(digits) < 2 or all(b > a for a, b in zip(digits, digits[1:])):
            return True
    bracketed = [t for t in filled if BRACKETED.match(t)]
    return len(bracketed) >= MIN_NUMBERED_SHARE * len(filled) and len(bracketed) >= 3


@dataclass
class ColumnMap:
    fields: list[str | None]  # field of each grid column, None = unrecognised
    headers: list[str]  # each column's label path, "Đơn vị thực hiện / Chủ trì"
    header_rows: int = 1  # grid rows the header takes, numbering row included
    labels: list[list[str]] = field(default_factory=list)  # match keys of the header texts over each column

    @property
    def is_assignment(self) -> bool:
        return "criterion" in self.fields

    def index(self, f: str) -> int | None:
        return self.fields.index(f) if f in self.fields else None


def _resolve(paths: list[list[str]]) -> list[str | None]:
    fields: list[str | None] = []
    for path in paths:
        f = None
        if path:
            group = field_of_header(path[0]) if len(path) > 1 else None
            f = field_of_header(path[-1], group)
            if f is None and len(path) > 1:
                f = field_of_header(" ".join(path)) or group
        fields.append(None if f in fields else f)
    return fields


def _labels_of(table: Table, start: int, depth: int) -> list[list[str]]:
    """Header texts of each column over `depth` rows from `start`: a group cell's text counts for
    every column it spans; a cell merged down counts once. A cell over several columns that holds
    as many column names side by side ("Chủ trì | Phối hợp": a scan that missed the rule between
    them) gives each column its own name."""
    owners = table.owners()
    paths: list[list[str]] = [[] for _ in range(table.n_cols)]
    for j in range(table.n_cols):
        seen: set[int] = set()
        for i in range(start, min(start + depth, table.n_rows)):
            c = owners[i][j]
            if c is None or id(c) in seen:
                continue
            seen.add(id(c))
            text = clean_inline(c.text)
            if not text:
                continue
            names = _side_by_side(text, c.col_span) if c.col_span > 1 else None
            paths[j].append(names[j - c.col] if names else text)
    return paths


def _side_by_side(text: str, n: int) -> list[str] | None:
    """`n` column names written in one cell, split on a rule read as '|' or by the catalog's names."""
    parts = [p.strip() for p in re.split(r"\s*[|¦]\s*", text) if p.strip()]
    if len(parts) == n and all(_names_a_column(p) for p in parts):
        return parts
    words = text.split()
    plain, sub = _catalog()
    names = set(plain) | {a for _, a in sub}
    out, i = [], 0
    while i < len(words):  # longest catalog name first at each position
        for k in range(len(words) - i, 0, -1):
            if match_key(" ".join(words[i:i + k])) in names:
                out.append(" ".join(words[i:i + k]))
                i += k
                break
        else:
            return None
    return out if len(out) == n else None


def _names_a_column(text: str) -> bool:
    plain, sub = _catalog()
    key = match_key(text)
    return key in plain or key in {a for _, a in sub} or field_of_header(text) is not None


def _header_like(texts: list[str | None]) -> bool:
    """A row of column names: every filled cell names a column (or a sub-column of one), or holds a
    few such names side by side."""
    filled = [t for t in texts if t and t.strip()]
    if not filled:
        return False
    for t in filled:
        if len(match_key(t).split()) > 8:
            return False
        if not _names_a_column(t) and not (_side_by_side(t, 2) or _side_by_side(t, 3)):
            return False
    return True


def find_header(table: Table) -> ColumnMap | None:
    """The header of a table whose top rows name its columns, or None."""
    grid = table.rows
    owners = table.owners()
    for start in range(min(HEADER_SEARCH_ROWS, table.n_rows)):
        first = grid[start]
        if not any(t and t.strip() for t in first):
            continue
        # depth: the tallest header cell of the first row, or the rows the reader marked as header
        depth = max((c.row_span for c in owners[start] if c is not None and c.row == start), default=1)
        depth = min(max(depth, 1), MAX_HEADER_ROWS)
        for k in range(1, depth):  # rows under a merged-down header cell hold sub-column names only
            own = [c.text for c in owners[start + k] if c is not None and c.row == start + k] \
                if start + k < table.n_rows else []
            if own and not _header_like(own):
                depth = k
                break
        while start + depth < table.n_rows and depth < MAX_HEADER_ROWS and _header_like(grid[start + depth]) \
                and not is_numbering_row(grid[start + depth]):
            depth += 1
        cmap = _column_map(table, start, depth)
        if cmap is None and depth > 1:
            cmap = _column_map(table, start, 1)
        if cmap is not None:
            n = start + cmap.header_rows
            if n < table.n_rows and is_numbering_row(grid[n]):
                cmap.header_rows += 1
            cmap.header_rows += start
            return cmap
        if start + 1 < table.n_rows and not any(c is not None and c.row == start and c.header
                                                 for c in owners[start]) and len(
                [t for t in first if t and t.strip()]) > 2:
            return None  # a body row: no header above the rows of this table
    return None


def _column_map(table: Table, start: int, depth: int) -> ColumnMap | None:
    paths = _labels_of(table, start, depth)
    fields = _resolve(paths)
    known = [f for f in fields if f]
    if len(known) < MIN_FIELDS or not (ANCHOR_FIELDS & set(known)):
        return None
    labels = [[match_key(t) for t in p] for p in paths]
    return ColumnMap(fields, [" / ".join(p) for p in paths], depth, labels)


def map_header(row: list[str | None]) -> ColumnMap | None:
    """A ColumnMap when one row is the header of a task or assignment table."""
    table = Table.from_grid([list(row)], extractor="row")
    return _column_map(table, 0, 1)


def repeats_header(texts: list[str | None], cmap: ColumnMap) -> bool:
    """A row that repeats the header (or one of its rows) on a new page, or its numbering row."""
    if is_numbering_row(texts):
        return True
    filled = [(j, match_key(t)) for j, t in enumerate(texts) if t and t.strip()]
    if len(filled) < 2:
        return False
    hits = 0
    for j, key in filled:
        labels = cmap.labels[j] if j < len(cmap.labels) else []
        if key in labels or any(fuzz.ratio(key, lab) >= FUZZY_HEADER for lab in labels):
            hits += 1
        elif field_of_header(key) is None:
            return False
    return hits >= max(2, len(filled) - 1)
