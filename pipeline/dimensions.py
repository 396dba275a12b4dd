"""Names beside codes: the dimension datasets (units, indicators, areas, criteria) built from the
catalogs through the normalisers' own loaders, and the task_units bridge, one row per unit of a
task's lead or support cell, which BI tools join more easily than list columns.

English names (and each indicator's usual unit) are in pipeline/data/names_en.csv; a catalog
row without one gets null there, never a made-up name.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from normalizers.areas import area_names
from normalizers.par import criteria
from normalizers.targets import indicator_labels
from normalizers.unit_catalog import all_units

NAMES_EN = Path(__file__).with_name("data") / "names_en.csv"


@lru_cache(maxsize=1)
def names_en() -> dict[tuple[str, str], tuple[str, str | None]]:
    """(dataset, id) -> (English name, unit)."""
    with open(NAMES_EN, encoding="utf-8") as fh:
        return {(r["dataset"], r["id"]): (r["name_en"].strip() or None, (r.get("unit") or "").strip() or None)
                for r in csv.DictReader(fh)}


def _en(dataset: str, key) -> tuple[str | None, str | None]:
    return names_en().get((dataset, str(key)), (None, None))


def unit_rows() -> list[dict]:
    return [{"unit_id": u.unit_id, "agency_prefix": u.prefix, "name": u.name, "name_en": _en("units", u.unit_id)[0],
             "aliases": list(u.aliases)} for u in all_units()]


def indicator_rows() -> list[dict]:
    return [{"indicator": key, "name": name, "name_en": _en("indicators", key)[0], "unit": _en("indicators", key)[1]}
            for key, name in indicator_labels().items()]


def area_rows() -> list[dict]:
    return [{"area_code": code, "name": name, "name_en": _en("areas", code)[0]}
            for code, name in sorted(area_names().items())]


def criterion_rows() -> list[dict]:
    return [{"criterion_code": c.code, "level": c.level, "name": c.name, "area_code": c.area_code}
            for c in criteria()]


def unit_names() -> dict[str, str]:
    return {u.unit_id: u.name for u in all_units()}


def task_unit_rows(tasks: Iterable[dict]) -> list[dict]:
    """One row per (task, role, unit) in the order the cell names them."""
    names = unit_names()
    rows = []
    for t in tasks:
        for role, col in (("lead", "lead_units"), ("support", "support_units")):
            for pos, uid in enumerate(t.get(col) or [], start=1):
                rows.append({"task_id": t["task_id"], "doc_id": t["doc_id"], "role": role, "unit_id": uid,
                             "unit_name": names.get(uid), "position": pos})
    return rows


def catalog_rows() -> dict[str, list[dict]]:
    """Rows of the dimension datasets that come from the catalogs alone."""
    return {"units": unit_rows(), "indicators": indicator_rows(), "areas": area_rows(), "criteria": criterion_rows()}
