"""SourceDocument -> rows of the datasets (tasks, targets, par_assignments) and issues."""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors import SourceDocument


@dataclass
class Rows:
    tasks: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    par_assignments: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)


def document_rows(doc: SourceDocument, document: dict) -> Rows:
    return Rows()
