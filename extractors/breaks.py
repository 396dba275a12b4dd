"""Rows broken by a page end: does the first body row of a page carry on the row above it?

A PDF (and a scan of one) splits a table row at the page end: the row's cells go on at the top
of the next page, any of them, with an empty STT. A new row at the top of a page looks different:
its STT is filled, or it starts its texts with a capital and fills its short cells (units,
deadline) with values that read on their own. A merged cell (Mục tiêu over several task rows)
may go on across the break while a new task row starts beside it. The decision weighs what the
cells say: a sentence going on in lower case, short cells left to the first part, a deadline or
a unit name that only reads once joined ("Thường xuyên, liên" + "tục"), a text ending mid-phrase.
"""
from __future__ import annotations

import re

from normalizers.deadlines import parse_deadline
from normalizers.units import match_units

from .header import ColumnMap

SHORT_FIELDS = ("lead", "support", "deadline")
TEXT_FIELDS = ("task", "objective", "criterion", "activity", "output", "note", "budget")
CONTINUE_AT = 2.0  # evidence needed to join a page's first row to the row before the break
UNFINISHED = re.compile(r"(?:[,;:(\-–]|\b(?:và|của|các|cho|tại|theo|về|với|trên|đối với|để|do|từ|đến|"
                        r"những|được|là|trong|thuộc|hoặc|nhằm|gồm|như))\s*$", re.I)
FINISHED = re.compile(r"[.;!?…:)\]”\"']\s*$")


def empty(v: str | None) -> bool:
    return v is None or not v.strip()


def starts_lower(text: str | None) -> bool:
    t = (text or "").lstrip(" \t\n-–•+*")
    return bool(t) and t[0].islower()


def _deadline_reads(text: str | None) -> bool:
    return not empty(text) and parse_deadline(text).kind != "unknown"


def _units_read(text: str | None) -> bool:
    if empty(text):
        return True
    found = match_units(text)
    return bool(found.ids) and not found.unmatched


def _joined(a: str | None, b: str | None) -> str:
    return f"{(a or '').rstrip()} {(b or '').lstrip()}".strip()


def continuation_evidence(row: list[str | None], prev: list[str | None], cmap: ColumnMap) -> float:
    """How strongly the first row of a page reads as the rest of `prev` (>= CONTINUE_AT: join)."""
    score = 0.0
    filled = [i for i, v in enumerate(row) if not empty(v)]
    if any(empty(prev[i]) for i in filled if i < len(prev)):
        score -= 1.5  # a continued row only goes on in cells that had begun
    for f in TEXT_FIELDS:
        i = cmap.index(f)
        if i is None or i >= len(row) or empty(row[i]):
            continue
        if starts_lower(row[i]):
            score += 2.0
        elif not empty(prev[i]) and UNFINISHED.search(prev[i]):
            score += 1.5
        elif not empty(prev[i]) and not FINISHED.search(prev[i]) and len(row[i].split()) <= 3:
            score += 1.0
    for f in SHORT_FIELDS:
        i = cmap.index(f)
        if i is None or i >= len(row):
            continue
        if empty(row[i]):
            if not empty(prev[i]):
                score += 2.0  # a new row fills its units and deadline; the tail of a broken row leaves them
            continue
        if empty(prev[i]):
            continue
        if f == "deadline":
            alone, joined = _deadline_reads(row[i]), _deadline_reads(_joined(prev[i], row[i]))
            if not alone:
                score += 2.0 if joined else 1.0
            elif starts_lower(row[i]):
                score += 1.0
            else:
                score -= 1.0
        else:
            if not _units_read(row[i]) and _units_read(_joined(prev[i], row[i])):
                score += 2.0
            elif not _units_read(prev[i]) and _units_read(_joined(prev[i], row[i])):
                score += 2.0
            elif starts_lower(row[i]):
                score += 1.0
    return score


def break_kind(row: list[str | None], prev: list[str | None] | None, cmap: ColumnMap) -> str:
    """'continue' (the row carries on `prev`), 'objective' (a merged objective goes on beside a new
    task row) or 'new'."""
    if prev is None or all(empty(c) for c in row):
        return "new"
    stt = cmap.index("item_no")
    if stt is not None and stt < len(row) and not empty(row[stt]):
        return "new"
    if carries_merged_objective(row, cmap):
        return "objective"
    return "continue" if continuation_evidence(row, prev, cmap) >= CONTINUE_AT else "new"


def carries_merged_objective(row: list[str | None], cmap: ColumnMap) -> bool:
    """The objective goes on (lower-case start) while the task beside it is a new one."""
    obj, task, stt = cmap.index("objective"), cmap.index("task"), cmap.index("item_no")
    if obj is None or task is None or (stt is not None and not empty(row[stt])):
        return False
    new_task = not empty(row[task]) and not starts_lower(row[task])
    short = [cmap.index(f) for f in SHORT_FIELDS if cmap.index(f) is not None]
    filled = short and all(not empty(row[i]) for i in short)
    return bool(starts_lower(row[obj]) and new_task and filled)
