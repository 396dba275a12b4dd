"""Score what cchc reads from the layout corpus against the hand-checked specs.

    .venv/bin/python tests/layouts/measure_layouts.py [FILE ...] [--no-scans] [-v] [--json OUT]

Each rendered document (tests/fixtures/layouts/docs/, or the FILEs named) goes through
`pipeline.run.process_file`; its task rows are aligned with the spec's rows the way
tests/measure.py aligns the seeds (`match_rows`: in order, on task | output | lead). Printed per
document, then per layout property:

- rows: spec rows found / expected; `spurious`: table rows matching none; prose-made tasks
  (extractor `prose-*`) are counted apart, not as spurious;
- cells: cells equal to the spec (space-folded) over the found rows; a field the table splits
  over two columns (Bắt đầu | Hoàn thành, Nguồn | Số tiền) counts as equal when the extracted
  value holds each part in order;
- area, lead, support (unit-id lists, in order), kind (deadline_kind), window (kind, due_start,
  due_end; a spec row may accept a documented alternative reading), unknown (rows naming a body
  outside the catalog that got an `unknown_unit` issue);
- targets: distinct (indicator, comparator, value, value_max) statements found / expected, and
  how many of the document's targets match none (precision); `mapped` counts only those with a
  catalog indicator;
- meta: province_code, plan_year, agency, doc_number, doc_date (and province_code_2025 once the
  pipeline writes it) equal to the spec.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from layout_spec import DOCS, ROOT, expected_rows, expected_targets, fold, renders  # noqa: E402
from measure import match_rows  # noqa: E402

CELL_FIELDS = {"item_no": "item_no", "objective": "objective", "task": "task", "activity": "activity",
               "output": "output", "lead": "lead_raw", "support": "support_raw", "deadline": "deadline_raw",
               "budget": "budget_raw", "area_raw": "area_raw", "group_raw": "group_raw"}
KEY_FIELDS = ["task", "output", "lead"]


@dataclass
class DocScore:
    file: str
    layouts: list[str]
    rows_expected: int = 0
    rows_found: int = 0
    spurious: int = 0
    prose_tasks: int = 0
    cells_total: int = 0
    cells_equal: int = 0
    fields: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, counted]
    targets_expected: int = 0
    targets_found: int = 0
    targets_extracted: int = 0
    targets_unmatched: int = 0
    mapped_expected: int = 0
    mapped_found: int = 0
    mapped_unmatched: int = 0
    meta: list[int] = field(default_factory=lambda: [0, 0])
    seconds: float = 0.0
    mismatches: list[str] = field(default_factory=list)

    def count(self, name: str, ok: bool) -> None:
        right, n = self.fields.setdefault(name, [0, 0])
        self.fields[name] = [right + bool(ok), n + 1]

    def line(self) -> str:
        def pct(name: str) -> str:
            right, n = self.fields.get(name, [0, 0])
            return f"{name} {right}/{n}" if n else f"{name} -"
        cells = f"{self.cells_equal / self.cells_total:.0%}" if self.cells_total else "-"
        return (f"{self.file} [{', '.join(self.layouts)}]: rows {self.rows_found}/{self.rows_expected} "
                f"(+{self.spurious} spurious, {self.prose_tasks} prose), cells {cells}, "
                + ", ".join(pct(n) for n in ("area", "lead", "support", "unknown", "kind", "window"))
                + f"; targets {self.targets_found}/{self.targets_expected} found, {self.targets_unmatched} of "
                f"{self.targets_extracted} unmatched (mapped {self.mapped_found}/{self.mapped_expected}, "
                f"{self.mapped_unmatched} unmatched); meta {self.meta[0]}/{self.meta[1]}; {self.seconds:.1f}s")


def target_key(t: dict) -> tuple:
    vmax = t.get("value_max")
    return (t.get("indicator"), t.get("comparator"), float(t["value"]) if t.get("value") is not None else None,
            float(vmax) if vmax is not None else None)


def cell_equal(expected, actual) -> bool:
    if isinstance(expected, list):  # a field split over two columns: every part, in order
        text, at = fold(actual), 0
        for part in expected:
            at = text.find(fold(part), at)
            if at < 0:
                return False
            at += len(fold(part))
        return bool(expected) or not text
    return fold(expected) == fold(actual if isinstance(actual, str) or actual is None else str(actual))


def iso(d) -> str | None:
    return None if d is None else str(d)[:10]


def score_document(spec: dict, render: dict, result, seconds: float = 0.0) -> DocScore:
    """Compare one process_file result with its spec."""
    s = DocScore(render["file"], render.get("layouts", []), seconds=seconds)
    expected = expected_rows(spec)
    table = [t for t in result.tasks if not str(t.get("extractor") or "").startswith("prose-")]
    s.prose_tasks = len(result.tasks) - len(table)
    keyed = [{f: (r[f] if isinstance(r[f], str) or r[f] is None else " ".join(r[f])) for f in KEY_FIELDS}
             for r in expected]
    pairs = match_rows(keyed, table, CELL_FIELDS, KEY_FIELDS)
    s.rows_expected, s.rows_found, s.spurious = len(expected), len(pairs), len(table) - len(pairs)
    unknown_tasks = {i["task_id"] for i in result.issues if i.get("code") == "unknown_unit" and i.get("task_id")}
    for i, j in sorted(pairs.items()):
        e, a, x = expected[i], table[j], expected[i]["expect"]
        for f, col in CELL_FIELDS.items():
            ok = cell_equal(e[f], a.get(col))
            s.cells_total += 1
            s.cells_equal += ok
            if not ok:
                s.mismatches.append(f"  cell {f}: {fold(str(e[f]))[:60]!r} != {fold(str(a.get(col)))[:60]!r}")
        s.count("area", a.get("area_code") == x["area_code"])
        for role in ("lead", "support"):
            got = list(a.get(f"{role}_units") or [])
            s.count(role, got == x[f"{role}_units"])
            if got != x[f"{role}_units"]:
                s.mismatches.append(f"  {role}: {e[role]!r} -> {got} (want {x[f'{role}_units']})")
        if x["unknown"]:
            s.count("unknown", a.get("task_id") in unknown_tasks)
        s.count("kind", a.get("deadline_kind") == x["deadline_kind"])
        window = (a.get("deadline_kind"), iso(a.get("due_start")), iso(a.get("due_end")))
        ok = window == (x["deadline_kind"], x["due_start"], x["due_end"]) or window in x["accept_deadline"]
        s.count("window", ok)
        if not ok:
            s.mismatches.append(f"  deadline {e['deadline']!r}: {window} (want {x['deadline_kind']}, "
                                f"{x['due_start']}, {x['due_end']})")
    want = {target_key(t) for t in expected_targets(spec)}
    got = {target_key(t) for t in result.targets}
    s.targets_expected, s.targets_found = len(want), len(want & got)
    s.targets_extracted, s.targets_unmatched = len(got), len(got - want)
    mapped_want, mapped_got = {k for k in want if k[0]}, {k for k in got if k[0]}
    s.mapped_expected, s.mapped_found = len(mapped_want), len(mapped_want & mapped_got)
    s.mapped_unmatched = len(mapped_got - mapped_want)
    s.mismatches += [f"  target missed {k}" for k in sorted(want - got, key=str)]
    s.mismatches += [f"  target unmatched {k}" for k in sorted(got - want, key=str)]
    doc = result.document or {}
    for key in ("province_code", "plan_year", "agency", "doc_number", "doc_date", "province_code_2025"):
        if key == "province_code_2025" and key not in doc:
            continue  # a schema 1.1 column: scored once the pipeline writes it
        have = iso(doc.get(key)) if key == "doc_date" else doc.get(key)
        s.meta[0] += have == spec[key]
        s.meta[1] += 1
        if have != spec[key]:
            s.mismatches.append(f"  meta {key}: {have!r} (want {spec[key]!r})")
    return s


def measure_file(spec: dict, render: dict) -> DocScore:
    from pipeline.manifest import load_manifest
    from pipeline.run import process_file

    path = DOCS / render["file"]
    t0 = time.perf_counter()
    result = process_file(path, str(path.relative_to(ROOT)), load_manifest(None))
    return score_document(spec, render, result, time.perf_counter() - t0)


def by_layout(scores: list[DocScore]) -> list[str]:
    """One line per layout property: the sums over the documents that have it."""
    groups: dict[str, list[DocScore]] = defaultdict(list)
    for s in scores:
        for lay in s.layouts:
            groups[lay].append(s)
    lines = []
    for lay, docs in sorted(groups.items()):
        rows = sum(d.rows_found for d in docs), sum(d.rows_expected for d in docs)
        cells = sum(d.cells_equal for d in docs), sum(d.cells_total for d in docs)
        tg = sum(d.targets_found for d in docs), sum(d.targets_expected for d in docs)
        parts = [f"rows {rows[0]}/{rows[1]}", f"cells {cells[0] / cells[1]:.0%}" if cells[1] else "cells -"]
        for name in ("area", "lead", "support", "window"):
            r, n = sum(d.fields.get(name, [0, 0])[0] for d in docs), sum(d.fields.get(name, [0, 0])[1] for d in docs)
            parts.append(f"{name} {r / n:.0%}" if n else f"{name} -")
        parts.append(f"targets {tg[0]}/{tg[1]}")
        lines.append(f"{lay} ({len(docs)} files): " + ", ".join(parts))
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", help="rendered files (names in docs/); default all")
    ap.add_argument("--no-scans", action="store_true", help="skip the scans (OCR takes ~2 s a page)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every mismatch")
    ap.add_argument("--json", type=Path, help="write the scores as JSON")
    args = ap.parse_args()
    wanted = {Path(f).name for f in args.files}
    scores = []
    for spec, render in renders():
        if (wanted and render["file"] not in wanted) or (args.no_scans and render["kind"] == "scan"):
            continue
        s = measure_file(spec, render)
        scores.append(s)
        print(s.line(), flush=True)
        if args.verbose:
            print("\n".join(s.mismatches))
    print()
    print("\n".join(by_layout(scores)))
    if args.json:
        args.json.write_text(json.dumps([asdict(s) for s in scores], ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
