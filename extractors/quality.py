"""How good a reading of a document's tables looks: a parse report per candidate reader.

Every candidate reader's tables go through the same assembly; the report says what the rows look
like without knowing which reader made them: the header mapped, the share of body text under
known columns, mapped columns left empty in every row, fragments (pieces of a broken row taken
for rows), header words inside body cells, words of the table region placed in no cell, tables
that look like task tables but whose header names no known column. The best report wins; a weak
one lets the next candidate run, and a weak chosen one becomes a `suspect_table` warning.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from normalizers.text import match_key

from .appendix import AppendixResult, LogicalRow, assemble
from .header import catalog as header_catalog
from .header import find_header
from .model import Table

WEAK_QUALITY = 0.9  # below this a report is weak: the next candidate reader is tried
FRAGMENT_WORDS = 3  # a row whose every text has at most this many words, and no STT, may be a fragment
UNPLACED_SHARE = 0.1  # more of the table region's characters in no cell than this: columns were lost
UNMAPPED_MIN_ROWS = 5  # a table this long, 3+ columns wide, that no header maps: probably a task table we miss
HEADER_WORDS = 6  # a header cell names a column in a few words
EXPECTED_FIELDS = ("task", "lead")  # a task table that maps neither may still be one, read wrong
TEXT_FIELDS = ("task", "objective", "activity", "output", "criterion")


@dataclass
class ParseReport:
    reader: str
    tables: int = 0  # logical tables with a recognised header
    rows: int = 0  # task and criteria rows
    fields: list[str] = field(default_factory=list)  # fields the headers map
    unknown_columns: int = 0
    empty_columns: list[str] = field(default_factory=list)  # mapped fields empty in every row
    fragments: list[int] = field(default_factory=list)  # pages of rows that look like pieces of another row
    header_in_body: list[int] = field(default_factory=list)  # pages of body cells holding header words
    unplaced_share: float = 0.0  # of the table regions' characters, in no cell
    body_known_share: float = 1.0  # of the body's non-empty cells, under a mapped column
    unmapped_tables: list[tuple[list[int], int, int, str]] = field(default_factory=list)  # pages, rows, cols, text
    pages: list[int] = field(default_factory=list)  # pages the rows come from

    @property
    def quality(self) -> float:
        if self.rows == 0:
            return 0.0
        q = self.body_known_share * (1 - self.unplaced_share)
        q *= 1 - 0.5 * len(self.empty_columns) / max(1, len(self.fields))
        q *= 1 - min(1.0, len(self.fragments) / self.rows)
        q *= 1 - min(1.0, len(self.header_in_body) / self.rows)
        return round(q, 4)

    @property
    def weak(self) -> bool:
        return self.quality < WEAK_QUALITY or bool(self.unmapped_tables)

    def key(self) -> tuple:
        """Order of preference between candidate readings of the same document."""
        return (self.rows > 0, self.quality, self.rows)

    def problems(self) -> list[tuple[list[int], str, str | None]]:
        """(pages, what looks wrong, the text concerned) for the review queue."""
        out: list[tuple[list[int], str, str | None]] = []
        for f in self.empty_columns:
            out.append((self.pages, f"column {f!r} is mapped but empty in every row: its cells were probably "
                        "read into another column", None))
        if self.fragments:
            out.append((sorted(set(self.fragments)), f"{len(self.fragments)} rows look like pieces of a row broken "
                        "across a page", None))
        if self.header_in_body:
            out.append((sorted(set(self.header_in_body)), f"{len(self.header_in_body)} body cells hold header "
                        "words: the header was not fully recognised", None))
        if self.unplaced_share > UNPLACED_SHARE:
            out.append((self.pages, f"{self.unplaced_share:.0%} of the table's text fell in no cell", None))
        for pages, rows, cols, text in self.unmapped_tables:
            out.append((pages, f"a table of {rows} rows and {cols} columns has no header the columns catalog knows "
                        "(its text is in raw_value): add its column names to normalizers/data/columns.csv", text))
        if self.tables and not self.rows:
            out.append((self.pages, "a task table header was found but no task rows under it", None))
        return out


def _words(text: str | None) -> int:
    return len((text or "").split())


def is_fragment(r: LogicalRow) -> bool:
    """A row that reads as a piece of another: no STT, only a few words in each cell, nothing that a
    task row fills on its own (units, deadline) or a lower-case start."""
    if r.kind != "task" or r.cells.get("item_no"):
        return False
    texts = [v for v in r.cells.values() if v]
    if not texts or any(_words(v) > FRAGMENT_WORDS for v in texts):
        return False
    task = r.cells.get("task") or ""
    lower = task[:1].islower()
    short_empty = not r.cells.get("lead") and not r.cells.get("deadline")
    return lower or short_empty


GLUE_FIELDS = {"item_no": True, "lead": True, "support": True, "deadline": False}  # field -> also at the start
# (a deadline may well open with "Từ tháng", a sub-column name; it never ends with one)


def _header_in_body(r: LogicalRow, names: dict[int, set[str]]) -> bool:
    """A short body cell that opens or ends with column names of the table, capitalised as a header
    writes them ("Văn phòng Chủ trì"): a header row taken for the first part of a row. Lower-case
    words of the content ("… các phòng phối hợp)") are not. `names`: word count -> names."""
    for f, at_start in GLUE_FIELDS.items():
        words = (r.cells.get(f) or "").split()
        for n, keys in names.items():
            if len(words) <= n:
                continue
            ends = [words[-n:]] + ([words[:n]] if at_start else [])
            if any(w[0][:1].isupper() and match_key(" ".join(w)) in keys for w in ends):
                return True
    return False


def _column_names(headers) -> dict[int, set[str]]:
    """Names of two words or more, by word count: the tables' own header texts and the catalog's
    sub-columns."""
    _plain, sub = header_catalog()
    names = {a for _, a in sub}
    for _t, h in headers:
        if h is not None:
            names.update(lab for labs in h.labels for lab in labs)
    out: dict[int, set[str]] = {}
    for a in names:
        if len(a.split()) >= 2:
            out.setdefault(len(a.split()), set()).add(a)
    return out


def report(reader: str, tables: list[Table], found: AppendixResult | None = None) -> tuple[ParseReport,
                                                                                            AppendixResult]:
    """The parse report of one candidate reading, and its assembled rows."""
    found = found if found is not None else assemble(tables)
    rep = ParseReport(reader, tables=found.tables_found, rows=len(found.rows))
    headers = [(t, find_header(t)) for t in tables]
    fields: list[str] = []
    for _t, h in headers:
        if h is None:
            continue
        for f in h.fields:
            if f and f not in fields:
                fields.append(f)
        rep.unknown_columns = max(rep.unknown_columns, sum(1 for f in h.fields if f is None))
    rep.fields = fields
    rep.pages = sorted({r.page for r in found.rows if r.page is not None})
    for f in fields:
        if f in ("item_no", "budget", "budget_source", "note", "start", "activity"):
            continue  # often empty on purpose
        if found.rows and all(not r.cells.get(f) for r in found.rows if r.kind == "task"):
            if any(r.kind == "task" for r in found.rows):
                rep.empty_columns.append(f)
    names = _column_names(headers)
    for r in found.rows:
        if not r.continued and is_fragment(r):
            rep.fragments.append(r.page or 0)
        if _header_in_body(r, names):
            rep.header_in_body.append(r.page or 0)
    known = total = 0
    for r in found.rows:
        n_known = sum(1 for v in r.cells.values() if v)
        n_extra = sum(1 for v in r.extra.values() if v)
        known += n_known
        total += n_known + n_extra
    rep.body_known_share = known / total if total else 1.0
    region = sum(t.region_words for t in tables)
    unplaced = sum(t.unplaced_words for t in tables)
    rep.unplaced_share = unplaced / region if region else 0.0
    for t in found.skipped:
        if looks_like_task_table(t):
            pages = sorted({p for p in t.row_pages if p is not None})
            rep.unmapped_tables.append((pages, t.n_rows, t.n_cols, table_text(t)))
    return rep, found


def looks_like_task_table(t: Table) -> bool:
    """A table no header maps that still looks like a table of tasks: several columns, several rows,
    a first row of short names (a header), and sentences in the body."""
    if t.n_cols < 3 or t.n_rows < UNMAPPED_MIN_ROWS:
        return False
    grid = t.rows
    head = [c for c in grid[0] if c and c.strip()]
    if len(head) < 3 or any(_words(c) > HEADER_WORDS for c in head):
        return False
    body = [c for row in grid[1:] for c in row if c and c.strip()]
    return sum(_words(c) for c in body) / max(1, len(body)) >= 3


def table_text(t: Table) -> str:
    """The table's text, a line per row and a tab between cells, for the review queue."""
    return "\n".join("\t".join((c or "").replace("\n", " ") for c in row) for row in t.rows)
