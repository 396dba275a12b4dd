"""Prose plans: text lines -> paragraphs -> task rows and target passages.

Text pages wrap lines mid-sentence and repeat page furniture; paragraphs are rebuilt first
(a new paragraph starts at a numbering, a label "a)", a bullet, or after a line that ends a
sentence). Two shapes are recognised, by their structure rather than their wording:

* criterion plans: a numbered heading ("1.3. Tiêu chí thành phần “…”") followed by labelled
  parts a) Mục tiêu · b) Nhiệm vụ, giải pháp · c) Phân công (Cơ quan chủ trì / phối hợp) ·
  d) Thời gian; one task per heading, missing parts left empty;
* area plans: a numbered area heading whose sub-headings are "Mục tiêu" and "Nhiệm vụ"; each
  top-level bullet under "Nhiệm vụ" is a task, each bullet under "Mục tiêu" a target passage.

Passages under any heading that names targets ("Mục tiêu", "Chỉ tiêu") are returned for the
target parser, as are report deadlines ("Báo cáo quý I: trước ngày 10/3/2026").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalizers.text import clean_cell, clean_inline, match_key

from .model import TextLine

NUMBERED = re.compile(r"^\s*(?P<num>(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*))(?:\.|\s)\s*(?=\S)")
LABEL = re.compile(r"^\s*(?P<label>[a-zđ])\)\s*")
BULLET = re.compile(r"^\s*(?P<bullet>[-–•+])\s+")
PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
ROMAN = re.compile(r"^[IVX]{1,4}$")


@dataclass
class Paragraph:
    text: str
    page: int | None
    kind: str  # heading | label | bullet | sub_bullet | body
    number: str | None = None  # "1.3", "II", "a", "-"


@dataclass
class ProseTask:
    cells: dict[str, str | None]
    area_raw: str | None
    group_raw: str | None
    page: int | None
    source_row: int
    shape: str  # criteria | area_list | report


@dataclass
class ProseResult:
    tasks: list[ProseTask] = field(default_factory=list)
    target_passages: list[tuple[str, int | None, str | None]] = field(default_factory=list)  # text, page, area


def _furniture(lines: list[TextLine]) -> set[str]:
    """Short lines at the top or bottom of three or more pages: running heads and footers."""
    by_page: dict[int, list[str]] = {}
    for ln in lines:
        t = ln.text.strip()
        if t and ln.page is not None:
            by_page.setdefault(ln.page, []).append(t)
    pages_of: dict[str, set] = {}
    for page, texts in by_page.items():
        for t in {*texts[:2], *texts[-2:]}:
            if len(t) < 80:
                pages_of.setdefault(t, set()).add(page)
    return {t for t, pages in pages_of.items() if len(pages) >= 3}


def _kind(text: str) -> tuple[str, str | None]:
    m = LABEL.match(text)
    if m:
        return "label", m.group("label")
    m = BULLET.match(text)
    if m:
        return ("sub_bullet" if m.group("bullet") == "+" else "bullet"), m.group("bullet")
    m = NUMBERED.match(text)
    if m:
        num = m.group("num")
        rest = text[m.end():]
        # "2023." at the start of a wrapped line is a year, not a heading
        if (ROMAN.match(num) or len(num.split(".")[0]) <= 2) and rest[:1].isupper():
            return "heading", num
    return "body", None


def paragraphs(lines: list[TextLine]) -> list[Paragraph]:
    furniture = _furniture(lines)
    out: list[Paragraph] = []
    buf: list[str] = []
    start: tuple[str, str | None, int | None] | None = None

    def flush():
        nonlocal buf, start
        if buf and start:
            text = clean_cell("\n".join(buf)) or ""
            text = clean_inline(text) or ""
            if text:
                out.append(Paragraph(text, start[2], start[0], start[1]))
        buf, start = [], None

    prev_text = ""
    for ln in lines:
        t = ln.text.rstrip()
        s = t.strip()
        if not s or PAGE_NUMBER.match(s) or s in furniture:
            continue
        kind, number = _kind(s)
        ends_sentence = prev_text.endswith((".", ":", "!", "?")) or not prev_text
        if kind != "body" or (ends_sentence and s[:1].isupper()) or start is None:
            flush()
            start = (kind, number, ln.page)
        buf.append(s)
        prev_text = s
    flush()
    return out


def _strip_marker(p: Paragraph) -> str:
    for rx in (LABEL, BULLET, NUMBERED):
        m = rx.match(p.text)
        if m:
            return p.text[m.end():].strip()
    return p.text


def _after_colon(text: str) -> tuple[str, str]:
    head, _, rest = text.partition(":")
    return head.strip(), rest.strip()


PART_FIELDS = (("muc tieu", "objective"), ("chi tieu", "objective"), ("nhiem vu", "activity"),
               ("giai phap", "activity"), ("phan cong", "units"), ("trach nhiem", "units"),
               ("thoi gian", "deadline"), ("thoi han", "deadline"), ("tien do", "deadline"))
LEAD_WORDS = ("phu trach", "chu tri")
SUPPORT_WORDS = ("phoi hop", "thuc hien")


def _field_of_label(head: str) -> str | None:
    key = match_key(head)
    for words, f in PART_FIELDS:
        if key.startswith(words) or f" {words}" in f" {key}"[:30]:
            return f
    return None


def _level(num: str | None) -> int:
    if not num:
        return 0
    return 1 if ROMAN.match(num) else 1 + num.count(".")


def parse_prose(lines: list[TextLine]) -> ProseResult:
    paras = paragraphs(lines)
    result = ProseResult()
    _criteria(paras, result)
    if not result.tasks:
        _area_list(paras, result)
    _target_sections(paras, result)
    _reports(paras, result)
    return result


def _headings_blocks(paras: list[Paragraph]):
    """(heading index, [paragraph indexes up to the next heading])."""
    heads = [i for i, p in enumerate(paras) if p.kind == "heading"]
    for k, h in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(paras)
        yield h, list(range(h + 1, end))


def _criteria(paras: list[Paragraph], result: ProseResult) -> None:
    area = group = None
    for h, body in _headings_blocks(paras):
        head = paras[h]
        if _level(head.number) == 1 and ROMAN.match(head.number or ""):
            area, group = head.text, None
        labels = [i for i in body if paras[i].kind == "label"]
        fields_found = {_field_of_label(_after_colon(_strip_marker(paras[i]))[0] or _strip_marker(paras[i]))
                        for i in labels}
        if len(fields_found & {"objective", "activity", "units", "deadline"}) < 2:
            if _level(head.number) <= 2 and not labels:
                group = head.text
            continue
        cells: dict[str, str | None] = {"item_no": head.number, "task": _strip_marker(head), "objective": None,
                                        "activity": None, "lead": None, "support": None, "deadline": None}
        current: str | None = None
        for i in body:
            p = paras[i]
            text = _strip_marker(p)
            if p.kind == "label":
                label, rest = _after_colon(text) if ":" in text[:60] else (text, "")
                current = _field_of_label(label)
                text = rest
                if not text:
                    continue
            if current == "units":
                role, names = _after_colon(text) if ":" in text[:60] else ("", text)
                key = match_key(role)
                if any(w in key for w in LEAD_WORDS):
                    cells["lead"] = _add(cells["lead"], names)
                elif any(w in key for w in SUPPORT_WORDS):
                    cells["support"] = _add(cells["support"], names)
                else:
                    cells["lead"] = _add(cells["lead"], text)
            elif current:
                value = text if p.kind not in ("bullet", "sub_bullet") else f"{p.number} {text}"
                cells[current] = _add(cells[current], value, sep="\n")
        cells["task"] = (cells["task"] or "").rstrip(" :")
        result.tasks.append(ProseTask(cells, area, group, head.page, len(result.tasks) + 1, "criteria"))


def _add(old: str | None, new: str, sep: str = "; ") -> str:
    new = new.strip().rstrip(".").strip() if sep == "; " else new.strip()
    if not new:
        return old
    return f"{old}{sep}{new}" if old else new


def _area_list(paras: list[Paragraph], result: ProseResult) -> None:
    area = None
    mode = None
    last_task: ProseTask | None = None
    for p in paras:
        if p.kind == "heading":
            key = match_key(_strip_marker(p))
            if _level(p.number) == 1 and not ROMAN.match(p.number or ""):
                area, mode = _strip_marker(p), None
            elif ROMAN.match(p.number or ""):
                area, mode = None, None
            elif key.startswith("muc tieu") or key.startswith("chi tieu"):
                mode = "targets" if area else None
            elif key.startswith("nhiem vu") or key.startswith("giai phap"):
                mode = "tasks" if area else None
            else:
                mode = None
            last_task = None
            continue
        if mode == "tasks":
            if p.kind == "bullet" or last_task is None:
                last_task = ProseTask({"item_no": None, "task": _strip_marker(p)}, area, None, p.page,
                                      len(result.tasks) + 1, "area_list")
                result.tasks.append(last_task)
            else:  # "+" sub-bullets and body text belong to the task above
                prefix = f"{p.number} " if p.kind == "sub_bullet" else ""
                last_task.cells["task"] = f"{last_task.cells['task']}\n{prefix}{_strip_marker(p)}"
        elif mode == "targets":
            result.target_passages.append((_strip_marker(p), p.page, area))


def _target_sections(paras: list[Paragraph], result: ProseResult) -> None:
    """Bullets under a heading that names targets ("CÁC CHỈ TIÊU CHỦ YẾU"), area by sub-heading."""
    if result.tasks and result.tasks[0].shape == "area_list":
        return  # their Mục tiêu bullets are already passages
    inside, area = False, None
    for p in paras:
        if p.kind == "heading":
            key = match_key(_strip_marker(p))
            if ROMAN.match(p.number or ""):
                inside = "chi tieu" in key
                area = None
            elif inside:
                area = _strip_marker(p)
            continue
        if inside:
            result.target_passages.append((_strip_marker(p), p.page, area))


REPORT = re.compile(r"(?P<what>\bbáo cáo[^:;]{0,60}):\s*(?P<when>[^:;]+)$", re.I)


def _reports(paras: list[Paragraph], result: ProseResult) -> None:
    """Report deadlines in "Tổ chức thực hiện" ("Báo cáo quý I: trước ngày 10/3/2026") become tasks."""
    for p in paras:
        for piece in re.split(r";\s*|\.\s+(?=[A-ZĐ])", _strip_marker(p)):
            m = REPORT.search(piece.strip())
            if m and re.search(r"\d", m.group("when")):
                cells = {"item_no": None, "task": clean_inline(m.group("what")),
                         "deadline": clean_inline(m.group("when").rstrip(". "))}
                result.tasks.append(ProseTask(cells, None, None, p.page, len(result.tasks) + 1, "report"))
