"""A new server process warms itself (serve.py), so the first user after a start or restart does not
pay for it: every module app.py and the screens import (python-docx, the document templates, the
emoji table Streamlit compiles for the login's message: together 0,3-0,4 s of the first login), one
chart built (Altair's class table), the store opened with a first query (DuckDB reads its
catalog), the country's class clustering of the newest two years computed (the noise rule's design
effects), and the operational tables the screens join read into the frames they are kept as. On a
national store that is most of a fresh server's first login (about 0,5 s of 2 s, measured by
benchmarks.browser). It runs in a thread of its own and changes nothing; when the store is not
there yet (the first start builds it) or cannot be opened, it does nothing, and the screens say why.
"""

from __future__ import annotations

import ast
import importlib
import importlib.abc
import logging
import sys
import threading
import time
from contextlib import suppress
from pathlib import Path

_log = logging.getLogger(__name__)
FINISHED = "warm-up finished"  # logged last (benchmarks.browser waits for it: the morning's server is warm)
ROOT = Path(__file__).resolve().parent.parent
_PACKAGES = ("components", "queries", "data")


def screen_modules() -> list[str]:
    """The project's modules that app.py and the screens import, read from their import statements
    (a screen's own file is its page: importing it would run it)."""
    found: set[str] = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in _PACKAGES:
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in _PACKAGES:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.split(".")[0] in _PACKAGES}
    return sorted(found)


# Libraries that declare a Streamlit component when imported: Streamlit registers a component only
# when it is declared inside a script run, so imported here their components would never be served
# (the login page's cookie manager: the page never finished). The login page imports them itself.
DECLARE_COMPONENTS_ON_IMPORT = ("streamlit_authenticator", "extra_streamlit_components")


class _NotInThisThread(importlib.abc.MetaPathFinder):
    """Refuses the libraries above to this thread's imports (other threads import as always)."""

    def __init__(self):
        self.thread = threading.get_ident()

    def find_spec(self, name, path=None, target=None):
        if threading.get_ident() == self.thread and name.split(".")[0] in DECLARE_COMPONENTS_ON_IMPORT:
            raise ImportError(f"{name} is imported by a script run, not by the warm-up")
        return None


def _import_screens() -> None:
    """Import what the screens import, except what needs a script run (above), and build one chart."""
    refuse = _NotInThisThread()
    sys.meta_path.insert(0, refuse)
    try:
        for module in screen_modules():
            with suppress(ImportError):  # it imports one of the libraries above: the login page's to import
                importlib.import_module(module)
        importlib.import_module("streamlit.emojis")  # compiled on the first message with an emoji (the login's)
    finally:
        sys.meta_path.remove(refuse)
    import polars as pl

    from components import charts

    frame = pl.DataFrame({"Skoleår": ["2024/25", "2025/26"], "Serie": ["Skolen"] * 2, "Værdi": [1.0, 2.0]})
    charts.spec(charts.trend(frame, "Værdi", "Opvarmning"))  # Altair's class table and its schema


def _warm() -> None:
    started = time.perf_counter()
    from data import operational_store, store
    from queries.runner import Scope, load_query, query_names, runner_for

    path = store.store_path()
    if not path.exists():
        return
    runner = runner_for(path, read_only=store.read_only_requested())
    admin = Scope("admin", None)
    years = runner.run("school_years", admin)
    # The design effects every first screen's figures need: one result for every scope (queries/runner.py).
    for year in sorted(years["school_year"].to_list())[-2:]:
        runner.run("class_clustering", admin, school_year=year)
    specs = [load_query(name) for name in query_names()]
    joined = {table for spec in specs if spec.joins_stores for table in spec.operational}
    versions = runner.ops.versions()
    for table in sorted(joined - set(operational_store.PUPIL_WORK_TABLES)):  # the team's tables: per school
        runner.ops.frame(table, versions.get(table, 0))
    _log.info("server warmed in %.1f s", time.perf_counter() - started)


def _warm_quietly(in_a_server: bool = False) -> None:
    from components import gc_settings

    try:
        _warm()
        if in_a_server:
            _import_screens()
    except Exception:  # a store that cannot be opened is the screens' to explain, in Danish
        _log.warning("warming the server failed; the first screens start cold", exc_info=True)
    gc_settings.settle()  # what the warm-up loaded is kept for the process's life
    _log.info(FINISHED)


def start() -> None:
    threading.Thread(target=_warm_quietly, args=(True,), name="datablik-warmup", daemon=True).start()
