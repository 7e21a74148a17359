"""Every screen's full server-side run (Streamlit AppTest) for each level: the first run with an
empty query cache (cold; after a warm-up pass, so Python has imported every screen's code, as in a
running server) and repeated runs (warm). Also records the queries each screen runs, with
their scope and parameters, for benchmarks/queries.py to replay."""

from __future__ import annotations

import statistics
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _logged_in(username: str, password: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    at.run()
    return at


@contextmanager
def _one_script_cache():
    """A server's runtime keeps one cache of the scripts' compiled code for every session; AppTest
    makes a new one for each run, so every run would compile app.py and the screen again (about 16 ms
    of a warm run on the 2-core machine) where a server does not. The benchmark runs as a server does."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved


def measure(store: Path, levels: list[tuple[str, str, str]], password: str, runs: int) -> tuple[list[dict], list]:
    """(one row per level and screen, the recorded query calls)."""
    with _one_script_cache():
        return _measure(store, levels, password, runs)


def _measure(store: Path, levels: list[tuple[str, str, str]], password: str, runs: int) -> tuple[list[dict], list]:
    from components import gc_settings
    from components.navigation import SCREENS
    from queries import runner as runner_module

    calls: list[tuple[str, str, object, dict]] = []
    original = runner_module.Runner.run

    def recording(self, name, scope, **params):
        calls.append((current[0], name, scope, params))
        return original(self, name, scope, **params)

    runner_module.Runner.run = recording
    current = [""]
    rows = []
    try:
        runner = runner_module.runner_for(store)
        # Warm-up: every screen once as the last level, so "cold" below measures an empty query cache
        # in a running server, not Python importing a screen's modules for the first time.
        _, username, role = levels[-1]
        at = _logged_in(username, password)
        for screen in (s for s in SCREENS if role in s.roles):
            at.switch_page(f"views/{screen.file}")
            at.run()
        gc_settings.settle()  # as serve.py's warm-up does in a server
        for label, username, role in levels:
            at = _logged_in(username, password)
            for screen in (s for s in SCREENS if role in s.roles):
                at.switch_page(f"views/{screen.file}")
                runner._cache.clear()  # cold: no query of this screen has run in this process's cache
                current[0] = label
                started = time.perf_counter()
                at.run()
                cold = time.perf_counter() - started
                current[0] = ""
                if at.exception:
                    raise RuntimeError(f"{screen.title} ({label}): {at.exception[0].value}")
                warm = []
                for _ in range(runs):
                    started = time.perf_counter()
                    at.run()
                    warm.append(time.perf_counter() - started)
                rows.append(
                    {
                        "level": label,
                        "screen": screen.title,
                        "cold_ms": cold * 1000,
                        "median_ms": statistics.median(warm) * 1000,
                        "p95_ms": percentile(warm, 0.95) * 1000,
                    }
                )
    finally:
        runner_module.Runner.run = original
    return rows, calls
