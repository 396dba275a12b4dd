"""Ids of tasks and targets from what the row says, not where it sits.

A task id hashes the doc_id, the item number and the normalised text of the task and activity
(accent-, case- and space-insensitive); a target id hashes its task id (or, for prose, the
passage's normalised text) and the statement (indicator phrase, comparator, value). So a better
page-break join, an extra table or a row added above leaves the other ids, and the analyst's
corrections keyed on them, in place. A row that says exactly what an earlier row of the same
document says (a true repeat) gets a counter. What changes an id: the document's bytes (doc_id),
its item number, or the words of its task or activity (target: of its statement or passage).
"""
from __future__ import annotations

import hashlib
from collections import Counter

from normalizers.text import match_key

_seen: dict[str, Counter] = {}


def begin(doc_id: str | None) -> None:
    """Start the repeat counters of a document afresh (called once before its rows are built)."""
    _seen[str(doc_id)] = Counter()


def digest(*parts) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def _repeat(doc_id: str | None, key: tuple) -> int:
    seen = _seen.setdefault(str(doc_id), Counter())
    n = seen[key]
    seen[key] += 1
    return n


def task_id(doc_id: str | None, item_no: str | None, task: str | None, activity: str | None = None,
            repeat: int | None = None) -> str:
    """Stable id of a task row; `repeat` (default: counted per document) tells true repeats apart."""
    key = ((item_no or "").strip().rstrip("."), match_key(task), match_key(activity))
    n = _repeat(doc_id, ("task", *key)) if repeat is None else repeat
    return digest(doc_id, "task", *key, n or "")


def target_id(doc_id: str | None, anchor: str, statement: tuple, repeat: int | None = None) -> str:
    """Stable id of a target: its task id or passage text (`anchor`) and what it states."""
    key = (match_key(anchor), *("" if s is None else str(s) for s in statement))
    n = _repeat(doc_id, ("target", *key)) if repeat is None else repeat
    return digest(doc_id, "target", *key, n or "")
