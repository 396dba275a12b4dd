"""Ctrl-C and SIGTERM end a run in one line, at a safe point.

The handler only records the signal; the run checks for it between steps (each worker poll, each
document, before the switch) and stops there by raising Stopped, so the workers are killed and
the temporary folders removed on the way out, and the previous output stays current. Raising
from the handler itself is not safe: a signal landing inside a library's clean-up hook (logging's
fork handler, a finaliser) is swallowed there and the run would carry on."""
from __future__ import annotations

import signal
from contextlib import contextmanager

_pending: list[int] = []


class Stopped(Exception):  # noqa: N818 - reads as "the run was stopped"
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.signal_name = signal.Signals(signum).name


def _record(signum, _frame):
    if not _pending:
        _pending.append(signum)


def check_stop() -> None:
    """Raise Stopped if a stop signal has arrived (a no-op outside stop_on_signals)."""
    if _pending:
        raise Stopped(_pending[0])


@contextmanager
def stop_on_signals():
    _pending.clear()
    previous = {s: signal.signal(s, _record) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _pending.clear()
