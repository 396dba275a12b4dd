"""The layout corpus' specs: loading them, the rows and targets they expect, the rendered files' text.

A spec (tests/fixtures/layouts/specs/*.json) is the single source of a plan's documents (built by
scripts/build_layouts.py) and of what reading them should give; see tests/layouts/README.md.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
SPECS = LAYOUTS / "specs"
DOCS = LAYOUTS / "docs"
sys.path.insert(0, str(ROOT / "scripts"))
from build_layouts import heading_text, leaf_columns  # noqa: E402  (the builder's own rendering rules)

SPLIT_FIELDS = {"deadline": ("start", "end"), "budget": ("budget_source", "budget")}


def load_specs() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(SPECS.glob("*.json"))]


def renders(kind: str | None = None) -> list[tuple[dict, dict]]:
    return [(s, r) for s in load_specs() for r in s["renders"] if kind is None or r["kind"] == kind]


def table_fields(spec: dict) -> list[str]:
    return [c["field"] for c in leaf_columns(spec["appendix"]["columns"])]


def expected_rows(spec: dict) -> list[dict]:
    """One dict per task row: the cells as written ('^' resolved to the merged cell's text; a field
    the table splits over two columns is a list of its non-empty parts) and `expect`, the
    normalised values (area_code from the section)."""
    app = spec["appendix"]
    fields = set(table_fields(spec))
    rows, area, area_code, group = [], None, None, None
    for block in app["blocks"]:
        if "section" in block:
            area = heading_text(block, "section", app.get("section_format", "span"))
            if app.get("section_format") == "split" and block.get("no"):
                area = f"{block['no']} {block['section']}"
            area_code, group = block["area_code"], None
        elif "group" in block:
            group = heading_text(block, "group", app.get("group_format", "span"))
            if app.get("group_format") == "split" and block.get("no"):
                group = f"{block['no']} {block['group']}"
        else:
            prev: dict | None = None
            for i, row in enumerate(block["rows"]):
                cells = {f: (prev[f] if row.get(f) == "^" and prev else row.get(f)) for f in row if f != "expect"}
                out = {"item_no": block["item"] if i == 0 and "item_no" in fields else None,
                       "objective": block.get("objective") if "objective" in fields else None,
                       "area_raw": area, "group_raw": group}
                for f in ("task", "activity", "output", "lead", "support", "note"):
                    out[f] = (cells.get(f) or None) if f in fields else None
                for f, parts in SPLIT_FIELDS.items():
                    if set(parts) <= fields:
                        out[f] = [cells[p] for p in parts if cells.get(p)]
                    else:
                        out[f] = (cells.get(f) or None) if f in fields else None
                exp = dict(row["expect"])
                kind, start, end = exp.pop("deadline")
                out["expect"] = {"area_code": area_code, "deadline_kind": kind, "due_start": start, "due_end": end,
                                 "accept_deadline": [tuple(a) for a in row.get("accept_deadline", [])],
                                 "unknown": exp.pop("unknown", []),
                                 "targets": exp.pop("targets", []) + (block.get("targets", []) if i == 0 else []),
                                 **exp}
                rows.append(out)
                prev = cells
    return rows


def expected_targets(spec: dict) -> list[dict]:
    """Every target the plan states: prose paragraphs, Mục tiêu cells (once per item), task rows."""
    found = [t for b in spec["body"] for t in b.get("targets", [])]
    for row in expected_rows(spec):
        found.extend(row["expect"]["targets"])
    return found


# ---------------------------------------------------------------- text of the rendered files
def squash(text: str | None) -> str:
    """Text for comparing across renderings: NFC without any white space, so that a line wrapped
    anywhere (after a hyphen, inside "08/01/202|4" in a narrow column) compares equal."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text or ""))


def find_pieces(needle: str, hay: str, start: int = 0, max_pieces: int = 3, min_piece: int = 4
                ) -> list[tuple[int, int]] | None:
    """Where squashed `needle` occurs in squashed `hay` as at most `max_pieces` runs in order (a
    cell cut by a page end, with the repeated header between): (position, length) per run; each
    run but the whole needle at least `min_piece` characters."""
    if not needle:
        return []
    if max_pieces == 0:
        return None
    at = hay.find(needle, start)
    if at >= 0:
        return [(at, len(needle))]
    lo, hi = 0, len(needle) - 1  # the longest prefix that occurs: occurrence is monotonic in length
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if hay.find(needle[:mid], start) >= 0:
            lo = mid
        else:
            hi = mid - 1
    if lo < min_piece:
        return None
    at = hay.find(needle[:lo], start)
    rest = find_pieces(needle[lo:], hay, at + lo, max_pieces - 1, min(min_piece, len(needle) - lo))
    return None if rest is None else [(at, lo)] + rest


def pdftotext_available() -> bool:
    return shutil.which("pdftotext") is not None


@lru_cache(maxsize=64)
def pdf_pages(path: Path) -> tuple[str, ...]:
    """Each page's text in content order (`pdftotext -raw`: a cell's lines stay together)."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    pages = out.split("\f")
    return tuple(pages[:-1] if pages and not pages[-1].strip() else pages)


def docx_text(path: Path) -> str:
    """All text of a DOCX in document order, one paragraph a line (table cells included)."""
    import zipfile
    from xml.etree import ElementTree as ET

    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = ET.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{ns}t")) for p in root.iter(f"{ns}p"))


def fold(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()
