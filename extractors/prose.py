"""Prose plans: text lines -> paragraphs -> task rows and the passages targets are read from.

Text pages wrap lines mid-sentence and repeat page furniture; paragraphs are rebuilt first
(a new paragraph starts at a numbering, a label "a)", a bullet, or after a line that ends a
sentence); lines that belong to the document's tables are left out (they are read as table
rows). Two shapes of plan are recognised, by their structure rather than their wording:

* criterion plans: a numbered heading ("1.3. Tiêu chí thành phần “…”") followed by labelled
  parts a) Mục tiêu · b) Nhiệm vụ, giải pháp · c) Phân công (chủ trì / phối hợp) · d) Thời
  gian; one task per heading: the criterion's name without its wrapper, objective a),
  activity b), lead and support from c), deadline d), missing parts left empty;
* area plans: a numbered area heading whose sub-headings are "Mục tiêu" and "Nhiệm vụ"; each
  top-level bullet under "Nhiệm vụ" is a task.

Every other paragraph of the plan, under any heading, is a passage for the target reader,
once, with the heading it sits under and the nearest heading that names a PAR area; so are
the task and objective parts of prose tasks, marked with their task and field. Sections that
report results ("I. KẾT QUẢ THỰC HIỆN NĂM 2024", "ĐÁNH GIÁ TÌNH HÌNH") state no targets and
give no passage. Report deadlines ("Báo cáo quý I: trước ngày 10/3/2026") become tasks too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalizers.areas import area_code
from normalizers.text import clean_cell, clean_inline, match_key

from .model import Table, TextLine

NUMBERED = re.compile(r"^\s*(?:(?:phần|PHẦN|Phần)\s+)?(?P<num>(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*))(?:\.|\s)\s*(?=\S)")
LABEL = re.compile(r"^\s*(?P<label>[a-eđ])[).]\s+")
BULLET = re.compile(r"^\s*(?P<bullet>[-–•+])\s+")
PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
ROMAN = re.compile(r"^[IVX]{1,4}$")
OPENING = "“\"«‘'("  # a heading may open with a quote: 1.3. “Công bố TTHC”
# a criterion heading: its name inside the wrapper "Tiêu chí (thành phần) [code] “…”"
WRAPPER = re.compile(r"^(?:tiêu chí(?:\s+thành\s+phần)?|tctp|tc|chỉ số thành phần)\b\s*"
                     r"(?P<code>\d{1,2}(?:\.\d{1,2}){1,2})?\s*[:.\-–]?\s*(?P<name>.+?)\s*[:.]?$", re.I)
QUOTED = re.compile(r"^[“\"«‘'](?P<name>.+?)[”\"»’'](?P<rest>.*)$")
CRITERION_HEAD = re.compile(r"^\s*(?:tiêu chí(?:\s+thành\s+phần)?|tctp)\b\s*(?P<code>\d{1,2}(?:\.\d{1,2}){1,2})?\s*"
                            r"[:.\-–]?\s*[“\"«‘]", re.I)  # "Tiêu chí 1.3 “…”" without a plan number
TABLE_TABS = 2  # a line with this many tabs is a row of a tab-separated table
TABLE_COVER = 0.6  # ... and a line most of whose words a table on its page holds (as word pairs) is table text
TABLE_COVER_UNPAGED = 0.8  # ... or, pages unknown, nearly all of them (as word triples)
TABLE_GAP = 3  # at most this many other lines between two table lines are the table's too
RESULT_SECTION = ("ket qua", "danh gia", "tinh hinh", "thuc trang", "kiem diem")  # level-1 sections of past results
END_OF_PLAN = re.compile(r"^\s*nơi nhận\s*:", re.I)  # the distribution list and signature follow
PART_FIELDS = (("muc tieu", "objective"), ("chi tieu", "objective"), ("yeu cau", "objective"),
               ("ket qua can dat", "objective"), ("muc dich", "objective"),
               ("nhiem vu", "activity"), ("giai phap", "activity"), ("noi dung", "activity"),
               ("bien phap", "activity"), ("cach thuc", "activity"), ("hoat dong", "activity"),
               ("phan cong", "units"), ("trach nhiem", "units"), ("don vi", "units"), ("co quan", "units"),
               ("to chuc thuc hien", "units"),
               ("thoi gian", "deadline"), ("thoi han", "deadline"), ("tien do", "deadline"))
LEAD_WORDS = ("phu trach", "chu tri")
SUPPORT_WORDS = ("phoi hop", "thuc hien")
INLINE_LABEL = re.compile(r"(?<=[.;:])\s+(?=[b-eđ]\)\s*(?:Mục tiêu|Chỉ tiêu|Yêu cầu|Nhiệm vụ|Giải pháp|Nội dung"
                          r"|Phân công|Trách nhiệm|Đơn vị|Cơ quan|Thời gian|Thời hạn|Tiến độ))")
INLINE_ROLES = re.compile(r"^(?P<lead>.+?)\s+(?:chủ trì|phụ trách)\b[\s,;]*(?:(?:và\s+)?phối hợp\s+(?:với\s+)?"
                          r"(?P<support>.+))?$", re.I)
INLINE_SUPPORT = re.compile(r"^(?P<support>.+?)\s+phối hợp(?:\s+thực hiện)?$", re.I)
TASK_FIELDS = ("task", "objective", "activity")  # the parts of a prose task that may state targets


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
    criterion_code: str | None = None  # the PAR criterion a criterion heading names by code ("Tiêu chí 1.3.2 …")


@dataclass
class Passage:
    """A paragraph the target reader reads: free prose (`task` None, field "prose") or a part of a prose task."""
    text: str
    page: int | None
    area: str | None  # the nearest heading above it that names a PAR area, as written
    heading: str | None  # the heading it sits under, as written
    task: int | None = None  # index into ProseResult.tasks
    field: str = "prose"  # prose | task | objective | activity


@dataclass
class ProseResult:
    tasks: list[ProseTask] = field(default_factory=list)
    target_passages: list[Passage] = field(default_factory=list)


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


def _grams(text: str, n: int) -> set[str]:
    words = match_key(text).split()
    return {" ".join(words[k:k + n]) for k in range(len(words) - n + 1)}


def table_lines(lines: list[TextLine], tables: list[Table]) -> set[int]:
    """Indexes of the lines that are the text of a table. Where a document writes its tables as tab-separated
    lines (DOCX, text saved from Word), those; else the lines most of whose words a table's cells hold in
    order: word pairs of a table on the same page (a PDF page's lines cut across its columns), word triples
    where pages are unknown (a text file's table, each line a piece of one cell)."""
    out = {i for i, ln in enumerate(lines) if ln.text.count("\t") >= TABLE_TABS}
    if out or not tables:
        return out
    grams: dict[int | None, set[str]] = {}
    for t in tables:
        for row, page in zip(t.rows, t.row_pages):
            bucket = grams.setdefault(page, set())
            for cell in row:
                if cell:
                    bucket |= _grams(cell, 2 if page is not None else 3)
    for i, ln in enumerate(lines):
        n, share = (2, TABLE_COVER) if ln.page is not None else (3, TABLE_COVER_UNPAGED)
        known = grams.get(ln.page)
        words = match_key(ln.text).split()
        if not known or len(words) < n:
            continue
        covered = [False] * len(words)
        for k in range(len(words) - n + 1):
            if " ".join(words[k:k + n]) in known:
                covered[k:k + n] = [True] * n
        if sum(covered) >= share * len(words):
            out.add(i)
    return _fill_gaps(lines, out)


def _fill_gaps(lines: list[TextLine], found: set[int]) -> set[int]:
    """Short lines between table lines (a cell's last word, a unit name, a page number) are the table's too."""
    out = set(found)
    marked = sorted(found)
    for a, b in zip(marked, marked[1:]):
        between = [i for i in range(a + 1, b) if lines[i].text.strip()]
        if len(between) <= TABLE_GAP:
            out.update(range(a + 1, b))
    return out


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
        rest = text[m.end():].lstrip(OPENING)
        # "2023." at the start of a wrapped line is a year, not a heading
        if (ROMAN.match(num) or len(num.split(".")[0]) <= 2) and rest[:1].isupper():
            return "heading", num
    m = CRITERION_HEAD.match(text)
    if m:
        return "heading", m.group("code")
    return "body", None


def paragraphs(lines: list[TextLine], skip: set[int] | None = None) -> list[Paragraph]:
    furniture = _furniture(lines)
    skip = skip or set()
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
    for i, ln in enumerate(lines):
        if i in skip:  # a table sits here: what follows it is a new paragraph
            flush()
            prev_text = ""
            continue
        for s in INLINE_LABEL.split(ln.text.strip()):
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


def _field_of_label(head: str) -> str | None:
    key = match_key(head)
    for words, f in PART_FIELDS:
        if key.startswith(words):
            return f
    for words, f in PART_FIELDS:
        if f" {words}" in f" {key}"[:30]:
            return f
    return None


def criterion_name(heading: str) -> tuple[str, str | None]:
    """'Tiêu chí thành phần “Công bố TTHC”:' -> ('Công bố TTHC', None); 'Tiêu chí 1.3.2 “X”' -> ('X', '1.3.2');
    a heading without the wrapper is its own name."""
    text = heading.strip().rstrip(" :")
    m = WRAPPER.match(text)
    code = m.group("code") if m else None
    name = m.group("name") if m else text
    q = QUOTED.match(name)
    if q and not q.group("rest").strip(" :.;"):
        name = q.group("name")
    elif q and re.fullmatch(r"\s*\([^()]*\)\s*[:.]?", q.group("rest")):  # “X” (2 điểm)
        name = q.group("name")
    return name.strip(" :"), code


def _level(num: str | None) -> int:
    if not num:
        return 0
    return 1 if ROMAN.match(num) else 1 + num.count(".")


def parse_prose(lines: list[TextLine], tables: list[Table] | None = None) -> ProseResult:
    paras = paragraphs(lines, table_lines(lines, tables or []))
    result = ProseResult()
    owner: dict[int, tuple[int, str]] = {}  # paragraph -> (task, field) for the parts of prose tasks
    _criteria(paras, result, owner)
    if not result.tasks:
        _area_list(paras, result, owner)
    _passages(paras, result, owner)
    _reports(paras, result)
    return result


def _headings_blocks(paras: list[Paragraph]):
    """(heading index, [paragraph indexes up to the next heading])."""
    heads = [i for i, p in enumerate(paras) if p.kind == "heading"]
    for k, h in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(paras)
        yield h, list(range(h + 1, end))


def _criteria(paras: list[Paragraph], result: ProseResult, owner: dict[int, tuple[int, str]]) -> None:
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
        name, code = criterion_name(_strip_marker(head) if NUMBERED.match(head.text) else head.text)
        cells: dict[str, str | None] = {"item_no": head.number, "task": name, "objective": None,
                                        "activity": None, "lead": None, "support": None, "deadline": None}
        index = len(result.tasks)
        owner[h] = (index, "task")
        current: str | None = None
        for i in body:
            p = paras[i]
            text = _strip_marker(p)
            if p.kind == "label":
                label, rest = _after_colon(text) if ":" in text[:60] else (text, "")
                current = _field_of_label(label)
                text = rest
            if current:
                owner[i] = (index, current)
            if not text:
                continue
            if current == "units":
                _roles(text, cells)
            elif current:
                value = text if p.kind not in ("bullet", "sub_bullet") else f"{p.number} {text}"
                cells[current] = _add(cells[current], value, sep="\n")
        # the area a criterion sits under: the nearest heading that names one (its group, else its section)
        area_raw = next((x for x in (group, area) if area_code(x)), area)
        result.tasks.append(ProseTask(cells, area_raw, group, head.page, index + 1, "criteria", code))


def _roles(text: str, cells: dict[str, str | None]) -> None:
    """c) Phân công: 'Cơ quan chủ trì: A', 'Cơ quan phối hợp: B; C', 'A chủ trì, phối hợp với B', 'A chủ trì; B phối
    hợp', several on one line; a name list without a role word goes with the role before it (else the lead)."""
    role = "lead"
    for piece in re.split(r";\s*|\.\s+(?=[A-ZĐ])", text):
        piece = piece.strip(" .;")
        if not piece:
            continue
        label, names = _after_colon(piece) if ":" in piece[:60] else ("", piece)
        key = match_key(label)
        if any(w in key for w in LEAD_WORDS):
            role = "lead"
        elif any(w in key for w in SUPPORT_WORDS):
            role = "support"
        elif m := INLINE_ROLES.match(names):
            cells["lead"] = _add(cells["lead"], m.group("lead"))
            if m.group("support"):
                cells["support"] = _add(cells["support"], m.group("support"))
            role = "support"
            continue
        elif m := INLINE_SUPPORT.match(names):
            cells["support"] = _add(cells["support"], m.group("support"))
            role = "support"
            continue
        cells[role] = _add(cells[role], names)


def _add(old: str | None, new: str, sep: str = "; ") -> str:
    new = new.strip().rstrip(".").strip() if sep == "; " else new.strip()
    if not new:
        return old
    return f"{old}{sep}{new}" if old else new


def _area_list(paras: list[Paragraph], result: ProseResult, owner: dict[int, tuple[int, str]]) -> None:
    area = None
    mode = None
    last_task: ProseTask | None = None
    for i, p in enumerate(paras):
        if p.kind == "heading":
            key = match_key(_strip_marker(p))
            if _level(p.number) == 1 and not ROMAN.match(p.number or ""):
                area, mode = _strip_marker(p), None
            elif ROMAN.match(p.number or ""):
                area, mode = None, None
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
            owner[i] = (len(result.tasks) - 1, "task")


def _passages(paras: list[Paragraph], result: ProseResult, owner: dict[int, tuple[int, str]]) -> None:
    """Every paragraph once, with its heading and area; none from result sections or after 'Nơi nhận'."""
    stack: list[tuple[int, str]] = []  # (level, heading text) of the headings above, Roman ones level 0
    skipping = False
    for i, p in enumerate(paras):
        if END_OF_PLAN.match(p.text):
            break
        if p.kind == "heading" and p.number:
            level = 0 if ROMAN.match(p.number) else 1 + p.number.count(".")
            while stack and stack[-1][0] >= level:
                stack.pop()
            if not stack:  # a top-level section: does it report results?
                skipping = match_key(_strip_marker(p)).startswith(RESULT_SECTION)
            stack.append((level, p.text))
        task, part = owner.get(i, (None, "prose"))
        if skipping or (task is not None and part not in TASK_FIELDS):
            continue
        area = next((h for _lvl, h in reversed(stack) if area_code(h)), None)
        heading = next((h for _lvl, h in reversed(stack) if h != p.text), None)
        result.target_passages.append(Passage(_strip_marker(p), p.page, area, heading, task, part))


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
