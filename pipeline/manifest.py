"""The optional manifest CSV: `file` plus any of province, plan_year, agency, overriding detection."""
from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from pathlib import Path

OVERRIDABLE = ("province", "plan_year", "agency", "primary")  # primary: the plan's file that counts (plans.py)


class ManifestError(ValueError):
    pass


@dataclass
class Manifest:
    path: Path | None
    rows: dict[str, dict[str, str]]  # normalised file key -> overrides

    def lookup(self, source_file: str) -> dict[str, str]:
        p = Path(source_file)
        candidates = [source_file, p.as_posix(), p.name]
        # the manifest may name files relative to its own folder
        if self.path is not None:
            try:
                candidates.append(p.resolve().relative_to(self.path.parent.resolve()).as_posix())
            except ValueError:
                pass
        for c in candidates:
            hit = self.rows.get(_key(c))
            if hit:
                return hit
        return {}


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip().replace("\\", "/")).lower()


def load_manifest(path: Path | None) -> Manifest:
    if path is None:
        return Manifest(None, {})
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "file" not in [f.strip() for f in reader.fieldnames]:
                raise ManifestError(f"{path}: the manifest needs a 'file' column (and any of {', '.join(OVERRIDABLE)})")
            rows: dict[str, dict[str, str]] = {}
            for line_no, row in enumerate(reader, start=2):
                row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
                if not row.get("file"):
                    continue
                overrides = {k: row[k] for k in OVERRIDABLE if row.get(k)}
                if "plan_year" in overrides and not overrides["plan_year"].isdigit():
                    raise ManifestError(f"{path}:{line_no}: plan_year {overrides['plan_year']!r} is not a year")
                rows[_key(row["file"])] = overrides
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read the manifest ({exc.strerror})") from exc
    return Manifest(path, rows)
