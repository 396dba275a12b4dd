"""The cross-province view: one row per indicator x province x year, the strictest target kept.

Only the plan's primary file counts: the PDF, DOCX and scan of one plan state its targets once."""
from __future__ import annotations

from collections import Counter, defaultdict

from .plans import primary_doc_ids

LOWER_IS_STRICTER = {"<="}


def strictness(t: dict) -> float:
    v = t.get("value") or 0.0
    return -v if t.get("comparator") in LOWER_IS_STRICTER else v


def target_comparison(targets: list[dict], documents: list[dict] | None = None) -> list[dict]:
    """`documents` (with is_primary) restrict the targets to the files that count; None: all count."""
    counted = primary_doc_ids(documents) if documents is not None else None
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for t in targets:
        if counted is not None and t.get("doc_id") not in counted:
            continue
        if t.get("indicator") and t.get("province_code") and t.get("plan_year") is not None:
            groups[(t["indicator"], t["province_code"], t["plan_year"])].append(t)
    rows = []
    for (indicator, code, year), ts in sorted(groups.items()):
        # values in different units do not compare: the strictest is taken among the most used unit
        units = Counter(t.get("unit") for t in ts)
        unit = max(units, key=lambda u: (units[u], u == "%"))  # on a tie, rates compare across provinces
        best = max((t for t in ts if t.get("unit") == unit), key=lambda t: (strictness(t), t["target_id"]))
        rows.append({"indicator": indicator, "province": best.get("province"), "province_code": code,
                     "plan_year": year, "comparator": best["comparator"], "value": best["value"],
                     "value_max": best.get("value_max"), "unit": best.get("unit"), "n_mentions": len(ts),
                     "target_ids": sorted(t["target_id"] for t in ts)})
    return rows
