"""Which files a batch reads: every input accounted for, as a file to read or an issue row.

Folders are walked in sorted order, following links to folders once (a link back to an ancestor
is not walked again); a link that leads nowhere or loops, a file without read permission and a
pipe or device become `unreadable_file` rows, a missing input an `input_not_found` row.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .issues import issue, message

SKIP_NAMES = {"manifest.csv", ".DS_Store", "Thumbs.db", "desktop.ini"}


def _problem_with(path: Path, exc: OSError | None) -> dict:
    if exc is None:
        detail = f"{path.as_posix()} is not a regular file (a pipe, socket or device)"
    elif path.is_symlink():
        detail = f"{path.as_posix()} is a link that leads nowhere or loops ({os.strerror(exc.errno or 0)})"
    else:
        detail = f"cannot open {path.as_posix()} ({exc.strerror or exc})"
    return issue(path.as_posix(), "unreadable_file", message("unreadable_file", detail), severity="error")


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))  # never raises, unlike Path.resolve() on a link loop


def discover(inputs: Iterable[str], skip: set[Path]) -> tuple[list[tuple[Path, str]], list[dict]]:
    """Files to process as (path, name to report), and the issue rows of inputs that cannot be read."""
    found: list[tuple[Path, str]] = []
    problems: list[dict] = []

    def consider(f: Path) -> None:
        try:
            st = os.stat(f)
        except OSError as exc:
            problems.append(_problem_with(f, exc))
            return
        if not stat.S_ISREG(st.st_mode):
            problems.append(_problem_with(f, None))
        elif not os.access(f, os.R_OK):
            problems.append(_problem_with(f, PermissionError(13, "permission denied")))
        else:
            found.append((f, f.as_posix()))

    for given in inputs:
        p = Path(given)
        if p.is_dir():
            st = os.stat(p)
            visited = {(st.st_dev, st.st_ino)}

            for root, dirs, files in os.walk(p, followlinks=True, onerror=lambda exc, p=p: problems.append(
                    _problem_with(Path(exc.filename or p), exc))):
                keep = []
                for d in sorted(dirs):
                    full = Path(root) / d
                    if d.startswith(".") or _real(full) in skip:
                        continue
                    try:
                        st = os.stat(full)
                        inode = (st.st_dev, st.st_ino)
                    except OSError as exc:
                        problems.append(_problem_with(full, exc))
                        continue
                    if inode not in visited:  # a folder reached again through a link is not walked twice
                        visited.add(inode)
                        keep.append(d)
                dirs[:] = keep
                for name in sorted(files):
                    f = Path(root) / name
                    if name.startswith((".", "~$")) or name in SKIP_NAMES or _real(f) in skip:  # ~$: Word locks
                        continue
                    consider(f)
        elif p.exists() or p.is_symlink():
            consider(p)
        else:
            problems.append(issue(given, "input_not_found", message("input_not_found",
                                                                    f"input path {given} does not exist"),
                                  severity="error"))
    return found, problems
