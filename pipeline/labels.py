"""Words the analyst reads instead of codes: interface text and value labels in Vietnamese and English
(pipeline/data/ui_text.csv), column headers (pipeline/data/labels_vi.csv), and the names of units,
indicators and areas (the dimension datasets of a run, else the catalogs)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
LANGS = ("vi", "en")


@lru_cache(maxsize=1)
def _ui() -> dict[str, dict[str, str]]:
    with open(DATA / "ui_text.csv", encoding="utf-8") as fh:
        return {r["key"]: {"vi": r["vi"], "en": r["en"]} for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def labels_vi() -> dict[str, str]:
    with open(DATA / "labels_vi.csv", encoding="utf-8") as fh:
        return {r["column"]: r["vi"] for r in csv.DictReader(fh)}


def text(key: str, lang: str = "vi", **fields) -> str:
    """Interface text; a key missing from the file shows as itself, so a gap is visible, not fatal."""
    s = _ui().get(key, {}).get(lang, key)
    return s.format(**fields) if fields else s


def value(field: str, v, lang: str = "vi") -> str:
    """Label of a coded value ('deadline_kind', 'by_date' -> 'Trước ngày'); unknown values show as written."""
    if v is None:
        return ""
    hit = _ui().get(f"{field}.{v}")
    return hit[lang] if hit is not None else str(v)


def column(name: str, lang: str = "vi") -> str:
    return labels_vi().get(name, name) if lang == "vi" else name


@dataclass
class Names:
    """Names of units, indicators and areas, in the report's or workbook's language."""
    units: dict[str, tuple[str, str | None]]
    indicators: dict[str, tuple[str, str | None]]
    areas: dict[int, tuple[str, str | None]]
    lang: str = "vi"

    def _pick(self, pair: tuple[str, str | None] | None, code) -> str:
        if pair is None:
            return "" if code is None else str(code)
        return (pair[1] or pair[0]) if self.lang == "en" else pair[0]

    def unit(self, uid: str) -> str:
        return self._pick(self.units.get(uid), uid)

    def indicator(self, key: str) -> str:
        return self._pick(self.indicators.get(key), key)

    def area(self, code: int | None) -> str:
        return self._pick(self.areas.get(code), code) if code is not None else text("report.no_area", self.lang)


def names_of(tables: dict[str, list[dict]], lang: str = "vi") -> Names:
    """From the run's dimension datasets (rows by dataset name); the catalogs where a run has none."""
    from .dimensions import area_rows, indicator_rows, unit_rows
    units = tables.get("units") or unit_rows()
    indicators = tables.get("indicators") or indicator_rows()
    areas = tables.get("areas") or area_rows()
    return Names({u["unit_id"]: (u["name"], u.get("name_en")) for u in units},
                 {i["indicator"]: (i["name"], i.get("name_en")) for i in indicators},
                 {a["area_code"]: (a["name"], a.get("name_en")) for a in areas}, lang)


def number(v: float | None, lang: str = "vi") -> str:
    if v is None:
        return ""
    return f"{v:g}".replace(".", ",") if lang == "vi" else f"{v:g}"  # the plans write a decimal comma


def target_text(comparator: str | None, v: float | None, v_max: float | None, unit: str | None,
                lang: str = "vi") -> str:
    """'≥ 98%', 'giảm 20%', '1–2', '≤ 15 phút': the comparator always shown with the value."""
    u = value("unit", unit, lang) if unit else ""
    sep = "" if u in ("%", "") else " "
    if comparator == "range":
        body = f"{number(v, lang)}–{number(v_max, lang)}{sep}{u}"
        return body.strip()
    return f"{value('comparator', comparator, lang)} {number(v, lang)}{sep}{u}".strip()


def plan_label(d: dict, by: str = "issued") -> str:
    """How a plan is named in charts and columns: province (as issued, or of the 2025 arrangement) and year."""
    name, code = ("province_2025", "province_code_2025") if by == "2025" else ("province", "province_code")
    return f"{d.get(name) or d.get(code) or '?'} {d.get('plan_year') or '?'}"
