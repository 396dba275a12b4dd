"""Raw tables -> logical appendix rows (task tables and PAR-criteria assignment tables).

Columns are identified by their header text (normalizers/data/columns.csv), never by
position. Repeated header rows are dropped; tables continued on the next page are joined;
a row broken by a page break is joined back; merged cells give their value to the rows
they cover; section rows (I, II ...) and sub-group rows set area/group for the rows below.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from normalizers.areas import area_code
from normalizers.catalogs import open_catalog
from normalizers.text import clean_cell, clean_inline, match_key

from .model import RawTable

ROMAN = re.compile(r"^(?=[IVXLC]+\b)(M{0,3})(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})\s*[.:)]?(\s|$)")
OCR_ROMAN = re.compile(r"^[IVXLHl|!]{1,5}\s*[.:)]?\s+(?=\w)")
NUMBERED = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?(\s|$)")
SHORT_FIELDS = ("lead", "support", "deadline")


@lru_cache(maxsize=1)
def header_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    with open_catalog("columns.csv") as fh:
        for row in csv.DictReader(fh):
            for alias in row["aliases"].split(";"):
                out[match_key(alias)] = row["field"]
    return out


@lru_cache(maxsize=1)
def _aliases_longest_first() -> list[tuple[tuple[str, ...], str]]:
    return sorted(((tuple(a.split()), f) for a, f in header_aliases().items()), key=lambda t: -len(t[0]))


def header_fields(text: str, min_cover: float = 0.7) -> list[tuple[str, str]]:
    """(field, header text) in order, for a line covered by known column names (columns.csv)."""
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


def field_of_header(text: str | None) -> str | None:
    """The field a header cell names ('Đơn vị chủ trì' -> lead), or None."""
    key = match_key(text)
    if not key:
        return None
    aliases = header_aliases()
    if key in aliases:
        return aliases[key]
    best, score = None, 0.0
    for alias, f in aliases.items():
        s = fuzz.ratio(key, alias)
        if s > score:
            best, score = f, s
    return best if score >= 85 else None


@dataclass
class ColumnMap:
    fields: list[str | None]  # field of each column, None = unrecognised
    headers: list[str]

    @property
    def is_assignment(self) -> bool:
        return "criterion" in self.fields

    def index(self, f: str) -> int | None:
        return self.fields.index(f) if f in self.fields else None


def map_header(row: list[str | None]) -> ColumnMap | None:
    """A ColumnMap when the row is a header row of a task or assignment table."""
    fields: list[str | None] = []
    headers: list[str] = []
    for cell in row:
        headers.append(clean_inline(cell) or "")
        f = field_of_header(cell) if cell else None
        fields.append(None if f in fields else f)
    known = [f for f in fields if f]
    if len(known) < 3:
        return None
    if not ({"task", "criterion", "objective"} & set(known)):
        return None
    return ColumnMap(fields, headers)


@dataclass
class LogicalRow:
    kind: str  # task | assignment
    cells: dict[str, str | None]
    area_raw: str | None
    group_raw: str | None
    page: int | None
    source_row: int
    extractor: str
    table_index: int
    extra: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)  # OCR: lowest word confidence read per field

    def note_confidence(self, cmap: ColumnMap, conf: list[float | None] | None) -> None:
        for f, c in zip(cmap.fields, conf or []):
            if f and c is not None:
                self.confidence[f] = min(c, self.confidence.get(f, 100.0))


@dataclass
class AppendixResult:
    rows: list[LogicalRow] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    tables_found: int = 0


def _empty(v: str | None) -> bool:
    return v is None or not v.strip()


def _heading_text(row: list[str | None], cmap: ColumnMap) -> str | None:
    """Text of a section/group row: one spanning cell, or STT + one text cell and nothing else."""
    filled = [(i, c) for i, c in enumerate(row) if not _empty(c)]
    if not filled:
        return None
    stt = cmap.index("item_no")
    if len(filled) == 1:
        i, text = filled[0]
        spanning = all(c is None for c in row[i + 1:]) and i <= 1
        lone = cmap.fields[i] in (None, "item_no", "objective", "task", "criterion")
        if (spanning or lone) and (ROMAN.match(text.strip()) or NUMBERED.match(text.strip()) or spanning):
            return clean_inline(text)
        return None
    if len(filled) == 2 and stt is not None and filled[0][0] == stt:
        number = filled[0][1].strip()
        if ROMAN.match(number + " ") or (NUMBERED.match(number + " ") and cmap.fields[filled[1][0]] in
                                           ("objective", "task") and _short_cells_empty(row, cmap)):
            return clean_inline(f"{number} {filled[1][1]}")
    return None


def _short_cells_empty(row, cmap: ColumnMap) -> bool:
    # a numbered group row names its group in one cell; a task row also fills lead/deadline
    return all(_empty(row[i]) for i, f in enumerate(cmap.fields) if f in SHORT_FIELDS)


def _is_section(text: str) -> bool:
    if ROMAN.match(text):
        return True
    # a scan's II reads as H, III as HI: a Roman-looking token before the name of a PAR area
    m = OCR_ROMAN.match(text)
    return bool(m) and area_code(text[m.end():]) is not None


def _same_header(row: list[str | None], cmap: ColumnMap) -> bool:
    other = map_header(row)
    return other is not None and other.fields == cmap.fields


def _starts_lower(text: str | None) -> bool:
    t = (text or "").strip()
    return bool(t) and t[0].islower()


def _is_continuation(row: list[str | None], prev: list[str | None] | None, cmap: ColumnMap) -> bool:
    """The first row of a page that carries on the last row of the previous page."""
    if prev is None:
        return False
    stt = cmap.index("item_no")
    if stt is not None and not _empty(row[stt]):
        return False
    if all(_empty(c) for c in row):
        return False
    for f in ("task", "objective", "criterion", "activity"):
        i = cmap.index(f)
        if i is not None and _starts_lower(row[i]):
            return True
    # a new task row fills its short cells; the tail of a broken row leaves them to the first part
    short = [cmap.index(f) for f in SHORT_FIELDS if cmap.index(f) is not None]
    return any(_empty(row[i]) and not _empty(prev[i]) for i in short)


def _extra_key(cmap: ColumnMap, i: int) -> str:
    return (cmap.headers[i] if i < len(cmap.headers) else "") or f"column {i + 1}"


def _carries_merged_objective(row: list[str | None], cmap: ColumnMap) -> bool:
    """First row of a page: the objective goes on (lowercase start) but the task is a new one."""
    obj, task, stt = cmap.index("objective"), cmap.index("task"), cmap.index("item_no")
    if obj is None or task is None or (stt is not None and not _empty(row[stt])):
        return False
    new_task = not _empty(row[task]) and not _starts_lower(row[task])
    short = [cmap.index(f) for f in SHORT_FIELDS if cmap.index(f) is not None]
    filled = short and all(not _empty(row[i]) for i in short)
    return bool(_starts_lower(row[obj]) and new_task and filled)


def _join(a: str | None, b: str | None) -> str | None:
    if _empty(b):
        return a
    if _empty(a):
        return b
    return f"{a}\n{b}"


def assemble(tables: list[RawTable]) -> AppendixResult:
    result = AppendixResult()
    cmap: ColumnMap | None = None
    grid: list[tuple] = []  # row, page, new_page, extractor, table, cell confidence
    logical_tables: list[tuple[ColumnMap, list]] = []
    for t in tables:
        start = 0
        header = None
        for i, row in enumerate(t.rows[:5]):
            header = map_header(row)
            if header:
                start = i + 1
                break
        if header is not None and (cmap is None or header.fields != cmap.fields):
            cmap = header
            grid = []
            logical_tables.append((cmap, grid))
        elif header is None and (cmap is None or t.n_cols != len(cmap.fields)):
            continue  # not an appendix table (signature block, layout table ...)
        first = True
        last_page = t.row_pages[start] if start < len(t.row_pages) else None
        confidence = t.cell_confidence or [None] * len(t.rows)
        for row, page, conf in zip(t.rows[start:], t.row_pages[start:], confidence[start:]):
            row = list(row) + [""] * (len(cmap.fields) - len(row))
            if page != last_page:
                first, last_page = True, page
            if _same_header(row, cmap):
                first = True
                continue  # a header repeated on a page
            grid.append((row, page, first and t.extractor != "docx-xml", t.extractor, t.index, conf))
            first = False
    result.tables_found = len(logical_tables)
    for cmap, grid in logical_tables:
        _rows_of(cmap, grid, result)
    return result


def _rows_of(cmap: ColumnMap, grid, result: AppendixResult) -> None:
    unknown = [h or f"column {i + 1}" for i, (f, h) in enumerate(zip(cmap.fields, cmap.headers)) if f is None]
    if unknown:
        result.warnings.append(("unknown_column", f"columns not recognised, kept in extra_cells: {unknown}; add "
                                "their header to normalizers/data/columns.csv if they hold a known field"))
    kind = "assignment" if cmap.is_assignment else "task"
    area = group = None
    prev_raw: list[str | None] | None = None
    current: LogicalRow | None = None
    n = 0
    width = len(cmap.fields)
    overflow = False
    for row, page, new_page, extractor, table_index, conf in grid:
        if all(_empty(c) for c in row):
            continue
        overflow = overflow or any(not _empty(c) for c in row[width:])
        if new_page and current is not None and _carries_merged_objective(row, cmap):
            # the Mục tiêu cell merged over this item goes on across the page while a new task starts
            obj = cmap.index("objective")
            old = current.cells.get("objective")
            joined = _join(old, row[obj])
            for r in result.rows:
                if r.table_index == current.table_index and r.cells.get("objective") == old and r.area_raw == area:
                    r.cells["objective"] = joined
            row = list(row)
            row[obj] = None
            for i, f in enumerate(cmap.fields):
                # a unit cell that ends the previous row's before starting its own: "luật; Văn phòng"
                cell = row[i]
                if f in ("lead", "support") and _starts_lower(cell) and re.search(r"[;,]\s+\S", cell):
                    head, tail = re.split(r"(?<=[;,])\s+", cell.strip(), maxsplit=1)
                    current.cells[f] = f"{current.cells.get(f) or ''} {head}".strip()
                    row[i] = tail
        elif new_page and current is not None and _is_continuation(row, prev_raw, cmap):
            for i, value in enumerate(row):
                if value is None:
                    continue
                f = cmap.fields[i] if i < width else None
                if f is None:
                    key = _extra_key(cmap, i)
                    current.extra[key] = _join(current.extra.get(key), value)
                else:
                    current.cells[f] = _join(current.cells.get(f), value)
            prev_raw = [_join(a, b) for a, b in zip(prev_raw, row)]
            current.note_confidence(cmap, conf)
            continue
        heading = _heading_text(row, cmap) if kind == "task" else None
        if heading:
            if _is_section(heading) or area is None:
                area, group = heading, None
            else:
                group = heading
            prev_raw, current = None, None
            continue
        if new_page and prev_raw is not None:
            # a merged cell still open at the page break goes on as an empty piece on the new page
            row = [None if (c == "" and prev_raw[i] is None) else c for i, c in enumerate(row)]
        n += 1
        cells: dict[str, str | None] = {}
        extra: dict[str, str] = {}
        for i, value in enumerate(row):
            f = cmap.fields[i] if i < width else None
            if f is None:
                if not _empty(value):
                    extra[_extra_key(cmap, i)] = value
                continue
            if value is None and current is not None:  # covered by a merged cell: inherit
                value = current.cells.get(f)
                if f == "item_no":
                    value = None
            cells[f] = value
        if kind == "task" and current is not None and _empty(cells.get("item_no")) and _empty(cells.get("objective")):
            cells["objective"] = current.cells.get("objective")  # same item, objective merged or written once
        lead = cmap.index("lead")
        if kind == "assignment" and current is not None and lead is not None and row[lead] is None:
            cells["lead"] = current.cells.get("lead")  # responsible cell merged over sub-criteria
        current = LogicalRow(kind, cells, area, group, page, n, extractor, table_index, extra)
        current.note_confidence(cmap, [c if row[i] is not None else None for i, c in enumerate(conf or [])])
        result.rows.append(current)
        prev_raw = row
    if overflow:
        result.warnings.append(("extra_cells", "some rows have more cells than the header: the surplus is kept in "
                                "extra_cells; check those rows against the document"))
    for r in result.rows:
        r.cells = {k: clean_cell(v) for k, v in r.cells.items()}
        r.extra = {k: v for k, v in ((k, clean_cell(v)) for k, v in r.extra.items()) if v}
