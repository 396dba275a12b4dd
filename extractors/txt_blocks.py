"""Task tables in text taken from a PDF as text blocks (seed 000's shape).

A PDF-to-text tool writes each cell as a block of wrapped lines, the cells of a row in column
order, and glues cells that share a baseline into one line ("Thanh tra Sở Thường xuyên"). Rows
are found by their STT codes; within an item the cell boundaries are chosen by dynamic
programming over the lines, scoring each candidate cell by what a cell of that column looks like:

* wrapping: a line ends where the next word would not fit the column's width, so a short line
  followed by a word that would have fitted ends its cell (bullets excepted); widths are in
  Times glyph units, each column's width is learned from the document (segment, fit the widths
  that explain the segmentation best, segment again);
* meaning: unit columns name units of the catalog, the time column parses as a deadline, a new
  cell starts with a capital, a digit, a bullet or a quote, and does not end on a word that
  needs a complement ("của", "do", "Chủ tịch");
* a line without a trailing space broke inside a word ("KC&TVPTC" / "N"): both halves stay in
  one cell and are joined without a space.

Cells that went on over a page break come after the row's last column, as pieces continuing
the row's columns in order.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from normalizers.deadlines import opens_deadline, parse_deadline
from normalizers.text import match_key
from normalizers.units import match_units

from .appendix import ROMAN
from .header import header_aliases, header_fields
from .model import RawTable, TextLine
from .txt_coded import CODE, is_unit_name, starts_with_unit

# Times-Roman advance widths (AFM, 1/1000 em) by base letter; other characters ~500
_WIDTHS = dict(zip("abcdefghijklmnopqrstuvwxyz", [444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778,
                                                   500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444]))
_WIDTHS.update(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", [722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
                                                   722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611]))
_WIDTHS.update({" ": 250, ",": 250, ".": 250, ";": 278, ":": 278, "-": 333, "–": 500, "(": 333, ")": 333,
                "/": 278, "%": 833, "&": 778, "'": 180, "\"": 408, "“": 444, "”": 444, "‘": 333, "’": 333})
BULLET = re.compile(r"^[-–•+*]\s")
FIELDS = ("objective", "task", "activity", "output", "lead", "support", "deadline", "budget", "note")
SKIP = {"task": 8.0, "lead": 6.0, "deadline": 6.0}  # an empty cell of these columns is rare; of others
SKIP_OTHER = 3.0  # (support, output, budget, note, ...) common
NEW_ROW = 2.0
UNIT_FIELDS = ("lead", "support")
# a cell does not end on a word that needs what follows it
DANGLING = {"của", "cho", "với", "và", "các", "những", "giữa", "từ", "về", "đối", "tại", "do", "để", "bởi", "nhằm",
            "là", "hoặc", "chủ tịch", "giám đốc"}
FURNITURE = re.compile(r"^(Phụ lục|PHỤ LỤC)\b.{0,40}$")
OVER, ROOM = 1.06, 0.96  # tolerance of the width model: a line may run over a little; a word fits with room


@lru_cache(maxsize=8192)
def width(text: str) -> int:
    total = 0
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0] if ord(ch) > 127 else ch
        base = {"đ": "d", "Đ": "D"}.get(base, base)
        total += _WIDTHS.get(base, 500)
    return total


@dataclass(frozen=True)
class Atom:
    text: str
    same_line: bool  # glued to the previous atom on one text line (another cell at the same baseline)
    cut: bool = False  # the previous line broke inside a word; this one finishes it
    sure: bool = True  # glued: a unit or a deadline starts here, so most likely another cell
    page_break: bool = False  # first atom after a repeated header: no cell runs across it


@dataclass(frozen=True)
class _Line:
    text: str
    cut: bool = False  # finishes a word cut at the end of the line before
    page_break: bool = False  # first line after a repeated header


def _glued_cells(line: str) -> list[tuple[str, bool]]:
    """A text line cut where another cell may start: (part, sure) where sure means a unit name or
    a deadline starts there; other cuts are before a capital after a word that does not need it."""
    words = line.split()
    cuts, sure = [0], [True]
    for i in range(1, len(words)):
        if not words[i][0].isupper() or BULLET.match(" ".join(words[:i]) + " "):
            continue
        rest = " ".join(words[i:])
        if starts_with_unit(rest) or opens_deadline(rest):
            cuts.append(i)
            sure.append(True)
        elif words[i - 1].lower().strip(",.;:") not in DANGLING:
            cuts.append(i)
            sure.append(False)
    cuts.append(len(words))
    return [(" ".join(words[a:b]), ok) for a, b, ok in zip(cuts, cuts[1:], sure)]


def _atoms(lines: list[_Line]) -> list[Atom]:
    out: list[Atom] = []
    for ln in lines:
        parts = [(ln.text, True)] if ln.cut else _glued_cells(ln.text)
        out.extend(Atom(p, i > 0, ln.cut and i == 0, sure, ln.page_break and i == 0)
                   for i, (p, sure) in enumerate(parts))
    return out


@dataclass
class _Shape:
    """What a run of atoms looks like as one cell, independent of column widths."""
    text: str
    line_widths: list[int]  # sorted
    fits: list[int]  # sorted: width of a line plus the next line's first word, at each ordinary line break

    @classmethod
    def of(cls, atoms: list[Atom]) -> _Shape:
        visual: list[tuple[str, bool]] = []  # (line, starts after a mid-word break)
        shown: list[str] = []
        for a in atoms:
            if a.same_line and visual:
                visual[-1] = (f"{visual[-1][0]} {a.text}", visual[-1][1])
                shown[-1] += " " + a.text
            elif a.cut and shown:
                visual.append((a.text, True))
                shown[-1] += a.text
            else:
                visual.append((a.text, False))
                shown.append(a.text)
        widths = [width(t) for t, _ in visual]
        fits = [widths[k] + width(" " + visual[k + 1][0].split()[0]) for k in range(len(visual) - 1)
                if not visual[k + 1][1] and not BULLET.match(visual[k + 1][0])]
        return cls("\n".join(shown), sorted(widths), sorted(fits))


def wrap_cost(shape: _Shape, w: float | None) -> float:
    """Lines wider than the column, and line ends where the next word would have fitted."""
    if not w:
        return 0.0
    return _wrap_cost(shape.line_widths, shape.fits, w)


def _wrap_cost(lines: list[int], fits: list[int], w: float) -> float:
    return 6.0 * (len(lines) - bisect_right(lines, w * OVER)) + 4.0 * bisect_right(fits, w * ROOM)


@dataclass(frozen=True)
class _Reading:
    """What a candidate cell's text says about itself, whatever column it is tried in."""
    lower_start: bool
    dangles: bool  # ends on a word that needs a complement ("của", "do")
    names_units: bool  # unit names of the catalog and nothing else that matters
    is_deadline: bool
    is_unit_name: bool
    one_line_deadline_start: bool


@lru_cache(maxsize=65536)
def _read(text: str, year: int | None) -> _Reading:
    flat = text.replace("\n", " ")
    words = re.findall(r"\w+", text.lower())
    starts_unit = starts_with_unit(flat)
    deadline_start = opens_deadline(flat)
    return _Reading(
        lower_start=text[0].islower(),
        dangles=bool(words) and (words[-1] in DANGLING or " ".join(words[-2:]) in DANGLING),
        names_units=starts_unit and not (m := match_units(text)).unmatched and bool(m.ids),
        is_deadline=deadline_start and parse_deadline(flat, year).kind != "unknown",
        is_unit_name=starts_unit and is_unit_name(flat),
        one_line_deadline_start="\n" not in text and deadline_start)


def meaning_cost(f: str, text: str, cont: bool, year: int | None, glued: bool = False) -> float:
    """How unlike a cell of column f the text is (negative: typical); glued: it starts mid-line
    where nothing says a new cell begins."""
    r = _read(text, year)
    if cont:
        return 2.0 + (4.0 if r.dangles else 0.0)
    cost = 3.0 if r.lower_start else 0.0
    if glued:
        cost += 1.5
    if r.dangles:
        cost += 4.0
    if f in UNIT_FIELDS:
        cost += -3.0 if r.names_units else 6.0
    elif f == "deadline":
        cost += -3.0 if r.is_deadline else 6.0
    elif r.is_unit_name or (f != "objective" and r.one_line_deadline_start):
        cost += 3.0
    return cost


@dataclass
class _Item:
    code: str | None
    lines: list[_Line]
    area: str | None
    group: str | None
    atoms: list[Atom] = field(default_factory=list)
    shapes: dict[tuple[int, int], _Shape] = field(default_factory=dict)
    meaning: dict[tuple[str, int, int, bool], float] = field(default_factory=dict)

    def shape(self, i: int, j: int) -> _Shape:
        if (i, j) not in self.shapes:
            self.shapes[(i, j)] = _Shape.of(self.atoms[i:j])
        return self.shapes[(i, j)]


class _Splitter:
    """Best split of an item's atoms into rows of cells, for given column widths."""

    MAX_ATOMS = 24  # lines (and glued pieces) of one cell

    def __init__(self, order: tuple[str, ...], year: int | None):
        self.order, self.year = order, year
        self.states = [(f, False) for f in order] + [(f, True) for f in order]
        self.first = order.index("task") if "task" in order else 0
        self.last = len(order) - 1

    def _successors(self, s: int | None) -> list[tuple[int, float]]:
        """(next state, cost of the empty cells it skips): the next columns of the row (an
        empty cell costs SKIP), a new row, or pieces continuing the row's columns in order."""
        if s is None:
            return [(t, self._skipped(0, t)) for t in range(len(self.order))]
        f, cont = self.states[s]
        k = self.order.index(f)
        if cont:
            return [(self.first, NEW_ROW)] + [(len(self.order) + j, 0.0) for j in range(k + 1, self.last + 1)]
        rest = self._skipped(k + 1, len(self.order))  # the row ends here: its later cells are empty
        return ([(t, self._skipped(k + 1, t)) for t in range(k + 1, len(self.order))]
                + [(self.first, rest + NEW_ROW)] + [(len(self.order) + j, rest) for j in range(self.last + 1)])

    def _skipped(self, a: int, b: int) -> float:
        return sum(SKIP.get(f, SKIP_OTHER) for f in self.order[a:b])

    def cell_cost(self, item: _Item, f: str, i: int, j: int, cont: bool, widths: dict[str, float]) -> float:
        key = (f, i, j, cont)
        shape = item.shape(i, j)
        if key not in item.meaning:
            atom = item.atoms[i]
            item.meaning[key] = meaning_cost(f, shape.text, cont, self.year, atom.same_line and not atom.sure)
        return item.meaning[key] + wrap_cost(shape, widths.get(f))

    def continue_row(self, row: dict[str, str], first_row: dict[str, str], item: _Item, a: int, b: int,
                     widths: dict[str, float]) -> list[tuple[str, int, int]]:
        """How atoms a..b, written after a page break, continue the row's columns: [(field, start,
        end)], in column order, each piece judged by how its column's cell reads with it added
        and by whether its first word would have fitted on the cell's line before the break."""
        def piece_cost(f: str, i: int, j: int) -> float:
            piece = item.shape(i, j)
            base = (first_row if f == "objective" else row).get(f) or ""
            cost = meaning_cost(f, f"{base}\n{piece.text}".strip(), False, self.year)
            cost += wrap_cost(piece, widths.get(f))
            cost -= meaning_cost(f, base, False, self.year) if base else 0.0
            w = widths.get(f)
            if base and w and width(base.split("\n")[-1] + " " + piece.text.split()[0]) <= w * ROOM:
                cost += 4.0
            if base.count("\n") < tallest:
                cost += 3.0  # a cell cut by the page end ran to the bottom: it is among the row's tallest
            return cost

        tallest = max((v.count("\n") for v in row.values() if v), default=0)

        atoms, inf = item.atoms, float("inf")
        best: dict[tuple[int, int], tuple[float, tuple[int, int] | None]] = {(a, -1): (0.0, None)}
        for i in range(a, b):
            if atoms[i].cut and i > a:
                continue
            for k in range(-1, len(self.order)):
                if (i, k) not in best:
                    continue
                for t in range(k + 1, len(self.order)):
                    for j in range(i + 1, b + 1):
                        if j < b and atoms[j].cut:
                            continue
                        c = best[(i, k)][0] + piece_cost(self.order[t], i, j)
                        if c < best.get((j, t), (inf, None))[0]:
                            best[(j, t)] = (c, (i, k))
        ends = [(best[(b, t)][0], t) for t in range(len(self.order)) if (b, t) in best]
        if not ends:
            return []
        key: tuple[int, int] = (b, min(ends)[1])
        out: list[tuple[str, int, int]] = []
        while best[key][1] is not None:
            prev = best[key][1]
            out.append((self.order[key[1]], prev[0], key[0]))
            key = prev
        return out[::-1]

    def split(self, item: _Item, widths: dict[str, float]) -> tuple[float, list[tuple[str, bool, int, int]]]:
        """(cost, [(field, continues, first atom, end atom)]) of the best split."""
        atoms, n = item.atoms, len(item.atoms)
        inf = float("inf")
        best: dict[tuple[int, int | None], tuple[float, tuple[int, int | None] | None]] = {(0, None): (0.0, None)}
        for i in range(n):
            if i > 0 and atoms[i].cut:
                continue  # a cell never starts inside a word
            entry: dict[int, tuple[float, int | None]] = {}  # state -> cheapest way in at atom i
            for s in [None, *range(len(self.states))]:
                if (i, s) in best:
                    for t, skipped in self._successors(s):
                        if best[(i, s)][0] + skipped < entry.get(t, (inf, None))[0]:
                            entry[t] = (best[(i, s)][0] + skipped, s)
            for t, (base, s) in entry.items():
                f, cont = self.states[t]
                for j in range(i + 1, min(n, i + self.MAX_ATOMS) + 1):
                    if j - 1 > i and atoms[j - 1].page_break:
                        break  # cells end at a page break; what follows continues them
                    if j < n and atoms[j].cut:
                        continue
                    c = base + self.cell_cost(item, f, i, j, cont, widths)
                    if c < best.get((j, t), (inf, None))[0]:
                        best[(j, t)] = (c, (i, s))
        finals = [(best[(n, t)][0] + (0.0 if self.states[t][1] else self._skipped(t + 1, len(self.order))), t)
                  for t in range(len(self.states)) if (n, t) in best]
        if not finals:
            return inf, []
        total, t = min(finals)
        cells: list[tuple[str, bool, int, int]] = []
        key: tuple[int, int | None] = (n, t)
        while best[key][1] is not None:
            i, s = best[key][1]
            f, cont = self.states[key[1]]
            cells.append((f, cont, i, key[0]))
            key = (i, s)
        cells.reverse()
        return total, cells


def _fit_width(shapes: list[_Shape]) -> float | None:
    """The column width that the cells' wrapping explains best."""
    lines = sorted(w for s in shapes for w in s.line_widths)
    fits = sorted(w for s in shapes for w in s.fits)
    if not lines:
        return None
    candidates = sorted({w / OVER for w in lines} | {w / ROOM - 1 for w in fits})
    return min(candidates, key=lambda w: (_wrap_cost(lines, fits, w), w))


def split_items(items: list[_Item], splitter: _Splitter, rounds: int = 4):
    """(column widths, each item's split): split without widths, fit each column's width to its
    cells, split again until the widths settle; the last split is the one made with them."""
    widths: dict[str, float] = {}
    for _ in range(rounds):
        splits = [splitter.split(item, widths)[1] for item in items]
        shapes: dict[str, list[_Shape]] = {f: [] for f in splitter.order}
        for item, cells in zip(items, splits):
            for f, cont, i, j in cells:
                if not cont:
                    shapes[f].append(item.shape(i, j))
        new = {f: w for f in splitter.order if (w := _fit_width(shapes[f]))}
        if new == widths:
            return widths, splits
        widths = new
    return widths, [splitter.split(item, widths)[1] for item in items]


@lru_cache(maxsize=1)
def _header_words() -> set[str]:
    return {w for alias in header_aliases() for w in alias.split()}


def _all_header_words(text: str) -> bool:
    words = match_key(text).split()
    return bool(words) and all(w in _header_words() for w in words)


def _header_block(texts: list[str], i: int) -> tuple[int, list[tuple[str, str]]]:
    """(index after, fields) of a header starting at line i, its names wrapped over up to 9 lines;
    (i, []) when none starts there."""
    joined, end, fields, seen = "", i, [], 0
    for j in range(i, len(texts)):
        if not texts[j]:
            continue
        seen += 1
        if seen > 9 or not _all_header_words(texts[j]) and not header_fields(texts[j], min_cover=0.5):
            break
        joined = f"{joined} {texts[j]}".strip()
        found = header_fields(joined)
        if len(found) >= 4 and "task" in [f for f, _ in found] and found != fields:
            end, fields = j + 1, found  # a line that adds nothing to the names is not the header's
    return end, fields


def _next_filled(texts: list[str], i: int) -> int:
    return next((j for j in range(i, len(texts)) if texts[j]), len(texts))


def _page_number_before_header(texts: list[str], i: int) -> bool:
    """Line i is a bare page number ("6") and the table's header is repeated right after it."""
    m = CODE.match(texts[i]) if i < len(texts) else None
    if not m or m.group(2) or "." in m.group(1):
        return False
    nxt = _next_filled(texts, i + 1)
    return _header_block(texts, nxt)[0] > nxt


def _next_content(texts: list[str], at: int) -> str:
    """The line at `at`, or after the page number and repeated header that start there."""
    if _page_number_before_header(texts, at):
        nxt = _next_filled(texts, at + 1)
        at = _next_filled(texts, _header_block(texts, nxt)[0])
    return texts[at] if at < len(texts) else ""


def _items(raw: list[str], start: int) -> list[_Item]:
    """The table's items (an STT code and the lines up to the next), with their section and group."""
    texts = [t.strip() for t in raw]
    items: list[_Item] = []
    area = group = None
    cut_next = page_break = False
    i = start
    while i < len(texts):
        text, cut = texts[i], cut_next
        i += 1
        if not text:
            continue  # blank lines separate a word's halves too
        cut_next = not raw[i - 1].endswith((" ", "\t"))
        if FURNITURE.match(text):
            continue
        at = _next_filled(texts, i)
        end, names = _header_block(texts, i - 1)
        if end > i - 1 and _header_block(texts, at) != (end, names):
            # a repeated header (not a last line like "vụ" that happens to be a header word)
            i, cut_next, page_break = end, False, True
            continue
        if not cut and _page_number_before_header(texts, i - 1):
            continue
        m = None if cut else CODE.match(text)
        if not cut and ROMAN.match(text) and len(text.split()) >= 2:
            area, group = text, None
            continue
        if m:
            code, rest = m.group(1), m.group(2)
            deeper = CODE.match(_next_content(texts, at))
            if (rest and "." not in code and len(rest.split()) >= 4 and deeper
                    and deeper.group(1).startswith(code + ".")):
                group = text
                continue
            items.append(_Item(code, [_Line(rest)] if rest else [], area, group))
            page_break = False
            continue
        if items:
            items[-1].lines.append(_Line(text, cut and bool(items[-1].lines), page_break))
            page_break = False
    for item in items:
        item.atoms = _atoms(item.lines)
    return [it for it in items if it.atoms]


def _rows(item: _Item, cells: list[tuple[str, bool, int, int]], splitter: _Splitter,
          widths: dict[str, float]) -> list[dict[str, str]]:
    """The item's rows (field -> text); what comes after a page break goes to the columns it
    continues, the objective's to the item's first row (the cell is merged over the item)."""
    order = splitter.order
    first = "task" if "task" in order else order[0]
    rows: list[dict[str, str]] = []
    span: list[int] = []  # atoms continuing the last row

    def place() -> None:
        if span and rows:
            for f, i, j in splitter.continue_row(rows[-1], rows[0], item, span[0], span[1], widths):
                row = rows[0] if f == "objective" else rows[-1]
                row[f] = f"{row.get(f, '')}\n{item.shape(i, j).text}".strip()
        span.clear()

    for f, cont, i, j in cells:
        if cont:
            span[:] = [span[0] if span else i, j]
            continue
        place()
        text = item.shape(i, j).text
        if not rows or f == order[0] or (f == first and first in rows[-1]):
            rows.append({f: text})
        else:
            rows[-1][f] = text
    place()
    return rows


def block_tables(lines: list[TextLine], year: int | None = None, extractor: str = "txt-blocks") -> list[RawTable]:
    """The task table of a text whose cells come as blocks of lines (no tabs, no positions)."""
    raw = [ln.text for ln in lines]
    texts = [t.strip() for t in raw]
    for start in range(len(texts)):
        end, fields = _header_block(texts, start)
        if end > start:
            break
    else:
        return []
    names = [f for f, _ in fields]
    if not {"item_no", "task", "lead", "deadline"} <= set(names):
        return []
    order = tuple(f for f in names if f in FIELDS)
    items = _items(raw, end)
    splitter = _Splitter(order, year)
    widths, splits = split_items(items, splitter)
    grid: list[list[str | None]] = [[h for _f, h in fields]]
    area = group = None
    for item, cells_of_item in zip(items, splits):
        if item.area != area:
            area, group = item.area, None
            grid.append([item.area] + [None] * (len(names) - 1))
        if item.group != group:
            group = item.group
            grid.append([item.group] + [None] * (len(names) - 1))
        for k, row in enumerate(_rows(item, cells_of_item, splitter, widths)):
            cells: list[str | None] = []
            for f in names:
                if f == "item_no":
                    cells.append(item.code if k == 0 else None)
                elif f == "objective" and k > 0:
                    cells.append(None)  # merged over the item's rows
                else:
                    cells.append(row.get(f, ""))
            grid.append(cells)
    return [RawTable(rows=grid, row_pages=[None] * len(grid), extractor=extractor)] if len(grid) > 1 else []
