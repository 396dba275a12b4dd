"""The analyst's corrections, applied to the rows of every run (cached documents included).

A corrections file is a CSV (as Excel saves it) with columns dataset, id, field, value and
optional note, who, when. Each line sets one field of one row: `tasks` by task_id, `targets` by
target_id, `documents` by doc_id, `par_assignments` by `doc_id:criterion_code`. Values are typed
by the schema (lists as "SCT.VP; SCT.TTRA", dates as 31/12/2024 or 2024-12-31, numbers with a
decimal comma) and codes are checked against the catalogs. The last line for a field wins.

What follows from a corrected value is derived again unless it is corrected too: a deadline_raw
gives kind, window and reference; a lead_raw / support_raw gives unit ids; an area_raw gives the
area code; a document's province, plan year or agency go to every row of the document. Comparisons
and bridge datasets are built afterwards from the corrected rows.

A line whose row or field no longer exists is an `orphan_correction` (warning; the line stays in
the file and shows in the `corrections` dataset); a value of the wrong type or an unknown code is
an `invalid_correction` and is not applied.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from normalizers.catalogs import read_table
from normalizers.text import clean_inline

from .schema import DATASETS, conform

REQUIRED = ("dataset", "id", "field", "value")
KEYS = {"tasks": "task_id", "targets": "target_id", "documents": "doc_id", "par_assignments": None}
NOT_CORRECTABLE = {"task_id", "target_id", "doc_id", "corrected_fields", "schema_version", "pipeline_version",
                   "source_file", "source_format", "extractor", "source_row", "criterion_code"}
DOCUMENT_FIELDS = ("province", "province_code", "plan_year", "agency")  # copied onto every row of a document
TRUE, FALSE = {"true", "1", "yes", "y", "x", "có", "co", "đúng"}, {"false", "0", "no", "n", "không", "khong", "sai"}
LIST_SPLIT = re.compile(r"\s*[;\n]\s*")
CORRECTIONS_SOURCE = "corrections"
ORPHAN, INVALID = CORRECTION_CODES = ("orphan_correction", "invalid_correction")


class CorrectionsError(ValueError):
    """The corrections file cannot be used at all (missing, unreadable, wrong columns)."""


@dataclass
class Correction:
    line: int
    dataset: str
    id: str
    field: str
    value: str
    note: str | None = None
    who: str | None = None
    when: str | None = None


@dataclass
class Applied:
    results: list  # DocResult copies with corrected rows (and one holding the corrections' issues)
    table: pa.Table  # the `corrections` dataset
    counts: dict[str, int] = field(default_factory=dict)


def load(path: Path | None) -> list[Correction]:
    if path is None:
        return []
    try:
        rows = read_table(Path(path))
    except OSError as exc:
        raise CorrectionsError(f"cannot read the corrections file {path}: {exc.strerror or exc}") from exc
    if rows and not set(REQUIRED) <= set(rows[0]):
        raise CorrectionsError(f"{path}: the corrections file needs the columns {', '.join(REQUIRED)} "
                               f"(it has {', '.join(str(k) for k in rows[0] if k)})")
    return [Correction(n, (r.get("dataset") or "").strip().lower(), (r.get("id") or "").strip(),
                       (r.get("field") or "").strip(), r.get("value") or "", r.get("note") or None,
                       r.get("who") or None, r.get("when") or None)
            for n, r in enumerate(rows, start=2)]


def file_digest(path: Path | None) -> str | None:
    """Changes when the corrections file changes: a re-run then rewrites the output."""
    if path is None:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return None


# --- values -----------------------------------------------------------------------------------------

class Invalid(ValueError):
    pass


def _date(text: str) -> dt.date:
    t = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", t)
    if m:
        y, mo, d = map(int, m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", t)
        if not m:
            raise Invalid(f"{text!r} is not a date (write 31/12/2024 or 2024-12-31)")
        d, mo, y = map(int, m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError as exc:
        raise Invalid(f"{text!r} is not a date ({exc})") from exc


def _number(text: str) -> float:
    t = text.strip().replace("%", "").replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", t):  # 1.234,5
        t = t.replace(".", "")
    try:
        return float(t.replace(",", "."))
    except ValueError as exc:
        raise Invalid(f"{text!r} is not a number") from exc


def _int(text: str) -> int:
    v = _number(text)
    if v != int(v):
        raise Invalid(f"{text!r} is not a whole number")
    return int(v)


@lru_cache(maxsize=1)
def _codes() -> dict[str, frozenset[str]]:
    """Allowed values of the coded fields, from the contract and the catalogs."""
    from normalizers import catalogs
    return {
        "deadline_kind": frozenset({"by_date", "period", "continuous", "conditional", "scheduled", "unknown"}),
        "comparator": frozenset({">=", "<=", "=", "range", "increase_by", "decrease_by"}),
        "unit": frozenset({"%", "count", "minutes", "percentage_points"}),
        "status": frozenset({"ok", "partial", "failed"}),
        "indicator": frozenset(r["indicator"] for r in catalogs.rows("indicators.csv")),
        "par_criterion": frozenset(r["criterion_code"] for r in catalogs.rows("par_criteria.csv")),
        "province_code": frozenset(r["province_code"] for r in catalogs.rows("provinces.csv")),
        "area_code": frozenset(str(n) for n in range(1, 9)),
        "level": frozenset({"1", "2", "3"}),
    }


def unit_ids_known(agency: str | None) -> frozenset[str]:
    from normalizers.unit_catalog import agency_prefix, all_units, scope
    ids = {u.unit_id for u in all_units()}
    return frozenset(ids | set(scope(agency_prefix(agency)).units))


def typed(dataset: str, column: str, text: str, row: dict | None = None):
    """The value of a correction as the column's type; Invalid when it is not one."""
    typ = DATASETS[dataset].schema.field(column).type
    text = clean_inline(text) if not pa.types.is_list(typ) else text
    if text.strip() == "" and not pa.types.is_list(typ):
        return None  # an empty value clears the field
    codes = _codes().get(column)
    if pa.types.is_list(typ):
        items = [clean_inline(v) for v in LIST_SPLIT.split(text.strip()) if v.strip()]
        if column.endswith("_units"):
            known = unit_ids_known((row or {}).get("agency"))
            bad = [v for v in items if v not in known]
            if bad:
                raise Invalid(f"unit ids not in the catalog: {', '.join(bad)} (see `cchc catalog check`, or add "
                              "them with --catalogs)")
        return items
    if pa.types.is_boolean(typ):
        low = text.strip().lower()
        if low not in TRUE | FALSE:
            raise Invalid(f"{text!r} is not true or false")
        return low in TRUE
    if pa.types.is_integer(typ):
        value = _int(text)
        if codes and str(value) not in codes:
            raise Invalid(f"{column} {value} is not one of {', '.join(sorted(codes))}")
        return value
    if pa.types.is_floating(typ):
        return _number(text)
    if pa.types.is_date(typ):
        return _date(text)
    if codes and text not in codes:
        raise Invalid(f"{text!r} is not a known {column} code")
    return text


def as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- derived values ---------------------------------------------------------------------------------

def _derive_task(row: dict, changed: set[str], fixed: set[str]) -> None:
    """Re-derive what follows from corrected raw cells, unless the derived column is corrected too."""
    if "deadline_raw" in changed and not fixed & {"deadline_kind", "due_start", "due_end", "deadline_ref"}:
        from normalizers.deadlines import parse_deadline
        if row.get("deadline_raw"):
            d = parse_deadline(row["deadline_raw"], row.get("plan_year"))
            row.update(deadline_kind=d.kind, due_start=d.due_start, due_end=d.due_end, deadline_ref=d.ref)
        else:
            row.update(deadline_kind=None, due_start=None, due_end=None, deadline_ref=None)
    for raw, ids in (("lead_raw", "lead_units"), ("support_raw", "support_units")):
        if raw in changed and ids not in fixed:
            from normalizers.units import match_units
            row[ids] = match_units(row.get(raw), agency=row.get("agency")).ids
    if "area_raw" in changed and "area_code" not in fixed:
        from normalizers.areas import area_code
        row["area_code"] = area_code(row.get("area_raw"))


def _derive_document(row: dict, changed: set[str], fixed: set[str]) -> None:
    if "province" in changed and "province_code" not in fixed:
        from normalizers.provinces import lookup_province
        p = lookup_province(row.get("province") or "")
        if p:
            row["province"], row["province_code"] = p.name, p.code


# --- applying ---------------------------------------------------------------------------------------

class Corrector:
    """The corrections file applied to one document at a time, as the run streams them (cached ones
    included); what matched nothing is known, and reported, once every document has passed."""

    def __init__(self, path: Path | None):
        self.path = path
        self.corrections = load(path)
        self.last = {(c.dataset, c.id, c.field): c.line for c in self.corrections}
        self.records = {c.line: {"dataset": c.dataset, "id": c.id, "field": c.field, "extracted_value": None,
                                 "corrected_value": c.value, "note": c.note, "applied": False, "doc_id": None,
                                 "corrected_by": c.who, "corrected_on": c.when, "problem": None, "line": c.line}
                        for c in self.corrections}
        self.found: set[int] = set()  # lines whose row some document has
        self._issues: list[dict] = []

    def apply(self, res):
        """A corrected copy of one document's result (the result itself when nothing applies)."""
        if not self.corrections:
            return res
        index = _index([res])
        hits = [c for c in self.corrections if (c.dataset, c.id) in index]
        if not hits:
            return res
        res = replace(res, tasks=[dict(t) for t in res.tasks], targets=[dict(t) for t in res.targets],
                      par_assignments=[dict(p) for p in res.par_assignments],
                      document=dict(res.document) if res.document else None)
        index = _index([res])
        per_row: dict[int, tuple[str, dict, set[str]]] = {}  # id(row) -> (dataset, row, corrected columns)
        for c in hits:
            self.found.add(c.line)
            rec = self.records[c.line]
            rows = index[(c.dataset, c.id)]
            rec["doc_id"] = rows[0]["doc_id"]
            problem, code = _check(c, rows)
            if code is None and self.last[(c.dataset, c.id, c.field)] != c.line:
                problem = f"superseded by line {self.last[(c.dataset, c.id, c.field)]}"
            elif code is None:
                try:
                    values = [typed(c.dataset, c.field, c.value, r) for r in rows]
                except Invalid as exc:
                    problem, code = str(exc), INVALID
            if code or problem:
                rec["problem"] = problem
                if code:
                    self._issues.append(_issue(str(self.path), c, code, problem, rec["doc_id"]))
                continue
            rec["extracted_value"] = as_text(rows[0].get(c.field))
            rec["applied"] = True
            for r, v in zip(rows, values):
                r[c.field] = v
                per_row.setdefault(id(r), (c.dataset, r, set()))[2].add(c.field)
        fixed_by_row = {k: v[2] for k, v in per_row.items()}
        for dataset, row, cols in per_row.values():
            if dataset == "tasks":
                _derive_task(row, cols, cols)
            elif dataset == "documents":
                _derive_document(row, cols, cols)
                for f in DOCUMENT_FIELDS:
                    _spread([res], row["doc_id"], f, fixed_by_row)
            row["corrected_fields"] = sorted(cols)
        return res

    def issues(self) -> list[dict]:
        """Every problem found, the corrections whose rows no document had included (call at the end)."""
        out = list(self._issues)
        for c in self.corrections:
            if c.line not in self.found:
                problem, code = _check(c, [])
                self.records[c.line]["problem"] = problem
                out.append(_issue(str(self.path), c, code, problem, None))
        return out

    def table(self) -> pa.Table:
        """The `corrections` dataset, one row per line of the file."""
        return conform("corrections", [self.records[c.line] for c in self.corrections])

    def counts(self) -> dict[str, int]:
        records = self.records.values()
        return {"applied": sum(r["applied"] for r in records),
                "orphaned": sum(1 for c in self.corrections if c.line not in self.found),
                "invalid": sum(1 for i in self._issues if i["code"] == INVALID)}


def apply(results: list, path: Path | None) -> Applied:
    """Corrected copies of the documents' rows, the `corrections` dataset and the issues it raises."""
    corrector = Corrector(path)
    out = [corrector.apply(r) for r in results]
    issues = corrector.issues()
    if issues:
        from .run import DocResult
        out.append(DocResult(None, issues=issues))
    return Applied(out, corrector.table(), corrector.counts())


def _index(results: list) -> dict[tuple[str, str], list[dict]]:
    index: dict[tuple[str, str], list[dict]] = {}
    for r in results:
        if r.document:
            index.setdefault(("documents", r.document["doc_id"]), []).append(r.document)
        for t in r.tasks:
            index.setdefault(("tasks", t["task_id"]), []).append(t)
        for t in r.targets:
            index.setdefault(("targets", t["target_id"]), []).append(t)
        for p in r.par_assignments:
            if p.get("criterion_code"):
                index.setdefault(("par_assignments", f"{p['doc_id']}:{p['criterion_code']}"), []).append(p)
    return index


def _check(c: Correction, rows: list[dict]) -> tuple[str | None, str | None]:
    if c.dataset not in KEYS:
        return f"dataset {c.dataset!r} cannot be corrected (use {', '.join(KEYS)})", INVALID
    if not c.id or not c.field:
        return "the line has no id or no field", INVALID
    names = DATASETS[c.dataset].schema.names
    if c.field in NOT_CORRECTABLE:
        return f"{c.field} identifies the row and cannot be corrected", INVALID
    if not rows:
        return f"no {c.dataset} row has the id {c.id} any more", ORPHAN
    if c.field not in names:
        return f"{c.dataset} has no column {c.field!r} any more", ORPHAN
    return None, None


def _spread(results: list, doc_id: str, column: str, fixed: dict[int, set[str]] | None = None) -> None:
    """A document's corrected province/year/agency on every row of that document."""
    doc = next((r.document for r in results if r.document and r.document["doc_id"] == doc_id), None)
    if doc is None:
        return
    for r in results:
        if not r.document or r.document["doc_id"] != doc_id:
            continue
        for row in (*r.tasks, *r.targets, *r.par_assignments):
            if column in row and column not in (fixed or {}).get(id(row), set()):
                row[column] = doc[column]


def _issue(source: str, c: Correction, code: str, problem: str, doc_id: str | None) -> dict:
    if code == ORPHAN:
        message = (f"correction on line {c.line} ({c.dataset} {c.id}, {c.field}) found nothing to correct: "
                   f"{problem}. The line is kept; check the id in the new output or delete the line")
        severity = "warning"
    else:
        message = f"correction on line {c.line} not applied: {problem}. Fix the value in the corrections file"
        severity = "error"
    return {"doc_id": doc_id, "source_file": source, "severity": severity, "code": code, "message": message,
            "task_id": c.id if c.dataset == "tasks" else None, "field": c.field, "raw_value": c.value,
            "source_page": None}
