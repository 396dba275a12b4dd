"""The issue catalog (`pipeline/data/issue_codes.csv`): every code cchc emits, with its usual
severity, its meaning and what the analyst should do. Adding a code is adding a row; a test
fails when the code emits one the file does not list."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOG_FILE = Path(__file__).with_name("data") / "issue_codes.csv"
MAX_MESSAGE = 300  # issues.message is one line an analyst reads in a spreadsheet cell


@dataclass(frozen=True)
class IssueCode:
    code: str
    severity: str
    meaning: str
    what_to_do: str


@lru_cache(maxsize=1)
def catalog() -> dict[str, IssueCode]:
    with open(CATALOG_FILE, encoding="utf-8", newline="") as fh:
        return {r["code"]: IssueCode(r["code"], r["severity"], r["meaning"], r["what_to_do"])
                for r in csv.DictReader(fh)}


def advice(code: str) -> str:
    """What the analyst should do about `code` (empty for a code the catalog lacks: never raises)."""
    entry = catalog().get(code)
    return entry.what_to_do if entry else ""


def message(code: str, detail: str) -> str:
    """`detail: what to do`, on one line and within the length the issues table promises."""
    todo = advice(code)
    text = f"{detail}: {todo}" if todo else detail
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 1] + "…"


def markdown() -> str:
    """The catalog as a Markdown table (`cchc schema --issue-codes`)."""
    lines = ["| code | severity | meaning | what to do |", "|---|---|---|---|"]
    for e in catalog().values():
        cells = [f"`{e.code}`", e.severity, e.meaning, e.what_to_do]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def issue(source_file: str, code: str, message: str, *, doc_id: str | None = None, severity: str = "warning",
          task_id: str | None = None, field: str | None = None, raw_value: str | None = None,
          source_page: int | None = None) -> dict:
    """One row of the issues dataset."""
    return {"doc_id": doc_id, "source_file": source_file, "severity": severity, "code": code, "message": message,
            "task_id": task_id, "field": field, "raw_value": raw_value, "source_page": source_page}
