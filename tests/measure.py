"""Compare extracted rows with the hand-checked fixtures: rows found, spurious rows, cells equal."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from normalizers.text import fold_spaces

TASK_FIELDS = {"item_no": "item_no", "objective": "objective", "task": "task", "activity": "activity",
               "output": "output", "lead": "lead_raw", "support": "support_raw", "deadline": "deadline_raw",
               "budget": "budget_raw", "area_raw": "area_raw", "group_raw": "group_raw"}


def expected_task_rows(spec: dict) -> list[dict]:
    rows, area, group = [], None, None
    for block in spec["blocks"]:
        if "section" in block:
            area, group = block["section"], None
        elif "group" in block:
            group = block["group"]
        else:
            prev = None
            for i, values in enumerate(block["rows"]):
                cells = dict(zip(spec["row_fields"], values))
                for k, v in cells.items():
                    if v == "^":
                        cells[k] = prev[k]
                row = {"item_no": block["item"] if i == 0 else None, "objective": block["objective"],
                       "area_raw": area, "group_raw": group, "activity": None, "budget": None, **cells}
                rows.append(row)
                prev = row
    return rows


def expected_assignment_rows(spec: dict) -> list[dict]:
    rows, prev = [], None
    for code, name, resp, note in spec["rows"]:
        resp = prev if resp == "^" else resp
        rows.append({"criterion_code": code, "criterion_name": name, "responsible_raw": resp,
                     "survey_scored": note == "ĐTXHH", "note": None if note == "ĐTXHH" else note})
        prev = resp
    return rows


@dataclass
class Score:
    expected: int
    extracted: int
    matched: int
    cells_total: int
    cells_equal: int
    mismatches: list[tuple[str, str, str]]

    @property
    def row_recall(self) -> float:
        return self.matched / self.expected

    @property
    def spurious(self) -> int:
        return self.extracted - self.matched

    @property
    def cell_accuracy(self) -> float:
        return self.cells_equal / self.cells_total

    def line(self, label: str) -> str:
        return (f"{label}: rows {self.matched}/{self.expected} found ({self.row_recall:.1%}), "
                f"{self.spurious} spurious, cells {self.cells_equal}/{self.cells_total} equal "
                f"({self.cell_accuracy:.1%})")


def match_rows(expected: list[dict], actual: list[dict], fields: dict[str, str],
               key_fields: list[str]) -> dict[int, int]:
    """Expected row index -> extracted row index, aligned in order on the key fields."""
    def key(row: dict, names: list[str]) -> str:
        return " | ".join(fold_spaces(row.get(n))[:50] for n in names)

    exp_keys = [key(r, key_fields) for r in expected]
    act_keys = [key(r, [fields[f] for f in key_fields]) for r in actual]
    sm = difflib.SequenceMatcher(a=exp_keys, b=act_keys, autojunk=False)
    pairs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ("equal", "replace"):
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
    matched = {}
    for i, j in pairs:  # a 'replace' pair counts as found only if its row is recognisably the same
        ratio = difflib.SequenceMatcher(a=exp_keys[i], b=act_keys[j]).ratio()
        if ratio >= 0.6:
            matched[i] = j
    return matched


def score(expected: list[dict], actual: list[dict], fields: dict[str, str], key_fields: list[str]) -> Score:
    matched = match_rows(expected, actual, fields, key_fields)
    total = len(expected) * len(fields)
    equal, mismatches = 0, []
    for i, j in matched.items():
        for f, col in fields.items():
            a, b = (fold_spaces(v if isinstance(v, str) or v is None else str(v))
                    for v in (expected[i].get(f), actual[j].get(col)))
            if a == b:
                equal += 1
            else:
                mismatches.append((f, a[:80], b[:80]))
    return Score(len(expected), len(actual), len(matched), total, equal, mismatches)
