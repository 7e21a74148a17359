"""A new server process warms itself (serve.py), so the first user after a start or restart does not
pay for it: the screens' modules imported, the store opened with a first query (DuckDB reads its
catalog), the country's class clustering of the newest two years computed (the noise rule's design
effects), and the operational tables the screens join read into the frames they are kept as. On a
national store that is most of a fresh server's first login (about 0,5 s of 2 s, measured by
benchmarks.browser). It runs in a thread of its own and changes nothing; when the store is not
there yet (the first start builds it) or cannot be opened, it does nothing, and the screens say why.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time

_log = logging.getLogger(__name__)


def _warm() -> None:
    started = time.perf_counter()
    from data import operational_store, store
    from queries.runner import Scope, load_query, query_names, runner_for

    path = store.store_path()
    if not path.exists():
        return
    for module in ("charts", "key_figure_card", "tables", "wellbeing_sections"):  # the first screen's
        importlib.import_module(f"components.{module}")
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


def _warm_quietly() -> None:
    from components import gc_settings

    try:
        _warm()
    except Exception:  # a store that cannot be opened is the screens' to explain, in Danish
        _log.warning("warming the server failed; the first screens start cold", exc_info=True)
    gc_settings.settle()  # what the warm-up loaded is kept for the process's life


def start() -> None:
    threading.Thread(target=_warm_quietly, name="datablik-warmup", daemon=True).start()
