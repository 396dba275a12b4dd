"""Plan identity: which input files hold the same plan, and which one of them counts.

Analysts hold the PDF, the DOCX, a text export and the signed scan of one plan; each is a
document row, but the plan must count once. Files belong to one plan when they share
province, agency and year and either name the plan alike (the same document number; with
the number blank, the same title and date) or carry the same table (row texts match in
order, OCR misreads tolerated). Two files named alike whose tables differ are kept apart
and reported (`plan_lookalike`): a silent merge would hide a second version.

Within a plan the primary file is the one a manifest `primary` column marks, else the best
read (status ok first) in the order DOCX, PDF, DOC, TXT, scan (a text layer before OCR).

`identify` works on document rows and one small `signature` per file, so it runs over a
batch of any size without the files' rows in memory; `stamp` puts plan_id on rows.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from normalizers.text import match_key

FORMAT_ORDER = ("docx", "pdf", "doc", "txt", "pdf-ocr")  # a text layer before a scan; Word first
STATUS_ORDER = ("ok", "partial", "failed")
TITLE_SIMILARITY = 90.0  # title keys this close name the same plan (an OCR'd title drops a letter)
ROW_SIMILARITY = 80.0  # two rows' texts this close are the same row
SAME_TABLE = 0.8  # share of rows matched in order for two files to carry the same table
WINDOW = 3  # rows either side of the expected position searched for a row's counterpart
ROW_KEY_CHARS = 160
TRUE_WORDS = {"1", "x", "yes", "y", "true", "co", "primary", "chinh"}  # accent-free manifest values meaning "yes"


@dataclass
class PlanResult:
    plan_of: dict[str, tuple[str, bool]] = field(default_factory=dict)  # doc_id -> (plan_id, is_primary)
    plans: dict[str, list[str]] = field(default_factory=dict)  # plan_id -> doc_ids, primary first
    issues: list[dict] = field(default_factory=list)


def signature(tasks: Iterable[dict], par_assignments: Iterable[dict] = ()) -> tuple[str, ...]:
    """The file's table as a sequence of short accent-free row keys (what two readings share)."""
    keys = [match_key(" ".join(filter(None, (t.get("task"), t.get("activity")))))[:ROW_KEY_CHARS] for t in tasks]
    keys += [match_key(f"{p.get('criterion_code') or ''} {p.get('criterion_name') or ''}")[:ROW_KEY_CHARS]
             for p in par_assignments]
    return tuple(k for k in keys if k)


def table_agreement(a: tuple[str, ...], b: tuple[str, ...]) -> float | None:
    """Share of rows of the longer table matched, in order, in the other; None when either has no rows.

    Each row is looked for within a few rows of where it would fall, so the cost is linear in
    the rows: two readings of one table keep the row order even when one drops or splits a row.
    """
    if not a or not b:
        return None
    if len(a) < len(b):
        a, b = b, a
    matched = 0
    for i, key in enumerate(a):
        j0 = round(i * len(b) / len(a))
        near = range(max(0, j0 - WINDOW), min(len(b), j0 + WINDOW + 1))
        if any(fuzz.ratio(key, b[j]) >= ROW_SIMILARITY for j in near):
            matched += 1
    return matched / len(a)


def is_marked_primary(value: str | None) -> bool:
    return match_key(value) in TRUE_WORDS


def _rank(doc: dict, marked: bool, has_rows: bool) -> tuple:
    """Sort key of a plan's files, the primary first: marked, read without errors, with rows (a DOCX whose
    table was not recognised must not hide the PDF's), then by format."""
    fmt = doc.get("source_format")
    return (not marked, STATUS_ORDER.index(doc["status"]) if doc.get("status") in STATUS_ORDER else len(STATUS_ORDER),
            not has_rows, FORMAT_ORDER.index(fmt) if fmt in FORMAT_ORDER else len(FORMAT_ORDER),
            doc.get("source_file") or "")


def _number_key(doc: dict) -> str:
    return match_key(doc.get("doc_number"))


def _named_alike(a: dict, b: dict) -> bool | None:
    """True: the same number, or no number and the same title and date. False: different numbers.
    None: nothing to tell them by (no number and different or missing titles)."""
    na, nb = _number_key(a), _number_key(b)
    if na and nb:
        return na == nb
    ta, tb = match_key(a.get("title")), match_key(b.get("title"))
    if ta and tb and fuzz.ratio(ta, tb) >= TITLE_SIMILARITY and a.get("doc_date") == b.get("doc_date"):
        return True
    return None


@dataclass
class _Plan:
    members: list[dict]
    rows: tuple[str, ...]  # the table of the first member that has one


def _plan_id(doc: dict, members: list[dict], taken: dict) -> str:
    """Readable and stable: province, year and a hash of what names the plan (its number, else title and date)."""
    number = next((_number_key(m) for m in members if _number_key(m)), "")
    what = f"number:{number}" if number else f"title:{match_key(doc.get('title'))}|{doc.get('doc_date')}"
    if not number and not match_key(doc.get("title")):
        what = f"doc:{doc['doc_id']}"  # nothing names the plan: the file itself does
    pid = _plan_id_of(doc, what)
    return _plan_id_of(doc, f"doc:{doc['doc_id']}") if pid in taken else pid  # a lookalike kept apart


def _plan_id_of(doc: dict, what: str) -> str:
    key = "|".join(str(v) for v in (doc.get("province_code"), match_key(doc.get("agency")), doc.get("plan_year"),
                                    what))
    return f"{doc.get('province_code') or 'VN-xx'}-{doc.get('plan_year') or 'xxxx'}-" \
           f"{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def identify(documents: list[dict], signatures: dict[str, tuple[str, ...]],
             marked_primary: set[str] = frozenset()) -> PlanResult:
    """Group documents into plans. `signatures`: doc_id -> signature(); `marked_primary`: doc_ids
    the manifest marks. Returns each document's plan and primary flag, and issue rows."""
    result = PlanResult()
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for d in documents:
        groups[(d.get("province_code"), match_key(d.get("agency")), d.get("plan_year"))].append(d)
    for (province, _, year), docs in sorted(groups.items(), key=lambda kv: str(kv[0])):
        located = province is not None and year is not None
        plans: list[_Plan] = []
        rank = {d["doc_id"]: _rank(d, d["doc_id"] in marked_primary, bool(signatures.get(d["doc_id"]))) for d in docs}
        for d in sorted(docs, key=lambda d: rank[d["doc_id"]]):
            rows = signatures.get(d["doc_id"], ())
            home = None
            for p in plans:
                names = [_named_alike(d, m) for m in p.members]
                if False in names:
                    continue  # a different document number: another plan, however alike the tables
                agreement = table_agreement(rows, p.rows)
                alike = True in names
                same_table = agreement is not None and agreement >= SAME_TABLE
                if alike and agreement is not None and not same_table:
                    result.issues.append(_lookalike_issue(d, p.members[0], agreement))
                    continue
                # with the province or year unknown, a title alone is too weak: the table must agree too
                if (alike and (located or same_table)) or (same_table and located):
                    home = p
                    break
            if home is None:
                plans.append(_Plan([d], rows))
            else:
                home.members.append(d)
                home.rows = home.rows or rows
        for p in plans:
            _settle(p.members, rank, marked_primary, result)
    return result


def _settle(members: list[dict], rank: dict[str, tuple], marked: set[str], result: PlanResult) -> None:
    members.sort(key=lambda d: rank[d["doc_id"]])
    primary = members[0]
    pid = _plan_id(primary, members, result.plans)
    flagged = [m for m in members if m["doc_id"] in marked]
    if len(flagged) > 1:
        result.issues.append({
            "doc_id": flagged[1]["doc_id"], "source_file": flagged[1]["source_file"], "severity": "warning",
            "code": "primary_conflict", "task_id": None, "field": "primary", "raw_value": None, "source_page": None,
            "message": f"the manifest marks {len(flagged)} files of one plan as primary; {primary['source_file']} "
                       "counts: leave 'primary' on one file of the plan only"})
    result.plans[pid] = [m["doc_id"] for m in members]
    for m in members:
        result.plan_of[m["doc_id"]] = (pid, m is primary)


def _lookalike_issue(doc: dict, other: dict, agreement: float) -> dict:
    how = f"number {doc['doc_number']}" if _number_key(doc) and _number_key(other) else "title and date"
    return {"doc_id": doc["doc_id"], "source_file": doc["source_file"], "severity": "warning",
            "code": "plan_lookalike", "task_id": None, "field": "plan_id", "raw_value": other["source_file"],
            "source_page": None,
            "message": f"same {how} as {other['source_file']} but only {agreement:.0%} of the table rows agree: "
                       "kept as a separate plan and both count; if one file is an older version, take it out "
                       "of the input"}


def stamp(rows: Iterable[dict], plan_of: dict[str, tuple[str, bool]]) -> None:
    """Set plan_id on rows that carry a doc_id (tasks, targets, par_assignments)."""
    for r in rows:
        r["plan_id"] = plan_of.get(r.get("doc_id"), (None, False))[0]


def assign_plans(results: list, manifest) -> list[dict]:
    """Plan identity for a batch of DocResults (documents and rows stamped in place); returns issue rows.
    A manifest row with a true `primary` (1, x, yes, có) marks its file as the plan's primary."""
    docs = [r.document for r in results if r.document]
    sigs = {r.document["doc_id"]: signature(r.tasks, r.par_assignments) for r in results if r.document}
    marked = {d["doc_id"] for d in docs if is_marked_primary(manifest.lookup(d["source_file"]).get("primary"))}
    found = identify(docs, sigs, marked)
    for r in results:
        if r.document:
            r.document["plan_id"], r.document["is_primary"] = found.plan_of[r.document["doc_id"]]
        for rows in (r.tasks, r.targets, r.par_assignments):
            stamp(rows, found.plan_of)
    return found.issues


def primary_doc_ids(documents: Iterable[dict]) -> set[str]:
    """doc_ids whose rows count; a document row without the flag (schema 1.0 output) counts."""
    return {d["doc_id"] for d in documents if d.get("is_primary", True) is not False}
