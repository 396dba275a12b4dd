"""`cchc catalog check` (malformed rows, duplicate aliases, ids used but not defined) and
`cchc catalog suggest DIR` (the unknown units of a run, grouped, as a units CSV to edit)."""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from normalizers import catalogs
from normalizers.text import match_key

UNIT_ID = re.compile(r"^[A-Z][A-Z0-9]*\.[A-Z0-9_]+$")
SUGGEST_CLOSE = 80.0  # a catalog unit this close (rapidfuzz ratio, accent-free) is proposed as the mention's unit
UNITS_HEADER = ["unit_id", "canonical_name", "aliases", "generic", "note"]


# --- check ----------------------------------------------------------------------------------------

def check(dirs: list[Path] | None = None) -> list[str]:
    """Problems of the packaged catalogs and of the analyst's folders, one line each."""
    problems: list[str] = []
    folders = [catalogs.PACKAGED, *(dirs if dirs is not None else catalogs.analyst_dirs())]
    headers = {p.name: list(catalogs.read_table(p)[0]) if catalogs.read_table(p) else []
               for p in sorted(catalogs.PACKAGED.glob("*.csv"))}
    for folder in folders:
        if not Path(folder).is_dir():
            problems.append(f"{folder}: not a folder")
            continue
        for path in sorted(Path(folder).glob("*.csv")):
            problems += _check_file(path, headers)
    previous = catalogs.analyst_dirs()
    catalogs.set_dirs([Path(d).resolve() for d in (dirs if dirs is not None else previous)])
    try:
        problems += _check_units() + _check_references()
    finally:
        catalogs.set_dirs(previous)
    return problems


def _family_name(name: str, headers: dict[str, list]) -> str:
    """The packaged catalog a file belongs to: its own name, or units.csv for units_snv.csv."""
    return name if name in headers else name.split("_")[0] + ".csv"


def _family_header(name: str, headers: dict[str, list]) -> list | None:
    return headers.get(_family_name(name, headers))


def _check_file(path: Path, headers: dict[str, list]) -> list[str]:
    out = []
    header = _family_header(path.name, headers)
    if header is None:
        return [f"{path}: no packaged catalog is called {path.name} (nor {path.name.split('_')[0]}.csv): "
                "the file is not read"]
    try:
        rows = catalogs.read_table(path)
    except OSError as exc:
        return [f"{path}: cannot read ({exc})"]
    if rows:
        missing = [h for h in header if h not in rows[0]]
        unknown = [h for h in rows[0] if h is not None and h not in header]
        if header[0] in missing:
            return [f"{path}: no {header[0]!r} column (the id of every row); columns should be {', '.join(header)}"]
        if missing:
            out.append(f"{path}: missing columns {', '.join(missing)} (left empty)")
        if unknown:
            out.append(f"{path}: columns not in the catalog, ignored: {', '.join(unknown)}")
    seen: dict[str, int] = {}
    keys = catalogs.KEY_COLUMNS.get(_family_name(path.name, headers), header[:1])
    for n, r in enumerate(rows, start=2):
        key = " / ".join(r.get(k, "") or "" for k in keys).strip(" /")
        if None in r:
            out.append(f"{path}:{n}: more cells than columns ({r[None]}): a comma inside a value needs quotes")
        if not key:
            out.append(f"{path}:{n}: empty {header[0]}: the row is not read")
            continue
        if key in seen:
            out.append(f"{path}:{n}: {header[0]} {key!r} again (line {seen[key]}): the later row replaces it")
        seen[key] = n
        if header[0] == "unit_id" and not UNIT_ID.match(key):
            out.append(f"{path}:{n}: unit id {key!r} is not PREFIX.SUFFIX in capitals (e.g. SNV.CCHC)")
        for col in ("area_code",):
            if col in r and r[col] and not (r[col].isdigit() and 1 <= int(r[col]) <= 8):
                out.append(f"{path}:{n}: {col} {r[col]!r} is not 1-8")
        if header[0] in {"unit_id", "suffix"} and not r.get("canonical_name"):
            out.append(f"{path}:{n}: {key} has no canonical_name")
    return out


def _check_units() -> list[str]:
    from normalizers.unit_catalog import agencies, concrete_units, key_of, units_in_scope
    out = []
    prefixes = {a.prefix for a in agencies()} | {"EXT"}
    for uid, u in sorted(concrete_units().items()):
        if u.prefix not in prefixes:
            out.append(f"units: {uid} has the prefix {u.prefix!r}, which no agency in agencies.csv carries")
    for prefix in sorted(prefixes - {"EXT"}):
        names: dict[tuple, set[str]] = defaultdict(set)
        for u in units_in_scope(prefix):
            for name in (u.name, *u.aliases):
                names[key_of(name)].add(u.unit_id)
        for k, ids in sorted(names.items()):
            if len(ids) > 1:
                out.append(f"units: {' '.join(k)!r} names {', '.join(sorted(ids))} in documents of {prefix}: "
                           "keep it on one unit")
    seen_agency: dict[str, str] = {}
    for a in agencies():
        for n in (a.name, *a.aliases):
            k = match_key(n)
            if k in seen_agency and seen_agency[k] != a.name:
                out.append(f"agencies: {n!r} names both {seen_agency[k]} and {a.name}")
            seen_agency[k] = a.name
    return out


def _check_references() -> list[str]:
    out = []
    indicators = {r["indicator"] for r in catalogs.rows("indicators.csv")}
    for r in catalogs.rows("indicators.csv"):
        for o in filter(None, (x.strip() for x in (r.get("overrides") or "").split(";"))):
            if o not in indicators:
                out.append(f"indicators: {r['indicator']} overrides {o!r}, which is not defined")
    areas = {r["area_code"] for r in catalogs.rows("areas.csv")}
    for r in catalogs.rows("par_criteria.csv"):
        if r.get("area_code") and r["area_code"] not in areas:
            out.append(f"par_criteria: {r['criterion_code']} is in area {r['area_code']}, which areas.csv lacks")
    return out


# --- suggest ----------------------------------------------------------------------------------------

def suggest(out: Path) -> list[dict]:
    """Rows of a units CSV for the unknown units of a run: grouped, counted, closest unit or a new id."""
    from rapidfuzz import fuzz, process

    from normalizers.unit_catalog import agency_prefix, derived_keys, key_of, scope
    from normalizers.units import match_units

    from .export import read_dataset

    docs = {d["doc_id"]: d for d in read_dataset(out, "documents").to_pylist()}
    mentions: list[tuple[str, str | None, str]] = []  # (mention, agency prefix, doc_id)
    for i in read_dataset(out, "issues").to_pylist():
        if i["code"] != "unknown_unit" or not i["raw_value"]:
            continue
        agency = docs.get(i["doc_id"], {}).get("agency")
        for m in match_units(i["raw_value"], agency=agency).unmatched:
            mentions.append((m, agency_prefix(agency), i["doc_id"]))
    groups: dict[tuple, list[tuple[str, str | None, str]]] = defaultdict(list)
    alias_of: dict[tuple, tuple] = {}
    for m, prefix, _doc in mentions:  # full names first, so abbreviations join the name they abbreviate
        k = (prefix, key_of(m))
        for d in derived_keys(m):
            alias_of.setdefault((prefix, d), k)
    for m, prefix, doc in mentions:
        k = (prefix, key_of(m))
        groups[alias_of.get(k, k)].append((m, prefix, doc))
    rows, taken = [], set()
    for (prefix, _), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), str(kv[0]))):
        spellings = Counter(m for m, _, _ in items)
        name = max(spellings, key=lambda s: (spellings[s], len(s)))
        n_docs = len({d for _, _, d in items})
        sc = scope(prefix)
        choices = {uid: " ".join(key_of(u.name)) for uid, u in sc.units.items()}
        best = process.extractOne(" ".join(key_of(name)), choices, scorer=fuzz.ratio, processor=None)
        note = f"proposed from {len(items)} mentions in {n_docs} documents"
        if best and best[1] >= SUGGEST_CLOSE:
            u = sc.units[best[2]]
            aliases = list(dict.fromkeys((*u.aliases, *spellings)))
            rows.append({"unit_id": u.unit_id, "canonical_name": u.name, "aliases": ";".join(aliases),
                         "generic": u.generic or "", "note": f"{note}; close to {u.name} ({best[1]:.0f}): check that "
                         "it is the same body, else give it a new id"})
            continue
        uid = _new_id(prefix, name, taken | set(sc.units))
        taken.add(uid)
        rows.append({"unit_id": uid, "canonical_name": name, "aliases": ";".join(s for s in spellings if s != name),
                     "generic": "", "note": f"{note}; new unit: check the id and the name"})
    merged: dict[str, dict] = {}
    for r in rows:  # two groups close to the same unit: one row with both aliases
        if r["unit_id"] in merged:
            old = merged[r["unit_id"]]
            old["aliases"] = ";".join(dict.fromkeys(old["aliases"].split(";") + r["aliases"].split(";")))
        else:
            merged[r["unit_id"]] = r
    return list(merged.values())


def _new_id(prefix: str | None, name: str, taken: set[str]) -> str:
    from normalizers.unit_catalog import heads, key_of
    words = [w for w in key_of(name) if w != "|" and w != "va"]
    for h, _, _ in heads():
        if tuple(words[:len(h)]) == h and len(words) > len(h):
            words = words[len(h):]
            break
    base = f"{prefix or 'EXT'}.{''.join(w[0] for w in words).upper() or 'UNIT'}"
    uid, n = base, 2
    while uid in taken:
        uid, n = f"{base}{n}", n + 1
    return uid


def write_units_csv(rows: list[dict], path: Path) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=UNITS_HEADER, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


# --- command line -----------------------------------------------------------------------------------

def add_parser(sub) -> None:
    p = sub.add_parser("catalog", help="check the catalogs, or draft units for the unknown units of a run")
    csub = p.add_subparsers(dest="catalog_command", required=True)
    c = csub.add_parser("check", help="malformed rows, duplicate aliases, ids used but not defined")
    c.add_argument("--catalogs", type=Path, action="append", metavar="DIR",
                   help="your own catalog folder (default: those in CCHC_CATALOGS)")
    c.set_defaults(func=cmd_check)
    s = csub.add_parser("suggest", help="a units CSV proposing ids for the unknown_unit mentions of DIR")
    s.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of `cchc run`")
    s.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="where to write it (default DIR/catalog_suggestions/units.csv)")
    s.set_defaults(func=cmd_suggest)


def cmd_check(args: argparse.Namespace) -> int:
    problems = check(args.catalogs)
    for p in problems:
        print(p)
    print(f"{len(problems)} problems" if problems else "catalogs OK", file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0


def cmd_suggest(args: argparse.Namespace) -> int:
    from .export import ExportError
    try:
        rows = suggest(args.dir)
    except ExportError as exc:
        print(f"cchc: {exc}", file=sys.stderr)
        return 2
    path = args.out or args.dir / "catalog_suggestions" / "units.csv"
    write_units_csv(rows, path)
    print(f"wrote {path}: {len(rows)} units; edit it, then: cchc run ... --catalogs {path.parent}")
    return 0
