"""The output folder: one lock, run folders, and one atomic switch for every dataset.

    DIR/<name>  -> current/<name>          one relative link per dataset, where the contract puts it
    DIR/current -> .cchc/runs/<run id>     replaced by one rename: every dataset switches at once
    DIR/.cchc/  lock, cache/, runs/, tmp/  (state.json lives in the run folder, so it switches too)

A run writes a new run folder, then renames a fresh `current` link over the old one; a run killed
at any point leaves the previous output current, and its leftovers are removed by the next run.
Relative links keep the folder valid when it is moved. Where the file system cannot hold
symbolic links, the datasets are swapped one by one (the older layout) and a warning says so.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import time
import uuid
from pathlib import Path

STATE_DIR = ".cchc"
CURRENT = "current"
STATE_FILE = "state.json"
LEGACY_PREFIXES = (".cchc-staging-",)  # staging folders of the per-dataset writer


class OutputBusy(RuntimeError):
    """Another cchc run holds the output folder."""


class OutputLock:
    """An exclusive lock on DIR (flock on DIR/.cchc/lock): released when the process ends, even by kill -9."""

    def __init__(self, out: Path):
        self.path = out / STATE_DIR / "lock"
        self.fh = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise OutputBusy(f"{self.path.parent.parent} is being written by another cchc run ({holder}): "
                                 "wait for it to finish, or give another --out") from exc
            raise
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        fh.flush()
        self.fh = fh
        return self

    def __exit__(self, *exc) -> None:
        if self.fh is not None:
            self.fh.close()  # closing releases the flock
            self.fh = None


def new_run_id() -> str:
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Layout:
    """Paths of one output folder and the moves between its runs."""

    def __init__(self, out: Path):
        self.out = out
        self.state_dir = out / STATE_DIR
        self.runs = self.state_dir / "runs"
        self.tmp = self.state_dir / "tmp"
        self._links: bool | None = None

    # -- where things are -------------------------------------------------------------------------
    def current_run(self) -> Path | None:
        link = self.out / CURRENT
        if link.is_symlink():
            target = (self.out / os.readlink(link))
            return target if target.is_dir() else None
        return None

    def state_path(self) -> Path:
        run = self.current_run()
        return run / STATE_FILE if run is not None else self.state_dir / STATE_FILE

    def load_state(self) -> dict:
        try:
            return json.loads(self.state_path().read_text("utf-8"))
        except (OSError, ValueError):
            return {"files": {}}

    def has_output(self, names) -> bool:
        return all((self.out / n).is_dir() for n in names)

    def symlinks_supported(self) -> bool:
        """Can this file system hold the links the switch needs? (FAT, exFAT and some network shares cannot.)"""
        if self._links is None:
            self.tmp.mkdir(parents=True, exist_ok=True)
            probe = self.tmp / f"link-probe-{uuid.uuid4().hex[:6]}"
            try:
                os.symlink("runs", probe)
                self._links = True
            except OSError:
                self._links = False
            finally:
                if probe.is_symlink():
                    probe.unlink()
        return self._links

    # -- before a run ----------------------------------------------------------------------------
    def clean_leftovers(self, names) -> None:
        """Remove what killed runs left (call with the lock held: no other run is writing)."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        keep = self.current_run()
        if self.runs.is_dir():
            for run in self.runs.iterdir():
                if keep is None or run.resolve() != keep.resolve():
                    shutil.rmtree(run, ignore_errors=True)
        if self.out.is_dir():
            for p in self.out.iterdir():
                if p.name.startswith(f".{CURRENT}.") and p.is_symlink() or p.name.startswith(LEGACY_PREFIXES):
                    _remove(p)
        for name in names:
            old = self.out / f".{name}.old"
            if old.exists():
                _remove(old)

    def run_tmp(self, run_id: str) -> Path:
        path = self.tmp / run_id
        path.mkdir(parents=True, exist_ok=True)
        return path

    def new_run(self, run_id: str) -> Path:
        path = self.runs / run_id
        path.mkdir(parents=True)
        return path

    # -- the switch ------------------------------------------------------------------------------
    def switch(self, run: Path, names) -> None:
        """Make `run` current for every dataset at once; prune the runs before it."""
        names = list(names)
        self._adopt_real_folders(names)
        for name in names:
            self._link(self.out / name, f"{CURRENT}/{name}")  # dangles until the first switch: harmless
        self._link(self.out / CURRENT, os.path.relpath(run, self.out))  # the one atomic step
        for p in self.out.iterdir():  # datasets no longer declared would dangle
            if p.is_symlink() and p.name not in names and os.readlink(p) == f"{CURRENT}/{p.name}":
                p.unlink()
        for old in self.runs.iterdir():
            if old.resolve() != run.resolve():
                shutil.rmtree(old, ignore_errors=True)

    def _link(self, where: Path, target: str) -> None:
        if where.is_symlink() and os.readlink(where) == target:
            return
        tmp = where.with_name(f".{CURRENT}.{uuid.uuid4().hex[:8]}")
        os.symlink(target, tmp)
        os.replace(tmp, where)

    def _adopt_real_folders(self, names: list[str]) -> None:
        """An output of the per-dataset layout (real folders) becomes a run, dataset by dataset, so it
        stays readable until the switch."""
        real = [n for n in names if (self.out / n).is_dir() and not (self.out / n).is_symlink()]
        if not real:
            return
        current = self.current_run()
        if current is None:
            current = self.new_run(f"adopted-{new_run_id()}")
            legacy_state = self.state_dir / STATE_FILE
            if legacy_state.exists():  # the inputs it lists (kept until --prune) must stay known
                os.replace(legacy_state, current / STATE_FILE)
            self._link(self.out / CURRENT, os.path.relpath(current, self.out))
        for name in real:
            dest = current / name
            if dest.exists():
                shutil.rmtree(dest)
            os.replace(self.out / name, dest)
            self._link(self.out / name, f"{CURRENT}/{name}")

    def swap_per_dataset(self, staged: Path, names) -> None:
        """Fallback without links: each dataset folder replaced by rename, one after the other."""
        for name in names:
            target, old = self.out / name, self.out / f".{name}.old"
            if old.exists():
                _remove(old)
            if target.is_symlink():
                target.unlink()
            elif target.exists():
                os.replace(target, old)
            os.replace(staged / name, target)
            if old.exists():
                _remove(old)
        state = staged / STATE_FILE
        if state.exists():
            os.replace(state, self.state_dir / STATE_FILE)


def _remove(p: Path) -> None:
    if p.is_symlink() or p.is_file():
        p.unlink(missing_ok=True)
    else:
        shutil.rmtree(p, ignore_errors=True)
