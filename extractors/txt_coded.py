"""Criteria tables in text taken from a PDF without positions (seed 002's shape).

Each row starts with its hierarchical code ("1", "1.3", "1.3.1"), alone on its line or followed
by the criterion's name; the name wraps onto the next lines; the narrow responsible-unit column
comes out as short fragments ("Văn phòng", "Sở") after the name, or at the end of the code line
("... hành chính Văn phòng"); a survey mark (ĐTXHH) sits in the note column. Columns are told
apart by meaning: a fragment belongs to the responsible cell when it starts with a unit name of
the catalog (normalizers/data/units.csv), or continues one; a responsible cell written once
covers the sub-criteria after it (a cell merged down its criterion). Page furniture (repeated
headers, page numbers) is skipped.
"""
from __future__ import annotations

import re
from functools import lru_cache

from normalizers.text import match_key
from normalizers.units import SEPARATOR, catalog, key_of

from .header import header_fields
from .model import RawTable, TextLine

CODE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?(?:\s+(\S.*))?$")
NOTE_MARKS = ("ĐTXHH",)  # survey-scored criterion, written in the note column
# a unit name right after these words belongs to the criterion's name ("quy chế của Văn phòng")
JOINERS = {"của", "tại", "cho", "với", "và", "trong", "các", "thuộc", "đến", "giữa", "từ", "về", "đối"}
MAX_FRAGMENT_WORDS = 5  # a line of a narrow unit column
CLOSING = re.compile(r"^(Nơi nhận|KT\.|TL\.|GIÁM ĐỐC|CHỦ TỊCH)\b", re.I)


@lru_cache(maxsize=1)
def _alias_keys() -> list[tuple[str, ...]]:
    aliases, _units, _n = catalog()
    return [tuple(t for t in k if t != SEPARATOR) for k in aliases]


def _unit_at_start(text: str, whole: bool) -> bool:
    """The text opens with a unit name of the catalog (whole: is one and nothing more), the name
    possibly cut by a line end ("Phòng KH-"); one-word names count only as acronyms (KHTCTH, VP)."""
    words = text.split()
    if not words or not words[0][0].isupper():
        return False
    key = tuple(t for t in key_of(text) if t != SEPARATOR)
    acronym = words[0].isupper() and len(words[0]) >= 2
    for alias in _alias_keys():
        n = min(len(alias), len(key))
        if key[:n] != alias[:n] or (whole and len(key) > len(alias)):
            continue
        if (len(alias) >= 2 and n >= 2) or (len(alias) == 1 and acronym):
            return True
    return False


def starts_with_unit(text: str) -> bool:
    """The text opens with a unit of the catalog, whole or cut by a line end."""
    return _unit_at_start(text, whole=False)


def is_unit_name(text: str) -> bool:
    """The text is a unit name of the catalog and nothing more, or its start cut by a line end."""
    return _unit_at_start(text, whole=True)


def split_unit_tail(text: str) -> tuple[str, str | None]:
    """'... cải cách hành chính Văn phòng' -> ('... cải cách hành chính', 'Văn phòng'): the line ends
    with a unit name and nothing else, after a word that does not tie it to the name ("của",
    an enumeration's comma)."""
    words = text.split()
    for i in range(max(1, len(words) - MAX_FRAGMENT_WORDS), len(words)):
        if words[i - 1].lower() in JOINERS or words[i - 1].endswith((",", "(", "/")):
            continue
        if is_unit_name(" ".join(words[i:])):
            return " ".join(words[:i]), " ".join(words[i:])
    return text, None


def split_note(text: str) -> tuple[str, list[str]]:
    """Trailing note marks off a line: ('... Văn phòng', ['ĐTXHH'])."""
    notes: list[str] = []
    words = text.split()
    while words and words[-1] in NOTE_MARKS:
        notes.insert(0, words.pop())
    return " ".join(words), notes


class _Row:
    def __init__(self, code: str | None, name: str):
        self.code, self.name, self.resp, self.notes = code, [name] if name else [], [], []
        self.inherits = False  # its responsible cell is the one merged down from above

    @property
    def level(self) -> int:
        return self.code.count(".") + 1 if self.code else 2


def coded_tables(lines: list[TextLine], extractor: str = "txt-coded") -> list[RawTable]:
    """Criteria tables (header with a criterion and a responsible column) read from plain lines."""
    texts = [ln.text.strip() for ln in lines]
    tables = []
    i = 0
    while i < len(texts):
        fields, end = _header_at(texts, i)
        if fields and "criterion" in [f for f, _ in fields] and "item_no" in [f for f, _ in fields]:
            rows, i = _rows(texts, end, fields)
            rows = [r for r in rows if r.name or r.resp or r.notes]  # a bare number was a page number
            _mark_inherited(rows)
            if rows:
                header = [h for _f, h in fields]
                grid = [header] + [_cells(r, fields) for r in rows]
                tables.append(RawTable(rows=grid, row_pages=[None] * len(grid), extractor=extractor,
                                       index=len(tables)))
            continue
        i += 1
    return tables


def _header_at(texts: list[str], i: int) -> tuple[list[tuple[str, str]], int]:
    """A header starting at line i; its last column names may wrap onto the next lines (up to the
    first code), so the first line need only start like one."""
    if not texts[i] or CODE.match(texts[i]) or not header_fields(texts[i], min_cover=0.5):
        return [], i
    joined, best, end = texts[i], header_fields(texts[i]), i + 1
    j = i + 1
    while j < len(texts) and j < i + 6 and not CODE.match(texts[j]):
        if texts[j]:
            joined = f"{joined} {texts[j]}"
            fields = header_fields(joined)
            if fields and len(fields) >= len(best):
                best, end = fields, j + 1
            elif not header_fields(joined, min_cover=0.5):
                break
        j += 1
    return best, end


def _is_header_fragment(text: str, header_key: str) -> bool:
    key = match_key(text)
    return bool(key) and f" {key} " in f" {header_key} "


def _rows(texts: list[str], start: int, fields) -> tuple[list[_Row], int]:
    header_key = match_key(" ".join(h for _f, h in fields))
    rows: list[_Row] = []
    row: _Row | None = None
    last_area = 0
    i = start
    while i < len(texts):
        text = texts[i]
        i += 1
        if not text:
            continue
        if CLOSING.match(text):
            return rows, i
        again, end = _header_at(texts, i - 1)
        if again:  # the header repeated on a new page
            i = end
            continue
        if row is not None and not row.name and not row.resp and _is_header_fragment(text, header_key):
            continue
        m = CODE.match(text)
        if m and _plausible(m.group(1), last_area):
            code, rest = m.group(1), m.group(2) or ""
            if "." not in code:
                last_area = int(code)
            row = _Row(code, "")
            rows.append(row)
            _take_line(row, rest)
            continue
        if m and "." not in m.group(1) and not m.group(2):
            continue  # a page number
        if row is None:
            continue
        if row.level == 1 and row.name and all(not ch.islower() for ch in " ".join(row.name)) \
                and any(ch.islower() for ch in text):
            row = _Row(None, "")  # an area heading is in capitals: a plain line after it is an unnumbered row
            rows.append(row)
        _take_line(row, text)
    return rows, i


def _plausible(code: str, last_area: int) -> bool:
    area = int(code.split(".")[0])
    return area in (last_area, last_area + 1) or (last_area == 0 and area <= 1)


def _take_line(row: _Row, text: str) -> None:
    text, notes = split_note(text)
    row.notes += notes
    if not text:
        return
    if row.resp and len(text.split()) <= MAX_FRAGMENT_WORDS:
        row.resp.append(text)
    elif not row.name and not row.resp:
        name, unit = split_unit_tail(text)
        row.name.append(name)
        if unit:
            row.resp.append(unit)
    elif len(text.split()) <= MAX_FRAGMENT_WORDS and starts_with_unit(text):
        row.resp.append(text)
    else:
        name, unit = split_unit_tail(text)
        row.name.append(name)
        if unit:
            row.resp.append(unit)


def _join_fragments(parts: list[str]) -> str:
    out = ""
    for p in parts:
        out = f"{out}{p}" if out.endswith("-") or not out else f"{out} {p}"
    return out


def _cells(row: _Row, fields) -> list[str | None]:
    values = {"item_no": row.code or "", "criterion": " ".join(row.name),
              "lead": None if row.inherits else _join_fragments(row.resp), "note": " ".join(row.notes)}
    return [values.get(f, "") for f, _h in fields]


def _mark_inherited(rows: list[_Row]) -> None:
    """A responsible cell written once covers the sub-criteria after it within its criterion: those
    rows read as covered by a merged cell."""
    owner: _Row | None = None  # the row of the criterion whose responsible cell is open
    for row in rows:
        parent = ".".join(row.code.split(".")[:2]) if row.code and "." in row.code else None
        if row.resp:
            owner = row if parent else None
        elif owner and row.level >= 3 and parent == ".".join(owner.code.split(".")[:2]):
            row.inherits = True
        else:
            owner = None
