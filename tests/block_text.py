"""Write a task table the way a PDF-to-text tool writes seed 000: for test variants.

Each cell is wrapped at its column's width with a real font's metrics (Liberation Serif, not
the extractor's Times table), the cells of a row come one after another in column order, two
single-line cells in a row share a text line, a word too long for its column breaks without a
trailing space, and a row that does not fit the page is cut: the top of each cell, a page
number and the repeated header, then the rest of each cell.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")


def font_available() -> bool:
    return FONT.exists()


@dataclass
class Item:
    code: str
    objective: str | None  # merged over the item's rows (None: the table has no objective column)
    rows: list[list[str]]  # the other cells of each row, in column order


@dataclass
class Heading:
    text: str  # a section ("II Cải cách ...") or group ("1 Kiểm soát ...") row


class Writer:
    def __init__(self, widths_pt: list[float], size: float = 13.0, page_lines: int = 40):
        from PIL import ImageFont
        self.font = ImageFont.truetype(str(FONT), size=int(size * 10))  # 10x for sub-point precision
        self.widths = [w * 10 for w in widths_pt]
        self.page_lines = page_lines
        self.cut_rows: list[int] = []  # rows cut by a page end, counted over the whole table from 0

    def wrap(self, text: str, col: int) -> list[tuple[str, bool]]:
        """(line, ends inside a word) for a cell's text; its own line breaks are kept."""
        limit = self.widths[col]
        out: list[tuple[str, bool]] = []
        for para in text.split("\n"):
            line = ""
            for word in para.split():
                trial = f"{line} {word}" if line else word
                if self.font.getlength(trial) <= limit:
                    line = trial
                    continue
                if line:
                    out.append((line, False))
                while self.font.getlength(word) > limit:  # break the word by characters
                    k = max(1, max(i for i in range(1, len(word) + 1) if self.font.getlength(word[:i]) <= limit))
                    out.append((word[:k], True))
                    word = word[k:]
                line = word
            if line:
                out.append((line, False))
        return out

    def render(self, header: list[str], body: list[Item | Heading]) -> str:
        lines: list[str] = []
        used = 0
        page = 1
        row_count = 0

        def emit(cells: list[list[tuple[str, bool]]]) -> None:
            prev_single = False
            for cell in cells:
                if not cell:
                    continue
                single = len(cell) == 1
                for k, (text, cut) in enumerate(cell):
                    if k == 0 and single and prev_single and lines:
                        lines[-1] = lines[-1].rstrip() + " " + text + ("" if cut else " ")
                    else:
                        lines.append(text + ("" if cut else " "))
                prev_single = single

        def head() -> None:
            nonlocal used
            cells = [self.wrap(h, i) for i, h in enumerate(header)]
            emit(cells)
            used = max(len(c) for c in cells)

        head()
        for block in body:
            if isinstance(block, Heading):
                lines.append(block.text + " ")
                used += 1
                continue
            for r, row in enumerate(block.rows):
                first = [block.code] if r == 0 else [""]
                objective = [] if block.objective is None else [block.objective if r == 0 else ""]
                cells = [self.wrap(t, i) for i, t in enumerate(first + objective + row)]
                height = max(len(c) for c in cells)
                room = self.page_lines - used
                if height > room and room >= 2:  # the row is cut by the page end
                    self.cut_rows.append(row_count + r)
                    emit([c[:room] for c in cells])
                    page += 1
                    lines.append(f"{page} ")
                    head()
                    emit([c[room:] for c in cells])
                    used += height - room
                    continue
                if height > room:
                    page += 1
                    lines.append(f"{page} ")
                    head()
                emit(cells)
                used += height
            row_count += len(block.rows)
        return "".join(f"{ln}\n\n" for ln in lines)
