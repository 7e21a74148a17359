"""Admission control for one server process: at most `[server] screen_slots` screens are drawn at
once (default: one per core), and at most one password check per core runs at a time.

Every session's script runs in its own thread and they all share Python's GIL. With 20 sessions
drawing at once on two cores, the event loop that serves the websockets and /_stcore/health got
the GIL so rarely that health answers took up to 5 s (benchmarks/load.py). Queued sessions wait
outside the GIL, so the loop stays responsive, and a screen's latency is its own work plus its
wait, not the work of every other session interleaved with it."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager

from data.reference import settings


def _slots() -> int:
    configured = int(settings().get("server", {}).get("screen_slots", 0))
    return configured if configured > 0 else max(1, os.cpu_count() or 1)


_screens = threading.BoundedSemaphore(_slots())
_password_checks = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


@contextmanager
def screen_slot():
    with _screens:
        yield


@contextmanager
def password_check_slot():
    with _password_checks:
        yield
