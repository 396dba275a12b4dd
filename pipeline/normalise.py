"""Stage 'normalise': raw values -> ids and windows (unit ids, deadline kind and window, PAR area
and criterion), with a review-queue row for each value that could not be normalised, and for
each row OCR read with low confidence. Raw values are never changed."""
from __future__ import annotations

from extractors import SourceDocument
from extractors.appendix import LogicalRow
from extractors.ocr import LOW_CONFIDENCE
from normalizers.areas import area_code
from normalizers.par import criteria
from normalizers.units import units_in_text

from .enrich import criterion_of, enrich_task, issue_row, unit_ids
from .rows import Rows

COLUMN_OF_FIELD = {  # a table field -> the dataset column that holds it, where the names differ
    "task": {"lead": "lead_raw", "support": "support_raw", "deadline": "deadline_raw", "budget": "budget_raw"},
    "assignment": {"item_no": "criterion_code", "criterion": "criterion_name", "lead": "responsible_raw"},
}


def known_units(doc: SourceDocument, rows: Rows) -> set[str]:
    """Units the document names in full anywhere (prose or cells): resolves short names."""
    parts = [doc.text] + [v for r in [*rows.logical.values(), *rows.assignment_rows] for v in r.cells.values() if v]
    return units_in_text("\n".join(parts))


def normalise(rows: Rows, doc: SourceDocument, document: dict) -> None:
    """Stage entry point: fill the normalised columns of every task and criteria row in place."""
    known = known_units(doc, rows)
    for a, r in zip(rows.par_assignments, rows.assignment_rows):
        a["responsible_units"], _ = unit_ids(a["responsible_raw"], known, document, rows.issues,
                                             field="responsible_raw", page=r.page)
        flag_low_confidence(r, document, rows.issues)
    by_code = {c.code: c for c in criteria()}
    for task in rows.tasks:
        r = rows.logical[task["task_id"]]
        coded = by_code.get(rows.criterion_codes.get(task["task_id"]))
        if task["extractor"].startswith("prose-") and (coded or task["area_code"] is None):
            # a criterion's code names its area; else the area the task's own words or closest criterion say
            task["area_code"] = coded.area_code if coded else area_by_content(task)
            task["needs_review"] = task["area_code"] is None
        parts = (r.cells.get("start"), r.cells.get("deadline")) if r.cells.get("start") else None
        enrich_task(task, document, known, rows.issues, deadline_parts=parts)
        if coded:
            task["par_criterion"] = coded.code
        task["needs_review"] |= flag_low_confidence(r, document, rows.issues, task["task_id"])


def flag_low_confidence(r: LogicalRow, document: dict, issues: list[dict], task_id: str | None = None) -> bool:
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


def area_by_content(task: dict) -> int | None:
    """A prose task without an area heading: the area its own name says ("Rà soát văn bản QPPL"), else the
    area of the PAR criterion its words match."""
    named = area_code(task["task"])
    if named:
        return named
    hit = criterion_of(task, None)
    if not hit:
        return None
    return next((c.area_code for c in criteria() if c.code == hit[0]), None)
