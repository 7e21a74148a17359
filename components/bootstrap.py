"""First start: build the demo store when there is no store yet, with a progress bar; at a
configured path, say how to make the municipality's own store instead.

The build runs once, in a thread of the server's own (not in a visitor's script run, which a reload
or a closed tab stops), under a lock: one build per store in this process, and a file lock beside
the store for other processes. `demo.build` writes a temporary file and renames it into place only
when it is complete, so a half-built file is never taken for a store; a build that was cut off
(the server stopped) leaves only that temporary file, which the next build removes. Every visitor,
and a reload, sees the same build's progress."""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from data import demo, store, users


@dataclass
class Build:
    """One first-start build: its progress as the builder reports it, and how it ended."""

    share: float = 0.0
    text: str = "venter på at gå i gang"
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


_log = logging.getLogger(__name__)
_builds: dict[Path, Build] = {}
_builds_lock = threading.Lock()


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def start_build(path: Path) -> Build:
    """The build of `path` under way in this process, or a new one started in the background."""
    path = Path(path).resolve()
    with _builds_lock:
        build = _builds.get(path)
        if build is None or build.done.is_set():  # none yet, or an earlier one that failed or was removed since
            build = _builds[path] = Build()
            threading.Thread(target=_build, args=(path, build), name="datablik-first-start", daemon=True).start()
        return build


def _build(path: Path, build: Build) -> None:
    def progress(share: float, text: str) -> None:
        build.share, build.text = share, text

    try:
        store.private_folder(path.parent)
        with open(lock_path(path), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another process building this store: wait for it
            if not path.exists():
                started = time.perf_counter()
                _log.info("ingen database i %s; bygger demodata i baggrunden.", path)
                demo.build(path, progress=progress)
                users.write_demo_users(path)
                _log.info("demodata bygget på %.1f s.", time.perf_counter() - started)
        build.share, build.text = 1.0, "Færdig"
    except Exception as exc:  # shown to the next visitor, who can try again by reloading
        build.error = f"{type(exc).__name__}: {exc}"
        _log.error("demodata kunne ikke bygges: %s", build.error, exc_info=True)
    finally:
        build.done.set()


def ensure_store() -> None:
    """Build the demo store on first start, but only at the default path: a configured
    DATABLIK_DB that is missing is an error to report, not a place to put fictional data."""
    path = store.store_path()
    if path.exists():
        return
    if os.environ.get("DATABLIK_DB"):
        st.title("Datablik: ingen database endnu")
        st.warning(
            f"Der er ingen database i {path} (DATABLIK_DB). Datablik lægger aldrig demodata der. "
            "Dataansvarlig opretter den på serveren, med samme DATABLIK_DB, på én af disse måder, "
            "og genindlæser så siden:"
        )
        st.markdown("**Kommunens egen database** (tom; derefter brugere, hemmeligheder og import):")
        st.code(
            "python -m data init\npython -m data users add NAVN --role admin\npython -m data secrets", language="bash"
        )
        st.markdown("**Fra en sikkerhedskopi:**")
        st.code("python -m data restore MAPPE", language="bash")
        st.markdown("**En demokommune med fiktive tal:**")
        st.code("python -m data demo", language="bash")
        st.caption("Står DATABLIK_DB forkert, så ret den og genstart appen.")
        st.stop()
    build = start_build(path)
    notice = st.empty()
    with notice.container():
        st.info(
            "Der er ingen database endnu, så Datablik bygger en demokommune med fiktive tal. "
            "Det tager et øjeblik. Siden kan godt genindlæses eller lukkes imens; bygningen fortsætter."
        )
        bar = st.progress(build.share, text=f"Bygger demodata: {build.text}")
    while not build.done.wait(timeout=0.25):  # a reload stops this loop, never the build
        bar.progress(build.share, text=f"Bygger demodata: {build.text}")
    if build.error or not path.exists():
        notice.empty()
        st.error(
            "Demodata kunne ikke bygges. Genindlæs siden for at prøve igen; står fejlen der stadig, "
            f"så se serverens log. ({build.error or 'ingen database efter bygningen'})"
        )
        st.stop()
    notice.empty()
