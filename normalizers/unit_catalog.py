"""The units a document can name, scoped by its agency, and the aliases that name them.

Data (all editable, see normalizers/catalogs.py for the analyst's own folders):
- units.csv, units_*.csv: concrete units, id `PREFIX.SUFFIX` (SCT.KHTC, SNV.CCHC, EXT.TTHCC);
- generic_units.csv: units every Sở has (Văn phòng, Thanh tra, Các phòng chuyên môn ...), by
  suffix; a document of agency P names them as P.VP, P.TTRA ...;
- agencies.csv: each agency's prefix; every agency is also EXT.<prefix> to the others;
- unit_heads.csv: head words of unit names and their abbreviations (Phòng = P, Trung tâm = TT).

Within a document of agency P: P's own units, the generic units as P.*, and EXT.* bodies; the
agency itself named as a unit ("Sở Nội vụ" in a plan of the Sở Nội vụ) is its leadership, P.LD.
Another agency's divisions are not in scope: a wrong id is worse than none.

Abbreviations are derived from every name by rule, not listed by hand: the head word abbreviated
or kept ("P." / "Phòng", "TT" / "Trung tâm"), each part of the rest (parts are cut at dashes and
commas, groups at "và"/"&") kept whole or cut to its initials ("Kế hoạch – Tài chính – Tổng hợp"
→ KH-TC-TH, KHTCTH), "và" kept or dropped, and a name shortened at a "và" when at least three
words remain ("Phòng Xây dựng chính quyền"). A derived form shared by two units is dropped.
"""
from __future__ import annotations

import csv
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .catalogs import open_catalog
from .text import match_key, repair_glyphs

ANY = "*"  # the units of every agency: to tell whether a cell names units at all, never for output ids
SEPARATOR = "|"
MIN_SHORTENED_WORDS = 3  # "Phòng Xây dựng" is too little left of "Phòng Xây dựng và kiểm tra văn bản ..."
MIN_BARE_INITIALS = 3  # "QLCN" alone names a division; two letters do not
MAX_GROUPS = 4


@dataclass(frozen=True)
class Unit:
    unit_id: str
    name: str
    generic: str | None = None  # short name that means this unit where the document names it in full
    aliases: tuple[str, ...] = ()
    collective: bool = False  # "Các phòng": a list of named units after it replaces it
    note: str = ""

    @property
    def prefix(self) -> str:
        return self.unit_id.split(".", 1)[0]


@dataclass(frozen=True)
class Agency:
    name: str
    aliases: tuple[str, ...]
    prefix: str
    generic_units: bool


@dataclass
class Scope:
    """Units of one agency's documents: id -> Unit, alias key -> id, and the hand-written keys."""
    units: dict[str, Unit] = field(default_factory=dict)
    aliases: dict[tuple[str, ...], str] = field(default_factory=dict)
    written: set[tuple[str, ...]] = field(default_factory=set)  # keys of names as written in the catalog
    longest: int = 1


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (value or "").split(";") if a.strip())


def _yes(value: str | None) -> bool:
    return (value or "").strip().lower() in {"yes", "y", "1", "true", "x", "có"}


@lru_cache(maxsize=1)
def concrete_units() -> dict[str, Unit]:
    with open_catalog("units.csv") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, Unit] = {}
    for r in rows:
        uid = (r.get("unit_id") or "").strip()
        if uid and "." in uid and r.get("canonical_name"):
            out[uid] = Unit(uid, r["canonical_name"].strip(), (r.get("generic") or "").strip() or None,
                            _split(r.get("aliases")), _yes(r.get("collective")), (r.get("note") or "").strip())
    return out


@lru_cache(maxsize=1)
def generic_units() -> dict[str, Unit]:
    """suffix -> template (its unit_id is the bare suffix)."""
    with open_catalog("generic_units.csv") as fh:
        rows = list(csv.DictReader(fh))
    return {r["suffix"].strip(): Unit(r["suffix"].strip(), r["canonical_name"].strip(), None,
                                      _split(r.get("aliases")), _yes(r.get("collective")),
                                      (r.get("note") or "").strip())
            for r in rows if (r.get("suffix") or "").strip() and r.get("canonical_name")}


@lru_cache(maxsize=1)
def agencies() -> tuple[Agency, ...]:
    with open_catalog("agencies.csv") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        name = (r.get("agency") or "").strip()
        if name:
            out.append(Agency(name, _split(r.get("aliases")), (r.get("prefix") or "").strip() or derived_prefix(name),
                              _yes(r.get("generic_units")) if "generic_units" in r else True))
    return tuple(out)


def derived_prefix(agency: str) -> str:
    """An agency without a catalog prefix: the initials of its name ("Sở Y tế" -> SYT)."""
    return "".join(w[0] for w in match_key(agency).split()).upper()


def agency_of(agency: str | None) -> Agency | None:
    """The catalog entry of a document's agency (by name or alias), or one made by rule."""
    if not agency or agency == ANY:
        return None
    key = match_key(agency)
    best, best_len = None, 0
    for a in agencies():
        for n in (match_key(n) for n in (a.name, *a.aliases)):
            if key == n or agency == a.prefix:
                return a
            if key.startswith(n + " ") and len(n) > best_len:  # "Sở Công Thương tỉnh Gia Lai"
                best, best_len = a, len(n)
    return best or Agency(agency, (), derived_prefix(agency), key.startswith("so "))


def agency_prefix(agency: str | None) -> str | None:
    if agency == ANY:
        return ANY
    a = agency_of(agency)
    return a.prefix if a else None


# --- keys and derived abbreviations -------------------------------------------------------------

@lru_cache(maxsize=65536)
def fold_word(w: str) -> str:
    d = unicodedata.normalize("NFD", w.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in d if not unicodedata.combining(ch)).lower()


TOKEN = re.compile(r"[^\W_]+|[,;:]|[\n+•]|(?<!\w)[-–](?!\w)")


def tokens(text: str) -> list[tuple[str, str, bool]]:
    """(key, original, soft break before) triples: words folded accent-free, ',' ';' ':' as '|'.

    Line breaks and stand-alone dashes or bullets are soft: a name may wrap across them
    ("Phòng Kế hoạch\\n– Tài chính – Tổng hợp"), so they do not stop an alias match, but they
    do separate mentions that match nothing.
    """
    out: list[tuple[str, str, bool]] = []
    soft = False
    for m in TOKEN.finditer(repair_glyphs(text)):
        word = m.group(0)
        if word[0].isalnum():
            out.append((fold_word(word), word, soft))
            soft = False
        elif word in ",;:":
            out.append((SEPARATOR, word, soft))
            soft = False
        else:
            soft = True
    return out


def key_of(text: str) -> tuple[str, ...]:
    return tuple(t[0] for t in tokens(text))


@lru_cache(maxsize=1)
def heads() -> tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...], bool], ...]:
    """(head key, its abbreviation keys, initials alone allowed), longest head first."""
    with open_catalog("unit_heads.csv") as fh:
        rows = list(csv.DictReader(fh))
    out = [(key_of(r["head"]), tuple(key_of(a) for a in _split(r.get("abbreviations"))), _yes(r.get("bare")))
           for r in rows if (r.get("head") or "").strip()]
    return tuple(sorted(out, key=lambda h: -len(h[0])))


def _groups(name: str) -> tuple[tuple[str, ...], tuple[tuple[tuple[str, ...], ...], ...], bool] | None:
    """(head key, groups of parts), groups cut at "và"/"&", parts at dashes and commas; bare flag."""
    toks = tokens(name.replace("&", " và "))
    words = [t[0] for t in toks]
    head: tuple[str, ...] = ()
    bare = False
    for h, _, b in heads():
        if tuple(words[:len(h)]) == h:
            head, bare = h, b
            break
    groups: list[list[list[str]]] = [[[]]]
    for key, _, soft in toks[len(head):]:
        if key == "va":
            groups.append([[]])
        elif key == SEPARATOR or soft:
            groups[-1].append([])
            if key != SEPARATOR:
                groups[-1][-1].append(key)
        else:
            groups[-1][-1].append(key)
    clean = tuple(tuple(tuple(p) for p in g if p) for g in groups)
    clean = tuple(g for g in clean if g)
    if not clean or len(clean) > MAX_GROUPS:
        return None
    return head, clean, bare


def _group_forms(group: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """A group in full, as initials per part (KH TC TH) and as one run of initials (KHTCTH)."""
    full = tuple(w for part in group for w in part)
    per_part = tuple("".join(w[0] for w in part) for part in group)
    forms = [full, per_part, ("".join(per_part),)]
    if len(group) > 1:  # "Thi đua - Khen thưởng" is also written "Thi đua, Khen thưởng"
        forms.append(tuple(w for k, part in enumerate(group) for w in ((SEPARATOR,) if k else ()) + part))
    return list(dict.fromkeys(forms))


def _bare_ok(rest: tuple[str, ...], words: set[str]) -> bool:
    """Without its head a name needs three words, or initials of three letters or more."""
    rest = tuple(t for t in rest if t not in {SEPARATOR, "va"})
    if len(rest) >= MIN_SHORTENED_WORDS:
        return True
    return all(t not in words for t in rest) and sum(map(len, rest)) >= MIN_BARE_INITIALS


@lru_cache(maxsize=1)
def _text_abbreviations() -> frozenset[str]:
    with open_catalog("abbreviations.csv") as fh:
        return frozenset(fold_word(r["abbreviation"].strip()) for r in csv.DictReader(fh) if r.get("abbreviation"))


def _safe_initials(rest: tuple[str, ...]) -> bool:
    return len(rest) == 1 and rest[0] not in _text_abbreviations()


def derived_keys(name: str, with_bare: bool = True) -> set[tuple[str, ...]]:
    """Keys of the abbreviated and shortened forms of a unit name (see the module docstring).

    Only names with a head word (unit_heads.csv) are abbreviated. Without `with_bare`, of the forms
    without the head only a run of initials that is not a word of the text (abbreviations.csv:
    CCHC, TTHC) is kept: "Cải cách hành chính" is a unit only in a cell known to name units.
    """
    parsed = _groups(name)
    if parsed is None or not parsed[0]:
        return set()
    head, groups, bare = parsed
    head_forms: list[tuple[str, ...]] = [head]
    for h, abbrs, _ in heads():
        if h == head:
            head_forms += list(abbrs)
    words = {w for g in groups for p in g for w in p}
    out: set[tuple[str, ...]] = set()
    for n in range(len(groups), 0, -1):
        kept = groups[:n]
        if n < len(groups) and sum(len(p) for g in kept for p in g) < MIN_SHORTENED_WORDS:
            break  # shortened at a "và": only while enough of the name is left
        for forms in itertools.product(*(_group_forms(g) for g in kept)):
            for joiner in ((), ("va",)):
                rest = tuple(itertools.chain.from_iterable(
                    (f if i == 0 else joiner + f) for i, f in enumerate(forms)))
                for hf in head_forms:
                    out.add(hf + rest)
                if head and bare and _bare_ok(rest, words) and (with_bare or _safe_initials(rest)):
                    out.add(rest)  # "Quản lý công nghiệp", "QLCN": the division without "Phòng"
        initials = "".join(f[0] for f in (_group_forms(g)[-1] for g in kept))
        for hf in head_forms:
            if len(hf) == 1 and len(hf[0]) <= 3:
                out.add((hf[0] + initials,))  # TTKC, SNV, BPMC
    return {k for k in out if k}


# --- scopes ---------------------------------------------------------------------------------------

def _own_tail_variants(alias: str, agency: Agency) -> list[str]:
    """"Văn phòng Sở" also as "Văn phòng Sở Nội vụ" / "Văn phòng SNV" in that agency's plans."""
    if not alias.split()[-1:] or match_key(alias.split()[-1]) != "so":
        return []
    stem = alias.rsplit(None, 1)[0]
    return [f"{stem} {n}" for n in (agency.name, *agency.aliases)]


def _ext_units() -> dict[str, Unit]:
    """EXT.* rows of the catalog, and every agency as EXT.<prefix> (with its names as aliases)."""
    out = {uid: u for uid, u in concrete_units().items() if u.prefix == "EXT"}
    for a in agencies():
        uid = f"EXT.{a.prefix}"
        if uid in out:
            u = out[uid]
            out[uid] = Unit(uid, u.name, u.generic, tuple(dict.fromkeys((*u.aliases, a.name, *a.aliases))),
                            u.collective, u.note)
        else:
            out[uid] = Unit(uid, a.name, None, a.aliases)
    return out


def _templated(prefix: str, agency: Agency | None) -> dict[str, Unit]:
    out = {}
    for suffix, t in generic_units().items():
        aliases = t.aliases
        if agency is not None:
            aliases = tuple(dict.fromkeys((*aliases, *(v for a in (t.name, *t.aliases)
                                                        for v in _own_tail_variants(a, agency)))))
        out[f"{prefix}.{suffix}"] = Unit(f"{prefix}.{suffix}", t.name, None, aliases, t.collective, t.note)
    return out


def units_in_scope(prefix: str | None) -> list[Unit]:
    """Every unit a document of that agency prefix can name, its own first (None: EXT only)."""
    concrete = concrete_units()
    own: dict[str, Unit] = {}
    if prefix == ANY:
        own = {uid: u for uid, u in concrete.items() if u.prefix != "EXT"}
        own.update({uid: u for uid, u in _templated(ANY, None).items()})
    elif prefix:
        agency = next((a for a in agencies() if a.prefix == prefix), None) or Agency(prefix, (), prefix, True)
        own = {uid: u for uid, u in concrete.items() if u.prefix == prefix}
        if agency.generic_units:
            for uid, u in _templated(prefix, agency).items():
                own.setdefault(uid, u)  # a catalog row with the same id replaces the generic one
    ext = _ext_units()
    if prefix and prefix != ANY and f"{prefix}.LD" in own:
        me = ext.pop(f"EXT.{prefix}", None)  # the agency itself, named in its own plan: its leadership
        if me:
            ld = own[f"{prefix}.LD"]
            own[ld.unit_id] = Unit(ld.unit_id, ld.name, ld.generic, (*ld.aliases, me.name, *me.aliases),
                                   ld.collective, ld.note)
    return [*own.values(), *ext.values()]


@lru_cache(maxsize=32)
def scope(prefix: str | None) -> Scope:
    s = Scope()
    derived: dict[tuple[str, ...], set[str]] = {}
    for u in units_in_scope(prefix):
        s.units[u.unit_id] = u
        for name in (u.name, *u.aliases):
            k = key_of(name)
            if k:
                s.aliases.setdefault(k, u.unit_id)
                s.written.add(k)
            for d in derived_keys(name, with_bare=prefix != ANY):
                derived.setdefault(d, set()).add(u.unit_id)
    for k, ids in derived.items():
        if len(ids) == 1 and k not in s.aliases:
            s.aliases[k] = next(iter(ids))
    s.longest = max((len(k) for k in s.aliases), default=1)
    return s


def all_units() -> list[Unit]:
    """Every unit id the catalogs define, for the `units` dimension: the concrete rows, the
    generic units of every agency that has them, and every agency as EXT.<prefix>."""
    out: dict[str, Unit] = {uid: u for uid, u in concrete_units().items()}
    for a in agencies():
        if a.generic_units:
            for uid, u in _templated(a.prefix, None).items():
                out.setdefault(uid, u)
    for uid, u in _ext_units().items():
        out.setdefault(uid, u)
    return sorted(out.values(), key=lambda u: u.unit_id)
