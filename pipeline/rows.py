"""Stage 'rows': the logical rows of a document's tables and prose -> dataset rows (raw values).

Task rows and criteria rows from the chosen table reading (extractors.appendix), rows of tables
no header maps (their cells kept in extra_cells, for review), and prose tasks when the document
has no task table. Nothing is normalised here: unit ids, deadlines and areas are the next stage.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from extractors import SourceDocument
from extractors.appendix import AppendixResult, LogicalRow
from extractors.prose import ProseResult, parse_prose
from extractors.quality import report
from normalizers.areas import area_code
from normalizers.deadline_span import span_text
from normalizers.text import clean_inline

from . import ids

SURVEY_MARK = re.compile(r"\bĐTXHH\b")


@dataclass
class Rows:
    """What one document gives, stage by stage."""

    tasks: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    par_assignments: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    logical: dict[str, LogicalRow] = field(default_factory=dict)  # task_id -> its table row (confidence, fields)
    assignment_rows: list[LogicalRow] = field(default_factory=list)  # the table row of each par_assignments row
    prose: ProseResult | None = None
    prose_tasks: dict[int, dict] = field(default_factory=dict)  # index in prose.tasks -> its task row
    criterion_codes: dict[str, str] = field(default_factory=dict)  # task_id -> PAR criterion its heading names
    appendix: AppendixResult | None = None


def task_row(r: LogicalRow, document: dict) -> dict:
    c = r.cells
    code = area_code(r.area_raw)
    return {
        "task_id": ids.task_id(document["doc_id"], c.get("item_no"), c.get("task"), c.get("activity")),
        "doc_id": document["doc_id"], "province": document["province"],
        "province_code": document["province_code"], "province_2025": document.get("province_2025"),
        "province_code_2025": document.get("province_code_2025"), "plan_year": document["plan_year"],
        "agency": document["agency"], "area_code": code, "area_raw": r.area_raw, "group_raw": r.group_raw,
        "item_no": c.get("item_no"), "objective": c.get("objective"), "task": c.get("task"),
        "activity": c.get("activity"), "output": c.get("output"), "lead_raw": c.get("lead"),
        "support_raw": c.get("support"), "lead_units": [], "support_units": [],
        "deadline_raw": span_text(c.get("start"), c.get("deadline")), "deadline_kind": None, "due_start": None,
        "due_end": None, "deadline_ref": None, "budget_raw": _budget(c), "par_criterion": None, "source_page": r.page,
        "extractor": r.extractor, "needs_review": code is None, "source_row": r.source_row,
        "extra_cells": _extra_cells(r),
    }


def _extra_cells(r: LogicalRow) -> str | None:
    """Cells under columns without a dataset column of their own, as JSON (start date, budget
    source, note, unrecognised columns)."""
    extra = dict(r.extra)
    for f, label in (("note", "Ghi chú"),):
        if r.kind == "task" and r.cells.get(f):
            extra[label] = r.cells[f]
    return json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None


def _budget(c: dict) -> str | None:
    """Kinh phí as written; split in Nguồn | Số tiền, both cells, the source first."""
    parts = [p.strip() for p in (c.get("budget_source"), c.get("budget")) if p and p.strip()]
    return "; ".join(parts) or None


def assignment_row(r: LogicalRow, document: dict, area: int | None) -> dict:
    c = r.cells
    code = c.get("item_no")
    responsible, note = c.get("lead"), c.get("note")
    survey = any(SURVEY_MARK.search(v or "") for v in (responsible, note))
    responsible = clean_inline(SURVEY_MARK.sub("", responsible or "")) if responsible else None
    note = clean_inline(SURVEY_MARK.sub("", note or "")) if note else None
    level = code.count(".") + 1 if code else 2
    return {"doc_id": document["doc_id"], "province_code": document["province_code"],
            "province_2025": document.get("province_2025"), "province_code_2025": document.get("province_code_2025"),
            "plan_year": document["plan_year"], "criterion_code": code, "level": level,
            "criterion_name": c.get("criterion"), "responsible_raw": responsible, "responsible_units": [],
            "survey_scored": survey, "note": note, "area_code": area, "source_page": r.page}


def appendix_of(doc: SourceDocument) -> AppendixResult:
    """The chosen reading's rows (the registry assembled them to report on them)."""
    if doc.appendix is None:
        doc.report, doc.appendix = report("as-read", doc.tables)
    return doc.appendix


def build_rows(doc: SourceDocument, document: dict) -> Rows:
    """Stage entry point: dataset rows with their raw values."""
    ids.begin(document["doc_id"])
    found = appendix_of(doc)
    rows = Rows(appendix=found)
    area: int | None = None
    for r in found.rows:
        if r.kind == "assignment":
            code = r.cells.get("item_no")
            if code and "." not in code and code.isdigit():
                area = int(code) if 1 <= int(code) <= 8 else None
            a = assignment_row(r, document, area)
            rows.par_assignments.append(a)
            rows.assignment_rows.append(r)
            continue
        task = task_row(r, document)
        rows.logical[task["task_id"]] = r
        rows.tasks.append(task)
    rows.prose = parse_prose(doc.lines, doc.tables)
    if not any(r.kind == "task" for r in found.rows):
        for n, p in enumerate(rows.prose.tasks, start=1):
            r = LogicalRow("task", p.cells, p.area_raw if area_code(p.area_raw) else None, p.group_raw, p.page,
                           n, f"prose-{p.shape}", -1)
            task = task_row(r, document)
            task["extractor"] = f"prose-{p.shape}"
            rows.logical[task["task_id"]] = r
            rows.tasks.append(task)
            rows.prose_tasks[n - 1] = task
            if p.criterion_code:
                rows.criterion_codes[task["task_id"]] = p.criterion_code
    return rows
