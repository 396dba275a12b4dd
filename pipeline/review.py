"""The review round trip: `cchc review DIR --xlsx FILE` writes the review queue as a workbook, one
row per field to check, with an empty "giá trị đúng" column; `cchc review import FILE --corrections
CORR.csv` appends what the analyst filled in to the corrections file that `cchc run --corrections`
reads."""
from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from normalizers.catalogs import read_table

from .corrections import REQUIRED, as_text
from .export import ExportError, _atomic_save, read_dataset

CORRECTION_COLUMNS = [*REQUIRED, "note", "who", "when"]
# issue field -> the column the analyst corrects (unit cells are corrected as ids, areas as codes)
TARGET_FIELD = {"lead_raw": "lead_units", "support_raw": "support_units", "responsible_raw": "responsible_units",
                "area_raw": "area_code"}
DOCUMENT_FIELDS = {"province", "province_code", "plan_year", "agency", "title", "doc_number", "doc_date"}
# workbook header -> what it holds; the three last columns tell the import which row and field it is
SHEET = "review"
HEADERS = ["tài liệu (document)", "trang (page)", "nhiệm vụ (task)", "trường (field)", "giá trị gốc (raw value)",
           "giá trị hiện tại (current value)", "việc cần làm (what to do)", "giá trị đúng", "ghi chú (note)",
           "người sửa (who)", "ngày sửa (when)", "dataset", "id", "code"]
VALUE, NOTE, WHO, WHEN, DATASET, ID, FIELD = 7, 8, 9, 10, 11, 12, 3


def review_rows(out: Path) -> list[list]:
    """One row per (dataset, id, field) the issues point at, in the review queue's order."""
    docs = {d["doc_id"]: d for d in read_dataset(out, "documents").to_pylist()}
    tasks = {t["task_id"]: t for t in read_dataset(out, "tasks").to_pylist()}
    par_by_doc: dict[str, list[dict]] = {}
    for p in read_dataset(out, "par_assignments").to_pylist():
        par_by_doc.setdefault(p["doc_id"], []).append(p)
    issues = read_dataset(out, "issues").to_pylist()
    rows, seen = [], set()
    for i in sorted(issues, key=lambda i: (i["severity"] != "error", i["source_file"] or "", i["code"])):
        if not i["field"] or i["code"] in {"orphan_correction", "invalid_correction"}:
            continue
        field = TARGET_FIELD.get(i["field"], i["field"])
        for dataset, rid, row in _rows_of(i, field, docs, tasks, par_by_doc):
            if (dataset, rid, field) in seen or field not in row:
                continue
            seen.add((dataset, rid, field))
            doc = docs.get(row.get("doc_id"), {})
            rows.append([doc.get("source_file") or i["source_file"], i["source_page"] or row.get("source_page"),
                         row.get("task") or row.get("criterion_name") or doc.get("title"), field,
                         i["raw_value"], as_text(row.get(field)), i["message"], None, None, None, None,
                         dataset, rid, i["code"]])
    return rows


def _rows_of(issue: dict, field: str, docs: dict, tasks: dict, par_by_doc: dict):
    if issue["task_id"] and issue["task_id"] in tasks:
        yield "tasks", issue["task_id"], tasks[issue["task_id"]]
    elif field == "responsible_units":
        for p in par_by_doc.get(issue["doc_id"], []):
            if p["criterion_code"] and p["responsible_raw"] == issue["raw_value"]:
                yield "par_assignments", f"{p['doc_id']}:{p['criterion_code']}", p
    elif field in DOCUMENT_FIELDS and issue["doc_id"] in docs:
        yield "documents", issue["doc_id"], docs[issue["doc_id"]]


def write_review(out: Path, xlsx: Path) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    rows = review_rows(out)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.cell(1, VALUE + 1).fill = PatternFill("solid", fgColor="FFF2CC")
    for r in rows:
        ws.append(r)
    for letter, width in zip("ABCDEFGHIJKLMN", (28, 7, 60, 16, 36, 30, 60, 30, 24, 12, 12, 14, 20, 18)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:N{len(rows) + 1}"
    _atomic_save(lambda p: wb.save(p), xlsx)
    return len(rows)


def filled_in(xlsx: Path) -> list[dict[str, str]]:
    """The corrections a review workbook holds: its rows with a "giá trị đúng"."""
    from openpyxl import load_workbook
    ws = load_workbook(xlsx, read_only=True, data_only=True)[SHEET]
    out = []
    for cells in ws.iter_rows(min_row=2, values_only=True):
        cells = list(cells) + [None] * (len(HEADERS) - len(cells))
        value = cells[VALUE]
        if value is None or str(value).strip() == "":
            continue
        out.append({"dataset": cells[DATASET], "id": cells[ID], "field": cells[FIELD], "value": _text(value),
                    "note": _text(cells[NOTE]), "who": _text(cells[WHO]), "when": _text(cells[WHEN])})
    return out


def _text(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "strftime"):
        return v.strftime("%d/%m/%Y")  # a date the analyst typed, as Excel stores it
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def import_review(xlsx: Path, corrections: Path) -> int:
    """Append the workbook's corrections to CORR (created when missing); lines already there stay once."""
    existing = read_table(corrections) if corrections.exists() else []
    rows = [{k: (r.get(k) or "") for k in CORRECTION_COLUMNS} for r in existing]
    have = {tuple(r[k] for k in CORRECTION_COLUMNS[:4]) for r in rows}
    added = 0
    for r in filled_in(xlsx):
        key = tuple(r[k] for k in CORRECTION_COLUMNS[:4])
        if key not in have:
            rows.append(r)
            have.add(key)
            added += 1
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CORRECTION_COLUMNS, lineterminator="\r\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    # UTF-8 with BOM: Excel opens it with the Vietnamese letters right
    _atomic_save(lambda p: Path(p).write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8")), corrections)
    return added


def add_parser(sub) -> None:
    p = sub.add_parser("review", help="the review queue as a workbook to fill in, and its import as corrections",
                       description="cchc review DIR --xlsx FILE | cchc review import FILE --corrections CORR.csv")
    p.add_argument("args", nargs="+", metavar="DIR | import FILE")
    p.add_argument("--xlsx", type=Path, metavar="FILE", help="where to write the review workbook")
    p.add_argument("--corrections", type=Path, metavar="CORR", help="corrections CSV to append to (import)")
    p.set_defaults(func=cmd_review)


def cmd_review(args: argparse.Namespace) -> int:
    try:
        if args.args[0] == "import":
            if len(args.args) != 2 or not args.corrections:
                print("usage: cchc review import FILE --corrections CORR.csv", file=sys.stderr)
                return 2
            n = import_review(Path(args.args[1]), args.corrections)
            print(f"added {n} corrections to {args.corrections} (use: cchc run ... --corrections {args.corrections})")
            return 0
        if len(args.args) != 1 or not args.xlsx:
            print("usage: cchc review DIR --xlsx FILE", file=sys.stderr)
            return 2
        n = write_review(Path(args.args[0]), args.xlsx)
    except (ExportError, OSError, KeyError) as exc:
        print(f"cchc review: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.xlsx}: {n} fields to check; fill in 'giá trị đúng', then cchc review import")
    return 0
