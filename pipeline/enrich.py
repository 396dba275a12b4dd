"""Fill the normalised fields of a task row (unit ids, deadline window, PAR criterion) and
report what could not be normalised as review-queue rows. Raw values are never changed."""
from __future__ import annotations

import hashlib

from normalizers.deadline_span import parse_span
from normalizers.deadlines import parse_deadline
from normalizers.par import match_criterion
from normalizers.targets import find_targets
from normalizers.units import match_units

from .ids import target_id


def issue_row(document: dict, code: str, message: str, severity: str = "warning", **kw) -> dict:
    """An issues row about one document."""
    row = {"doc_id": document["doc_id"], "source_file": document["source_file"], "severity": severity,
           "code": code, "message": message, "task_id": None, "field": None, "raw_value": None,
           "source_page": None}
    row.update(kw)
    return row


def unit_ids(raw: str | None, known: set[str], document: dict, issues: list[dict], *, field: str,
             task_id: str | None = None, page: int | None = None) -> tuple[list[str], bool]:
    """Ids of a unit cell; (ids, needs_review). Unmatched mentions become unknown_unit issues."""
    found = match_units(raw, known, document.get("agency"))
    for mention in found.unmatched:
        issues.append(issue_row(document, "unknown_unit", f"unit {mention!r} matches no unit of "
                             f"{document.get('agency') or 'an unknown agency'}: add it (or an alias) to a units.csv "
                             "of your own catalogs (--catalogs; `cchc catalog suggest` drafts one), or the phrase "
                             "to unit_noise.csv if it is not a unit",
                             task_id=task_id, field=field, raw_value=raw, source_page=page))
    return found.ids, bool(found.unmatched)


def enrich_task(task: dict, document: dict, known_units: set[str], issues: list[dict],
                deadline_parts: tuple[str | None, str | None] | None = None) -> None:
    """Fill unit ids, deadline kind and window and the PAR criterion; `deadline_parts` are the
    (start, end) cells of a deadline split in two columns."""
    review = task["needs_review"]
    for col, ids_col in (("lead_raw", "lead_units"), ("support_raw", "support_units")):
        ids, unsure = unit_ids(task[col], known_units, document, issues, field=col, task_id=task["task_id"],
                               page=task["source_page"])
        task[ids_col] = ids
        review = review or unsure
    if task["deadline_raw"]:
        d = parse_span(*deadline_parts, task["plan_year"]) if deadline_parts else \
            parse_deadline(task["deadline_raw"], task["plan_year"])
        task.update(deadline_kind=d.kind, due_start=d.due_start, due_end=d.due_end, deadline_ref=d.ref)
        if d.kind == "unknown":
            review = True
            why = f" ({d.problem})" if d.problem else ""
            issues.append(issue_row(document, "unparsed_deadline", f"deadline not understood{why}: check the cell; "
                                 "deadline_kind is 'unknown' and the raw text is kept", task_id=task["task_id"],
                                 field="deadline_raw", raw_value=task["deadline_raw"],
                                 source_page=task["source_page"]))
    hit = criterion_of(task, task["area_code"])
    task["par_criterion"] = hit[0] if hit else None
    task["needs_review"] = review


def target_rows(text: str | None, document: dict, *, origin: str, task_id: str | None = None,
                area_code: int | None = None, page: int | None = None, source_field: str = "prose") -> list[dict]:
    """targets rows for every number a passage states (catalog indicator or null)."""
    rows = []
    anchor = text or "" if origin.startswith("prose:") else origin  # a passage is known by its words
    for hit in find_targets(text, document["plan_year"]):
        statement = (hit.indicator_raw, hit.comparator, hit.value, hit.value_max, hit.unit)
        rows.append({
            "target_id": target_id(document["doc_id"], anchor, statement),
            "doc_id": document["doc_id"], "task_id": task_id, "province": document["province"],
            "province_code": document["province_code"], "province_2025": document.get("province_2025"),
            "province_code_2025": document.get("province_code_2025"), "plan_year": document["plan_year"],
            "area_code": area_code, "indicator": hit.indicator, "indicator_raw": hit.indicator_raw,
            "comparator": hit.comparator, "value": hit.value, "value_max": hit.value_max, "unit": hit.unit,
            "baseline_value": hit.baseline_value, "baseline_year": hit.baseline_year, "source_page": page,
            "source_field": source_field,
        })
    return rows


def stable_id(*parts) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def criterion_of(task: dict, area: int | None) -> tuple[str, float] | None:
    """The task's own words first (a criterion plan names the criterion), then with its context."""
    hit = match_criterion(task["task"], area)
    if hit is None:
        text = " ".join(v for v in (task["task"], task["activity"], task["objective"]) if v)
        hit = match_criterion(text, area)
    return hit
