"""The optional manifest CSV: `file` plus any of province, plan_year, agency, overriding detection.

Read as Excel saves it on any Windows: UTF-8 (with or without BOM), UTF-16 ("Unicode text",
tab-separated) or the Vietnamese ANSI code page cp1258; comma, semicolon or tab separated.
What cannot be used (an unknown column, a bad year, a row naming no input) is a warning that
names the line; only a manifest without a `file` column, or one that cannot be read, stops the run.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

OVERRIDABLE = ("province", "plan_year", "agency", "primary")  # primary: the plan's file that counts (plans.py)
KNOWN_COLUMNS = ("file", *OVERRIDABLE)
YEARS = range(1990, 2101)  # plan years a manifest may give
DELIMITERS = ",;\t"
FALLBACK_ENCODING = "cp1258"  # Excel's "CSV (Comma delimited)" on a Vietnamese Windows


class ManifestError(ValueError):
    pass


@dataclass(frozen=True)
class ManifestProblem:
    code: str
    line: int
    detail: str
    field: str | None = None
    raw_value: str | None = None


@dataclass
class Manifest:
    path: Path | None
    rows: dict[str, dict[str, str]]  # normalised file key -> overrides
    lines: dict[str, int] = field(default_factory=dict)  # normalised file key -> its line in the file
    problems: list[ManifestProblem] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # keys a lookup has matched

    def lookup(self, source_file: str) -> dict[str, str]:
        p = Path(source_file)
        candidates = [source_file, p.as_posix(), p.name]
        # the manifest may name files relative to its own folder
        if self.path is not None:
            try:
                candidates.append(p.resolve().relative_to(self.path.parent.resolve()).as_posix())
            except (ValueError, OSError, RuntimeError):
                pass
        for c in candidates:
            key = _key(c)
            if key in self.rows:
                self.used.add(key)
                return self.rows[key]
        return {}

    def unmatched(self) -> list[ManifestProblem]:
        """Rows that named no input of this run (call after every input was looked up)."""
        return [ManifestProblem("manifest_unmatched_row", self.lines[k], f"row names {k!r}, which is not among the "
                                "inputs of this run", "file", k) for k in self.rows if k not in self.used]


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip().replace("\\", "/")).lower()


def decode(data: bytes) -> str:
    """Text of a manifest in whatever encoding Excel used (BOM first, then UTF-8, then cp1258)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):  # a damaged byte becomes U+FFFD: its row then names no input and says so
            return data.decode(encoding, errors="replace")
    if len(data) > 1 and data[1:2] == b"\x00" and data[:1] != b"\x00":
        return data.decode("utf-16-le", errors="replace")  # UTF-16 saved without its BOM
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # cp1258 spells tones as combining marks: NFC composes them into the usual letters
        return unicodedata.normalize("NFC", data.decode(FALLBACK_ENCODING, errors="replace"))


def _delimiter(header: str) -> str:
    return max(DELIMITERS, key=lambda d: (header.count(d), d == ","))


def parse_year(value: str) -> int | None:
    """A plan year as a manifest gives it: four ASCII digits in YEARS (not '²⁰²⁴', not '24')."""
    value = value.strip()
    if re.fullmatch(r"[0-9]{4}(?:\.0+)?", value):  # Excel may write 2024.0
        year = int(value.split(".")[0])
        return year if year in YEARS else None
    return None


def load_manifest(path: Path | None) -> Manifest:
    if path is None:
        return Manifest(None, {})
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read the manifest ({exc.strerror})") from exc
    text = unicodedata.normalize("NFC", text).replace("\x00", "")  # NUL bytes stop the csv module
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    header = [(h or "").strip().lower() for h in next(reader, [])]
    if "file" not in header:
        raise ManifestError(f"{path}: the manifest needs a 'file' column (and any of {', '.join(OVERRIDABLE)})")
    problems = [ManifestProblem("manifest_unknown_column", 1, f"column {h!r} is not one cchc reads", h, h)
                for h in header if h and h not in KNOWN_COLUMNS]
    rows: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for line_no, cells in enumerate(reader, start=2):
        row = {h: (cells[i] if i < len(cells) else "").strip() for i, h in enumerate(header) if h in KNOWN_COLUMNS}
        if not any(row.values()):
            continue  # a blank line
        if not row.get("file"):
            problems.append(ManifestProblem("manifest_bad_value", line_no, "row has values but no file name",
                                            "file", ",".join(c for c in cells if c)))
            continue
        overrides = {k: row[k] for k in OVERRIDABLE if row.get(k)}
        if "plan_year" in overrides:
            year = parse_year(overrides["plan_year"])
            if year is None:
                problems.append(ManifestProblem("manifest_bad_value", line_no, f"plan_year {overrides['plan_year']!r} "
                                                f"is not a year between {YEARS[0]} and {YEARS[-1]}: ignored",
                                                "plan_year", overrides["plan_year"]))
                del overrides["plan_year"]
            else:
                overrides["plan_year"] = str(year)
        key = _key(row["file"])
        if key in rows:
            problems.append(ManifestProblem("manifest_duplicate_row", line_no, f"{row['file']!r} is also on line "
                                            f"{lines[key]}", "file", row["file"]))
        rows[key], lines[key] = overrides, line_no
    return Manifest(path, rows, lines, problems)
