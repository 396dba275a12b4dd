"""Every catalog CSV is read through here: the packaged files, then the analyst's own folders.

A catalog is a family of files in a folder: `units.csv` and any `units_*.csv` beside it. The
packaged folder (normalizers/data) comes first, then each folder of the environment variable
CCHC_CATALOGS (os.pathsep-separated) or of `cchc run --catalogs DIR`, in order. Their rows are
merged on the catalog's first column (its id): an analyst's row with an existing id replaces it in
place, a new id is appended. Analysts' files may be saved by Excel: UTF-8 with or without BOM,
UTF-16, cp1258 (Vietnamese Windows), with `,`, `;` or tab separators; values are NFC.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

PACKAGED = Path(__file__).with_name("data")
ENV = "CCHC_CATALOGS"
SEPARATORS = ",;\t"
# catalogs whose rows are keyed by more than their first column (a field's column names, and its
# sub-column names under a group field, are separate rows)
KEY_COLUMNS = {"columns.csv": ("field", "under"), "province_changes.csv": ("province_code", "valid_from")}


def analyst_dirs() -> tuple[Path, ...]:
    """The analyst's catalog folders, lowest priority first."""
    return tuple(Path(p) for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip())


def use_catalogs(dirs: Iterable[Path | str] | None = None) -> tuple[Path, ...]:
    """Add folders on top of those already in CCHC_CATALOGS and drop every cached catalog.

    The folders go into the environment, so worker processes (forked or spawned) see them too.
    """
    current = list(analyst_dirs())
    for d in dirs or ():
        p = Path(d).resolve()
        if p not in current:
            current.append(p)
    set_dirs(current)
    return tuple(current)


def set_dirs(dirs: Sequence[Path]) -> None:
    """Make exactly these folders the analyst's catalogs (empty: the packaged ones only)."""
    if dirs:
        os.environ[ENV] = os.pathsep.join(str(p) for p in dirs)
    else:
        os.environ.pop(ENV, None)
    drop_caches()


def drop_caches() -> None:
    """Forget every catalog read so far: loaders cache what they built from the files."""
    for name, mod in list(sys.modules.items()):
        if mod is None or name.split(".")[0] not in {"normalizers", "extractors", "pipeline"}:
            continue
        for obj in list(vars(mod).values()):
            if callable(obj) and hasattr(obj, "cache_clear") and getattr(obj, "__module__", None) == name:
                obj.cache_clear()


def family(folder: Path, name: str) -> list[Path]:
    """`units.csv` and the `units_*.csv` beside it, in that order."""
    stem = Path(name).stem
    main = folder / name
    extra = sorted(p for p in folder.glob(f"{stem}_*.csv") if p.is_file())
    return ([main] if main.is_file() else []) + extra


def decode(data: bytes) -> str:
    """Text of a CSV as Excel may save it; NFC (cp1258 spells tones as combining marks)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file (keys and values stripped, NFC), whatever Excel saved it as."""
    return parse_table(decode(Path(path).read_bytes()))


def parse_table(text: str) -> list[dict[str, str]]:
    first = text.split("\n", 1)[0]
    sep = max(SEPARATORS, key=first.count) if any(s in first for s in SEPARATORS) else ","
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    header = next(reader, None)
    if not header:
        return []
    header = [h.strip().lstrip("\ufeff") for h in header]
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            row[None] = [c for c in cells[len(header):]]  # surplus cells: `cchc catalog check` names them
        rows.append(row)
    return rows


@lru_cache(maxsize=64)
def _merged(name: str, dirs: tuple[Path, ...]) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    header: list[str] = []
    by_key: dict[str, list[str]] = {}
    for folder in (PACKAGED, *dirs):
        for path in family(folder, name):
            rows = read_table(path)
            if not header and rows:
                header = [h for h in rows[0] if h is not None]
            keys = KEY_COLUMNS.get(name, header[:1])
            for row in rows:
                key = "\x1f".join(row.get(k, "") or "" for k in keys) if header else ""
                if key.strip("\x1f"):
                    by_key[key] = [row.get(h, "") or "" for h in header]
    return tuple(header), tuple(tuple(v) for v in by_key.values())


def rows(name: str) -> list[dict[str, str]]:
    """The merged rows of a catalog (packaged, then the analyst's), keyed by the header."""
    header, values = _merged(name, analyst_dirs())
    return [dict(zip(header, v)) for v in values]


def open_catalog(name: str) -> io.StringIO:
    """The merged catalog as a CSV text stream: a drop-in for `open(DATA / name)`."""
    header, values = _merged(name, analyst_dirs())
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow(header)
        w.writerows(values)
    buf.seek(0)
    return buf


def sources(dirs: Sequence[Path] | None = None) -> list[Path]:
    """Every catalog file that takes part: packaged first, then the analyst's folders."""
    out = sorted(PACKAGED.glob("*.csv"))
    for d in (analyst_dirs() if dirs is None else dirs):
        out += sorted(Path(d).glob("*.csv"))
    return out


def digest() -> str:
    """Changes whenever any catalog file (packaged or the analyst's) changes."""
    h = hashlib.sha256()
    for f in sources():
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]
