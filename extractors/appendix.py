"""Tables -> logical appendix rows (task tables and PAR-criteria assignment tables).

Columns are identified by their header (extractors/header.py: one to three rows, group cells
over sub-columns, by meaning from normalizers/data/columns.csv), never by position. Header rows
repeated on later pages are dropped; tables continued on the next page are joined; a row broken
by a page break is joined back whatever columns continue (extractors/breaks.py decides); merged
cells give their value to the rows they cover; section rows (I, II ...) and sub-group rows set
area/group for the rows below.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from normalizers.areas import area_code
from normalizers.text import clean_cell, clean_inline, match_key

from .breaks import SHORT_FIELDS, break_kind, empty, starts_lower
from .header import ColumnMap, find_header, header_aliases, header_fields, repeats_header
from .model import Table

__all__ = ["AppendixResult", "ColumnMap", "LogicalRow", "assemble", "header_aliases", "header_fields"]

ROMAN = re.compile(r"^(?=[IVXLC]+\b)(M{0,3})(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})\s*[.:)]?(\s|$)")
OCR_ROMAN = re.compile(r"^[IVXLHl|!]{1,5}\s*[.:)]?\s+(?=\w)")
NUMBERED = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?(\s|$)")
ARABIC = re.compile(r"^\d{1,2}(\.\d{1,2})*\s*[.,:;)]?(\s|$)")  # a group's numeral, as a scan may read it
MISREAD_HEADER = 60  # rapidfuzz ratio of a header cell a scan misread to the same table's header elsewhere
MISREAD_SHARE = 0.6  # ... for this share of the header's columns
HEADER_AHEAD = 2  # table parts looked at for the header of a first part whose own header is lost


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
    continued: bool = False  # joined with its rest from the next page

    def note_confidence(self, cmap: ColumnMap, conf: list[float | None] | None) -> None:
        for f, c in zip(cmap.fields, conf or []):
            if f and c is not None:
                self.confidence[f] = min(c, self.confidence.get(f, 100.0))


@dataclass
class AppendixResult:
    rows: list[LogicalRow] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    tables_found: int = 0
    skipped: list[Table] = field(default_factory=list)  # tables no header maps and no table continues


def _heading_text(row: list[str | None], cmap: ColumnMap) -> str | None:
    """Text of a section/group row: one spanning cell, or STT + one text cell and nothing else."""
    filled = [(i, c) for i, c in enumerate(row) if not empty(c)]
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
        # the heading's cell spans the rest of the row: a section or group whatever its numeral reads as
        spans_rest = len(number) <= 6 and all(c is None for c in row[filled[1][0] + 1:]) and len(row) > 3
        # a borderless table has no span: a short numeral and an area's name, the rest of the row empty
        names_an_area = len(number) <= 5 and _short_cells_empty(row, cmap) and _names_area(filled[1][1]) \
            and not starts_lower(filled[1][1])
        group = NUMBERED.match(number + " ") and cmap.fields[filled[1][0]] in ("objective", "task") \
            and _short_cells_empty(row, cmap)
        if spans_rest or names_an_area or ROMAN.match(number + " ") or group:
            return clean_inline(f"{number} {filled[1][1]}")
    return None


def _short_cells_empty(row, cmap: ColumnMap) -> bool:
    # a numbered group row names its group in one cell; a task row also fills lead/deadline
    return all(empty(row[i]) for i, f in enumerate(cmap.fields) if f in SHORT_FIELDS)


PART = re.compile(r"^phần\s+([IVXLC]+|\d{1,2})\b", re.I)


def _is_section(text: str) -> bool:
    if ROMAN.match(text) or PART.match(text):
        return True
    # a scan's II reads as H, III as HI: a Roman-looking token before the name of a PAR area
    m = OCR_ROMAN.match(text)
    return bool(m) and area_code(text[m.end():]) is not None


def _names_area(heading: str) -> bool:
    """A top-level heading that names a PAR area (not a numbered sub-group "1.2 …")."""
    m = NUMBERED.match(heading)
    return not (m and "." in m.group(0).strip().rstrip(".")) and area_code(heading) is not None


def _top_number(heading: str | None) -> int | None:
    m = NUMBERED.match(heading or "")
    number = m.group(0).strip().rstrip(".") if m else ""
    return int(number) if number.isdigit() else None


def _next_in_sequence(heading: str, area: str | None) -> bool:
    """A heading in capitals numbered one after the current section ("6 HIỆN ĐẠI HÓA …" after "5 …"),
    even when its name is not one the areas catalog knows."""
    n, last = _top_number(heading), _top_number(area)
    letters = [c for c in heading if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8
    return n is not None and last is not None and n == last + 1 and upper


def _extra_key(cmap: ColumnMap, i: int) -> str:
    return (cmap.headers[i] if i < len(cmap.headers) else "") or f"column {i + 1}"


def _join(a: str | None, b: str | None) -> str | None:
    if empty(b):
        return a
    if empty(a):
        return b
    return f"{a}\n{b}"


@dataclass
class GridRow:
    """A body row of a logical table, with where it came from."""

    cells: list[str | None]
    page: int | None
    new_page: bool  # the first body row after a page break
    extractor: str
    table_index: int
    confidence: list[float | None] | None


@dataclass
class LogicalTable:
    cmap: ColumnMap
    rows: list[GridRow] = field(default_factory=list)
    parts: int = 0  # tables (pages) it was joined from


def _same_columns(a: ColumnMap, b: ColumnMap) -> bool:
    """The header of a table part repeats the current one: same width, the same field wherever
    both read one (a repeated header cell cut at the page end may not read at all)."""
    if len(a.fields) != len(b.fields):
        return False
    pairs = [(x, y) for x, y in zip(a.fields, b.fields) if x and y]
    return all(x == y for x, y in pairs) and len(pairs) >= min(len([f for f in a.fields if f]), 3)


def borrowed_header(t: Table, headers: list[ColumnMap | None]) -> ColumnMap | None:
    """The header of another part of the same table, when this part's own header rows are a misread
    copy of it (a scan reads "N dung Cũng VIỆ" for "Nội dung công việc"): same width, and most of its
    top row's cells resemble that header's top labels."""
    top = t.rows[0] if t.n_rows else []
    for h in headers:
        if h is None or len(h.fields) != t.n_cols:
            continue
        pairs = [(match_key(cell), labels[0]) for cell, labels in zip(top, h.labels) if labels]
        alike = sum(1 for cell, label in pairs if cell and fuzz.ratio(cell, label) >= MISREAD_HEADER)
        if pairs and alike >= MISREAD_SHARE * len(pairs):
            return h
    return None


def _header_ahead(t: Table, later: list[ColumnMap | None]) -> ColumnMap | None:
    """A table's first part whose header a scan cut off into a piece of its own (a seal, a broken
    rule): the header of the next part of the same width, with no header rows of its own."""
    for h in later:
        if h is not None and len(h.fields) == t.n_cols and t.n_rows >= 2:
            return replace(h, header_rows=0)
    return None


def logical_tables(tables: list[Table], skipped: list[Table] | None = None) -> list[LogicalTable]:
    """Tables with their header found, parts continued on later pages joined, repeated headers out;
    tables that are neither go to `skipped`."""
    out: list[LogicalTable] = []
    current: LogicalTable | None = None
    last_page: int | None = None
    headers = [find_header(t) for t in tables]
    for k, t in enumerate(tables):
        header = headers[k] or borrowed_header(t, headers)
        if header is None and current is None:
            header = _header_ahead(t, headers[k + 1:k + 1 + HEADER_AHEAD])
        start = header.header_rows if header else 0
        if header is not None and (current is None or not _same_columns(header, current.cmap)):
            current = LogicalTable(header)
            out.append(current)
            last_page = None
        elif header is None and (current is None or t.n_cols != len(current.cmap.fields)):
            if skipped is not None:
                skipped.append(t)
            continue  # not an appendix table (signature block, layout table ...), or a header we do not know
        current.parts += 1
        width = len(current.cmap.fields)
        grid = t.rows
        confidence = t.cell_confidence
        for i in range(start, t.n_rows):
            row = list(grid[i]) + [""] * (width - len(grid[i]))
            page = t.row_pages[i]
            if repeats_header(row, current.cmap):
                continue  # a header row repeated on a page
            new_page = page is not None and last_page is not None and page != last_page
            last_page = page if page is not None else last_page
            current.rows.append(GridRow(row, page, new_page, t.extractor, t.index,
                                        confidence[i] if confidence else None))
    return out


def assemble(tables: list[Table]) -> AppendixResult:
    result = AppendixResult()
    found = logical_tables(tables, result.skipped)
    result.tables_found = len(found)
    for lt in found:
        _rows_of(lt.cmap, lt.rows, result)
    return result


def _rows_of(cmap: ColumnMap, grid: list[GridRow], result: AppendixResult) -> None:
    unknown = [h or f"column {i + 1}" for i, (f, h) in enumerate(zip(cmap.fields, cmap.headers)) if f is None]
    if unknown:
        result.warnings.append(("unknown_column", f"columns not recognised, kept in extra_cells: {unknown}; add "
                                "their header to normalizers/data/columns.csv if they hold a known field"))
    kind = "assignment" if cmap.is_assignment else "task"
    # sections numbered I, II (or Phần 1) make Arabic-numbered headings groups; without them, a
    # heading that names a PAR area is a section ("1 CẢI CÁCH THỂ CHẾ", "2 CẢI CÁCH THỦ TỤC …")
    numbered_sections = kind == "task" and any(
        (h := _heading_text(g.cells, cmap)) and _is_section(h) for g in grid)
    area = group = None
    prev_raw: list[str | None] | None = None
    current: LogicalRow | None = None
    n = 0
    width = len(cmap.fields)
    overflow = False
    for g in grid:
        row, page, conf = g.cells, g.page, g.confidence
        if all(empty(c) for c in row):
            continue
        overflow = overflow or any(not empty(c) for c in row[width:])
        brk = break_kind(row, prev_raw, cmap) if g.new_page and current is not None else "new"
        if brk == "objective":
            # the Mục tiêu cell merged over this item goes on across the page while a new task starts
            obj = cmap.index("objective")
            old = current.cells.get("objective")
            joined = _join(old, row[obj])
            for r in result.rows:
                if r.table_index == current.table_index and r.cells.get("objective") == old and r.area_raw == area:
                    r.cells["objective"] = joined
            current.cells["objective"] = joined
            row = list(row)
            row[obj] = None
            for i, f in enumerate(cmap.fields):
                # a unit cell that ends the previous row's before starting its own: "luật; Văn phòng"
                cell = row[i]
                if f in ("lead", "support") and starts_lower(cell) and re.search(r"[;,]\s+\S", cell):
                    head, tail = re.split(r"(?<=[;,])\s+", cell.strip(), maxsplit=1)
                    current.cells[f] = f"{current.cells.get(f) or ''} {head}".strip()
                    row[i] = tail
        elif brk == "continue":
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
            current.continued = True
            continue
        heading = _heading_text(row, cmap) if kind == "task" else None
        if heading:
            if _is_section(heading) or area is None or (not numbered_sections and (
                    _names_area(heading) or _next_in_sequence(heading, area))) or (
                    numbered_sections and not ARABIC.match(heading) and _names_area(heading)):
                # the last: a section whose numeral a scan lost or misread ("v", none), never an Arabic group
                area, group = heading, None
            else:
                group = heading
            prev_raw, current = None, None
            continue
        if g.new_page and prev_raw is not None:
            # a merged cell still open at the page break goes on as an empty piece on the new page
            row = [None if (c == "" and prev_raw[i] is None) else c for i, c in enumerate(row)]
        n += 1
        cells: dict[str, str | None] = {}
        extra: dict[str, str] = {}
        for i, value in enumerate(row):
            f = cmap.fields[i] if i < width else None
            if f is None:
                if not empty(value):
                    extra[_extra_key(cmap, i)] = value
                continue
            if value is None and current is not None:  # covered by a merged cell: inherit
                value = current.cells.get(f)
                if f == "item_no":
                    value = None
            cells[f] = value
        if kind == "task" and current is not None and empty(cells.get("item_no")) and empty(cells.get("objective")):
            cells["objective"] = current.cells.get("objective")  # same item, objective merged or written once
        if kind == "task" and current is not None and empty(cells.get("item_no")) and empty(cells.get("task")) \
                and not empty(cells.get("activity")):
            cells["task"] = current.cells.get("task")  # another activity of the same task, merged or written once
        lead = cmap.index("lead")
        if kind == "assignment" and current is not None and lead is not None and row[lead] is None:
            cells["lead"] = current.cells.get("lead")  # responsible cell merged over sub-criteria
        current = LogicalRow(kind, cells, area, group, page, n, g.extractor, g.table_index, extra)
        current.note_confidence(cmap, [c if row[i] is not None else None for i, c in enumerate(conf or [])])
        result.rows.append(current)
        prev_raw = row
    if overflow:
        result.warnings.append(("extra_cells", "some rows have more cells than the header: the surplus is kept in "
                                "extra_cells; check those rows against the document"))
    for r in result.rows:
        r.cells = {k: clean_cell(v) for k, v in r.cells.items()}
        r.extra = {k: v for k, v in ((k, clean_cell(v)) for k, v in r.extra.items()) if v}
