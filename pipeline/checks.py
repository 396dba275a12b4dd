"""Stage 'checks': what looks wrong in a document's rows, said in the review queue.

A table reading that still looks wrong after the best candidate was chosen (a mapped column empty
in every row, header words in body cells, fragments taken for rows, text in no cell, a table no
header maps) becomes a `suspect_table` warning naming its pages and what looks wrong, and makes the
document `partial`: a wrong table must never pass as ok. Also: rows without an area, a document
with no table at all, a plan full of figures that yields no target.
"""
from __future__ import annotations

import re

from extractors import SourceDocument
from extractors.ocr import page_ranges

from .enrich import issue_row
from .rows import Rows

PARTIAL_CODES = {"suspect_table"}  # warnings that still make a document partial (errors always do)
FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*%")
FIGURES_FOR_TARGETS = 3  # a plan stating this many percentages is expected to yield targets


def check(rows: Rows, doc: SourceDocument, document: dict) -> None:
    """Stage entry point: append the document's check issues to rows.issues."""
    issues = rows.issues
    rep = doc.report
    if rep is not None:
        for pages, what, text in rep.problems():
            where = f"pages {page_ranges(pages)}" if len(pages) > 1 else f"page {pages[0]}" if pages else "a table"
            issues.append(issue_row(document, "suspect_table", f"{where}: {what}; compare these rows with the "
                                    "document before using them", source_page=pages[0] if pages else None,
                                    raw_value=text))
    for task in rows.tasks:
        if task["area_code"] is not None:
            continue
        if task["extractor"].startswith("prose-"):
            issues.append(issue_row(document, "unknown_area", "no area heading and no PAR criterion close to the "
                                    "task's words: set the area by hand", task_id=task["task_id"], field="area_code",
                                    raw_value=task["task"], source_page=task["source_page"]))
        else:
            issues.append(issue_row(document, "unknown_area", "section heading matches no PAR Index area: add its "
                                    "words to normalizers/data/areas.csv", task_id=task["task_id"], field="area_raw",
                                    raw_value=task["area_raw"], source_page=task["source_page"]))
    found = rows.appendix
    if found is not None and not found.rows and found.tables_found == 0 and not rows.tasks:
        issues.append(issue_row(document, "no_table_found", "no appendix task table or criteria table was "
                                "recognised; if the document has one, check its header row (STT, Mục tiêu, "
                                "Nhiệm vụ, Chủ trì, Thời gian ...)"))
    figures = len(FIGURE.findall(doc.text))
    if not rows.targets and figures >= FIGURES_FOR_TARGETS:
        issues.append(issue_row(document, "no_targets_found", f"the plan states {figures} percentages but no target "
                                "was read from it: check the wording against normalizers/data/indicators.csv"))


def status(issues: list[dict]) -> str:
    """ok, or partial when an error or a warning that casts doubt on the reading was raised."""
    doubtful = any(i["severity"] == "error" or i["code"] in PARTIAL_CODES for i in issues)
    return "partial" if doubtful else "ok"
