"""camelot as candidate readers of a text PDF: lattice (ruled tables, rules found in a rendering)
and stream (borderless tables, columns from the whitespace). They run only where the first reading's
parse report is weak, and only on pages whose text has a line of column names."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from normalizers.text import match_key

from .header import header_aliases, header_fields
from .model import Cell, SourceDocument, Table

MIN_HEADER_WORDS, MAX_HEADER_WORDS = 3, 30  # a header line of a task table names 3+ columns in a few words


def looks_tabular(page_text: str) -> bool:
    """A header-like line on the page: mostly column names of three or more fields."""
    return any(MIN_HEADER_WORDS <= len(line.split()) <= MAX_HEADER_WORDS and _may_be_header(line)
               and len(header_fields(line)) >= 3 for line in page_text.splitlines())


HEADER_COVER = 0.7  # header_fields' min_cover: the share of a line's words its column names must cover
WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _header_words() -> frozenset[str]:
    return frozenset(w for alias in header_aliases() for w in alias.split())


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return match_key(word)


def _may_be_header(line: str) -> bool:
    """False when too few of the line's words occur in any column name for header_fields to take
    it: the same answer, without matching every column name at every word (prose pages)."""
    keys = [k for k in map(_word_key, WORD.findall(line)) if k]
    vocabulary = _header_words()
    return sum(k in vocabulary for k in keys) >= HEADER_COVER * len(keys) > 0


def tabular_pages(doc: SourceDocument) -> list[int]:
    pages: dict[int, list[str]] = {}
    for ln in doc.lines:
        if ln.page is not None:
            pages.setdefault(ln.page, []).append(ln.text)
    return [n for n, lines in sorted(pages.items()) if looks_tabular("\n".join(lines))]


def _lattice_table(t, index: int) -> Table:
    """Cells with spans from camelot's grid: a cell without a right (bottom) rule goes on into the
    next column (row); its text is gathered from every grid cell it covers."""
    grid = t.cells
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    owner: dict[tuple[int, int], Cell] = {}
    cells: list[Cell] = []
    for i in range(n_rows):
        for j in range(n_cols):
            g = grid[i][j]
            text = (g.text or "").strip()
            if (i, j) in owner:
                c = owner[i, j]
            else:
                left = owner.get((i, j - 1)) if j and not g.left else None
                up = owner.get((i - 1, j)) if i and not g.top else None
                if left is not None and left.row == i:
                    left.col_span = j - left.col + 1
                    c = left
                elif up is not None and up.col == j:
                    up.row_span = i - up.row + 1
                    c = up
                else:
                    c = Cell("", i, j, page=int(t.page), bbox=(g.x1, None, g.x2, None))
                    cells.append(c)
                owner[i, j] = c
            if text:
                c.text = f"{c.text}\n{text}" if c.text else text
    return Table(cells, "camelot-lattice", index, n_rows=n_rows, n_cols=n_cols, row_pages=[int(t.page)] * n_rows)


def join_wrapped_rows(rows: list[list[str]]) -> list[list[str]]:
    """Stream-read tables put each wrapped line of a cell in a row of its own: a row with an empty
    first cell whose cells all sit under filled cells of the row above continues it when it fills
    fewer of them (a new task without a number fills them all), all its cells start lower-case, or
    the row above is a one-cell heading."""
    out: list[list[str]] = []
    for row in rows:
        filled = [i for i, c in enumerate(row) if c.strip()]
        if out and filled and not row[0].strip():
            prev = out[-1]
            prev_filled = [i for i, c in enumerate(prev) if c.strip() and i > 0]
            lower = all(row[i].strip()[0].islower() for i in filled)
            heading = len(prev_filled) == 1  # a one-cell row (section heading) wraps like any cell
            if all(prev[i].strip() for i in filled) and (len(filled) < len(prev_filled) or lower or heading):
                out[-1] = [f"{a}\n{b}" if b.strip() else a for a, b in zip(prev, row)]
                continue
        out.append(list(row))
    return out


def camelot_tables(path: Path, pages: list[int], password: str | None, doc: SourceDocument,
                   flavor: str) -> list[Table]:
    """Tables camelot finds on the given pages with one flavor (lattice or stream)."""
    if not pages:
        return []
    try:
        import camelot
    except ImportError:
        doc.warnings.append(("camelot_unavailable", "the table reading looks weak and camelot is not installed: "
                             "pip install camelot-py to read borderless tables"))
        return []
    spec = ",".join(str(p) for p in pages)
    try:
        tables = camelot.read_pdf(str(path), pages=spec, flavor=flavor, password=password or None)
    except Exception as exc:  # camelot raises many types on odd pages; the document still has its text
        doc.warnings.append(("camelot_failed", f"camelot {flavor} could not read pages {spec}: {type(exc).__name__}"))
        return []
    found: list[Table] = []
    for t in tables:
        if flavor == "lattice":
            table = _lattice_table(t, len(found))
        else:
            rows = join_wrapped_rows([[str(c) for c in r] for r in t.df.values.tolist()])
            table = Table.from_grid(rows, [int(t.page)] * len(rows), extractor="camelot-stream", index=len(found))
        if table.n_cols >= 2 and table.n_rows:
            found.append(table)
    return found
