"""A deadline given in two cells, "Bắt đầu | Hoàn thành" (start | end), as one kind and window.

Each cell is read by the deadline grammar (normalizers.deadlines); the window runs from the first
day the start names to the last day the end names. An end that is continuous ("Thường xuyên")
makes the task continuous from the start; an empty side takes the other side's reading; a start
that waits on an event or another plan, with no end, keeps that kind.
"""
from __future__ import annotations

from datetime import date

from .deadlines import Deadline, parse_deadline

SEPARATOR = " – "  # how the two cells are written into deadline_raw


def span_text(start: str | None, end: str | None) -> str | None:
    """deadline_raw of a split deadline: both cells as written, start first."""
    parts = [p.strip() for p in (start, end) if p and p.strip()]
    return SEPARATOR.join(parts) or None


def _first_day(d: Deadline) -> date | None:
    return d.due_start or d.due_end


def parse_span(start: str | None, end: str | None, plan_year: int | None = None) -> Deadline:
    """Kind and window of a start | end pair."""
    s = parse_deadline(start, plan_year) if start and start.strip() else None
    e = parse_deadline(end, plan_year) if end and end.strip() else None
    if s is None and e is None:
        return Deadline("unknown", problem="both cells are empty")
    if s is None:
        return e
    if e is None:
        return s
    if s.kind == "unknown" or e.kind == "unknown":
        bad = "start" if s.kind == "unknown" else "end"
        return Deadline("unknown", problem=f"the {bad} cell is not a deadline")
    if e.kind == "continuous":
        return Deadline("continuous", _first_day(s), None, e.ref)
    if e.kind in ("conditional", "scheduled"):
        return Deadline(e.kind, None, None, e.ref)
    if s.kind in ("conditional", "scheduled", "continuous"):
        return Deadline(e.kind, e.due_start, e.due_end, s.ref)
    first, last = _first_day(s), e.due_end
    if first is None or last is None or first > last:
        return Deadline("unknown", problem="the start is after the end")
    return Deadline("period", first, last)
