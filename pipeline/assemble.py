"""SourceDocument -> rows of the datasets (tasks, par_assignments, targets) and issues."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from extractors import SourceDocument
from extractors.appendix import LogicalRow, assemble
from extractors.ocr import LOW_CONFIDENCE
from extractors.prose import parse_prose
from normalizers.areas import area_code
from normalizers.par import criteria
from normalizers.text import clean_inline
from normalizers.units import units_in_text

from . import ids
from .enrich import criterion_of, enrich_task, issue_row, target_rows, unit_ids

SURVEY_MARK = re.compile(r"\bĐTXHH\b")
COLUMN_OF_FIELD = {  # a table field -> the dataset column that holds it, where the names differ
    "task": {"lead": "lead_raw", "support": "support_raw", "deadline": "deadline_raw", "budget": "budget_raw"},
    "assignment": {"item_no": "criterion_code", "criterion": "criterion_name", "lead": "responsible_raw"},
}


@dataclass
class Rows:
    tasks: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    par_assignments: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)


def task_row(r: LogicalRow, document: dict) -> dict:
    c = r.cells
    code = area_code(r.area_raw)
    return {
        "task_id": ids.task_id(document["doc_id"], c.get("item_no"), c.get("task"), c.get("activity")),
        "doc_id": document["doc_id"], "province": document["province"],
        "province_code": document["province_code"], "plan_year": document["plan_year"],
        "agency": document["agency"], "area_code": code, "area_raw": r.area_raw, "group_raw": r.group_raw,
        "item_no": c.get("item_no"), "objective": c.get("objective"), "task": c.get("task"),
        "activity": c.get("activity"), "output": c.get("output"), "lead_raw": c.get("lead"),
        "support_raw": c.get("support"), "lead_units": [], "support_units": [],
        "deadline_raw": c.get("deadline"), "deadline_kind": None, "due_start": None, "due_end": None,
        "deadline_ref": None, "budget_raw": c.get("budget"), "par_criterion": None, "source_page": r.page,
        "extractor": r.extractor, "needs_review": code is None, "source_row": r.source_row,
        "extra_cells": json.dumps(r.extra, ensure_ascii=False, sort_keys=True) if r.extra else None,
    }


def assignment_row(r: LogicalRow, document: dict, area: int | None) -> dict:
    c = r.cells
    code = c.get("item_no")
    responsible, note = c.get("lead"), c.get("note")
    survey = any(SURVEY_MARK.search(v or "") for v in (responsible, note))
    responsible = clean_inline(SURVEY_MARK.sub("", responsible or "")) if responsible else None
    note = clean_inline(SURVEY_MARK.sub("", note or "")) if note else None
    level = code.count(".") + 1 if code else 2
    return {"doc_id": document["doc_id"], "province_code": document["province_code"],
            "plan_year": document["plan_year"], "criterion_code": code, "level": level,
            "criterion_name": c.get("criterion"), "responsible_raw": responsible, "responsible_units": [],
            "survey_scored": survey, "note": note, "area_code": area, "source_page": r.page}


def _known_units(doc: SourceDocument, rows) -> set[str]:
    """Units the document names in full anywhere (prose or cells): resolves short names."""
    parts = [doc.text] + [v for r in rows for v in r.cells.values() if v]
    return units_in_text("\n".join(parts))


def document_rows(doc: SourceDocument, document: dict) -> Rows:
    rows = Rows()
    ids.begin(document["doc_id"])
    found = assemble(doc.tables)
    for code, message in found.warnings:
        rows.issues.append(issue_row(document, code, message))
    known = _known_units(doc, found.rows)
    area: int | None = None
    for r in found.rows:
        if r.kind == "assignment":
            code = r.cells.get("item_no")
            if code and "." not in code and code.isdigit():
                area = int(code) if 1 <= int(code) <= 8 else None
            a = assignment_row(r, document, area)
            a["responsible_units"], _ = unit_ids(a["responsible_raw"], known, document, rows.issues,
                                                 field="responsible_raw", page=r.page)
            rows.par_assignments.append(a)
            _flag_low_confidence(r, document, rows.issues)
            continue
        task = task_row(r, document)
        enrich_task(task, document, known, rows.issues)
        task["needs_review"] |= _flag_low_confidence(r, document, rows.issues, task["task_id"])
        rows.tasks.append(task)
        if r.cells.get("item_no") or not any(t["objective"] == task["objective"] for t in rows.tasks[:-1]):
            # an objective merged over several task rows is one statement: read its targets once
            rows.targets += target_rows(task["objective"], document, origin=f"task:{task['task_id']}",
                                        task_id=task["task_id"], area_code=task["area_code"], page=r.page)
        if task["area_code"] is None:
            rows.issues.append(issue_row(document, "unknown_area", "section heading matches no PAR Index area: add "
                                      "its words to normalizers/data/areas.csv", task_id=task["task_id"],
                                      field="area_raw", raw_value=r.area_raw, source_page=r.page))
    _prose_rows(doc, document, rows, known, has_table_tasks=any(r.kind == "task" for r in found.rows))
    if not found.rows and found.tables_found == 0 and not rows.tasks:
        rows.issues.append(issue_row(document, "no_table_found", "no appendix task table or criteria table was "
                                  "recognised; if the document has one, check its header row (STT, Mục tiêu, "
                                  "Nhiệm vụ, Chủ trì, Thời gian ...)"))
    return rows


def _flag_low_confidence(r: LogicalRow, document: dict, issues: list[dict], task_id: str | None = None) -> bool:
    """An issue for a row OCR read with low confidence; True when there is one."""
    low = {f: c for f, c in r.confidence.items() if c < LOW_CONFIDENCE}
    if not low:
        return False
    worst = min(low, key=low.get)
    issues.append(issue_row(document, "low_ocr_confidence", f"OCR read {', '.join(sorted(low))} of this row with "
                            f"{low[worst]:.0f}% confidence (under {LOW_CONFIDENCE:.0f}%): check it against the scan",
                            task_id=task_id, field=COLUMN_OF_FIELD[r.kind].get(worst, worst),
                            raw_value=r.cells.get(worst), source_page=r.page))
    return True


def _prose_rows(doc: SourceDocument, document: dict, rows: Rows, known: set[str], has_table_tasks: bool) -> None:
    """Tasks of prose plans (when the document has no task table) and targets of prose passages."""
    prose = parse_prose(doc.lines)
    if not has_table_tasks:
        for n, p in enumerate(prose.tasks, start=1):
            r = LogicalRow("task", p.cells, p.area_raw if area_code(p.area_raw) else None, p.group_raw, p.page,
                           n, f"prose-{p.shape}", -1)
            task = task_row(r, document)
            task["extractor"] = f"prose-{p.shape}"
            if task["area_code"] is None:
                task["area_code"] = _area_by_content(task)
                task["needs_review"] = task["area_code"] is None
            enrich_task(task, document, known, rows.issues)
            rows.tasks.append(task)
            if p.shape == "criteria" and task["objective"]:
                rows.targets += target_rows(task["objective"], document, origin=f"task:{task['task_id']}",
                                            task_id=task["task_id"], area_code=task["area_code"], page=p.page)
            if task["area_code"] is None:
                rows.issues.append(issue_row(document, "unknown_area", "no area heading and no PAR criterion close to "
                                          "the task's words: set the area by hand", task_id=task["task_id"],
                                          field="area_code", raw_value=task["task"], source_page=p.page))
    for k, (text, page, area) in enumerate(prose.target_passages):
        rows.targets += target_rows(text, document, origin=f"prose:{k}", area_code=area_code(area), page=page)


def _area_by_content(task: dict) -> int | None:
    """A prose task without an area heading: the area of the PAR criterion its words match."""
    hit = criterion_of(task, None)
    if not hit:
        return None
    return next((c.area_code for c in criteria() if c.code == hit[0]), None)
