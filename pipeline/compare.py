"""The cross-province view: one row per indicator x province x year, the strictest target kept.

Only the plan's primary file counts: the PDF, DOCX and scan of one plan state its targets once."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .plans import primary_doc_ids

LOWER_IS_STRICTER = {"<="}
GROUP_KEYS = {  # --group-by: which province a target is counted under
    "issued": ("province_code", "province"),  # the province that issued the plan
    "2025": ("province_code_2025", "province_2025"),  # the unit of the 34-unit arrangement it is part of
}


def strictness(t: dict) -> float:
    v = t.get("value") or 0.0
    return -v if t.get("comparator") in LOWER_IS_STRICTER else v


def target_comparison(targets: Iterable[dict], documents: list[dict] | None = None, by: str = "issued") -> list[dict]:
    """Rows keyed by (indicator, province code, plan_year), the code being the issuing province's (`issued`)
    or that of the 2025 unit it is part of (`2025`: a 2024 Bình Phước plan beside a 2026 Đồng Nai one).
    `province`/`province_code` are those of the plan the strictest target comes from; with `by="2025"` the
    rows also list, in `issued_by`, every province whose plans they count. `documents` (with is_primary)
    restrict the targets to the files that count; None: all count.

    `targets` may be a stream: a group keeps its count, ids and the strictest target of each unit, never
    the targets themselves."""
    code_col = GROUP_KEYS[by][0]
    counted = primary_doc_ids(documents) if documents is not None else None
    groups: dict[tuple, _Group] = {}
    for t in targets:
        if counted is not None and t.get("doc_id") not in counted:
            continue
        if t.get("indicator") and t.get(code_col) and t.get("plan_year") is not None:
            key = (t["indicator"], t[code_col], t["plan_year"])
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group()
            group.add(t)
    rows = []
    for (indicator, _code, year), g in sorted(groups.items()):
        # values in different units do not compare: the strictest is taken among the most used unit
        unit = max(g.units, key=lambda u: (g.units[u], u == "%"))  # on a tie, rates compare across provinces
        best = g.best[unit]
        row = {"indicator": indicator, "province": best.get("province"), "province_code": best.get("province_code"),
               "province_2025": best.get("province_2025"), "province_code_2025": best.get("province_code_2025"),
               "plan_year": year, "comparator": best["comparator"], "value": best["value"],
               "value_max": best.get("value_max"), "unit": best.get("unit"), "n_mentions": len(g.ids),
               "target_ids": sorted(g.ids)}
        if by != "issued":
            row["issued_by"] = sorted(g.issuers)
        rows.append(row)
    return rows


class _Group:
    """What one comparison row needs of its targets."""

    __slots__ = ("units", "best", "ids", "issuers")

    def __init__(self):
        self.units: Counter = Counter()
        self.best: dict[str | None, dict] = {}  # unit -> its strictest target
        self.ids: list[str] = []
        self.issuers: set[str] = set()

    def add(self, t: dict) -> None:
        unit = t.get("unit")
        self.units[unit] += 1
        self.ids.append(t["target_id"])
        self.issuers.add(t.get("province") or t.get("province_code"))
        held = self.best.get(unit)
        if held is None or (strictness(t), t["target_id"]) > (strictness(held), held["target_id"]):
            self.best[unit] = t
