"""Shared fixtures: one demo store per test session, built into a temporary folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    """The test command runs on two workers (pytest-xdist, `--dist loadfile` in pyproject.toml): a
    test file's tests stay on one worker, so its module fixtures (a store, a server, a Chromium) are
    made once. The files with browser tests are handed out first: the longest work first, the short
    files fill in at the end, so both workers finish at about the same time."""
    browser = {item.path for item in items if item.get_closest_marker("browser")}
    items.sort(key=lambda item: item.path not in browser)  # stable: each file keeps its own order


@pytest.fixture(scope="session")
def pristine_demo(tmp_path_factory) -> Path:
    """The folder of the default demo store as built, with its users file: built once for the whole
    run, by the first worker that asks (under a lock; the others wait and share it). Nothing opens
    these files; tests and servers use copies (`copy_demo`)."""
    import fcntl

    from data import demo, users

    os.environ.pop("DATABLIK_OPS_URL", None)  # the demo's operational store is its SQLite file; see ops_backend
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / "pristine-demo"
    with open(root / "pristine-demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build cut off in an earlier run
            folder.mkdir()
            demo.build(folder / "demo.duckdb")
            users.write_demo_users(folder / "demo.duckdb", folder / "users.yaml")
            (folder / "built").touch()
    return folder


def copy_demo(pristine: Path, folder: Path) -> tuple[Path, Path]:
    """A copy of the demo store as built and of its users file in `folder`: (store, users file)."""
    from tests.operational import copy_store

    folder.mkdir(parents=True, exist_ok=True)
    copy_store(pristine / "demo.duckdb", folder / "demo.duckdb")
    shutil.copy(pristine / "users.yaml", folder / "users.yaml")
    return folder / "demo.duckdb", folder / "users.yaml"


@pytest.fixture(scope="session")
def demo_store(pristine_demo, tmp_path_factory) -> Path:
    """The default demo municipality, with its users file; the app and runner point at it."""
    path, users_file = copy_demo(pristine_demo, tmp_path_factory.mktemp("store"))
    os.environ["DATABLIK_DB"] = str(path)
    os.environ["DATABLIK_USERS"] = str(users_file)
    return path


@pytest.fixture(scope="session")
def demo_runner(demo_store):
    from queries.runner import runner_for

    return runner_for(demo_store)


def pytest_generate_tests(metafunc):
    """A test marked `both_ops_backends` runs on each operational store: SQLite and PostgreSQL."""
    if "ops_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_ops_backends"):
        metafunc.parametrize("ops_backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def ops_backend(request, monkeypatch):
    """The operational store of the test: 'sqlite' (the file beside the store), or 'postgresql' (a fresh
    schema on the test server, as $DATABLIK_OPS_URL; tests/operational.py)."""
    from tests.operational import drop_postgresql_schema, postgresql_schema

    backend = getattr(request, "param", "sqlite")
    if backend != "postgresql":
        monkeypatch.delenv("DATABLIK_OPS_URL", raising=False)
        yield backend
        return
    url = postgresql_schema()
    monkeypatch.setenv("DATABLIK_OPS_URL", url)
    yield backend
    drop_postgresql_schema(url)


@pytest.fixture
def store_copy(demo_store, tmp_path, monkeypatch, ops_backend) -> Path:
    """A private copy of the demo store that the app and the runner point at, for tests that write
    (its operational store on the `ops_backend`)."""
    from tests.operational import copy_store

    path = tmp_path / "copy.duckdb"
    copy_store(demo_store, path)
    monkeypatch.setenv("DATABLIK_DB", str(path))
    return path


@pytest.fixture(scope="module", autouse=True)
def _one_chromium_and_reused_servers_per_module():
    """tests/browser.py keeps one Chromium and the reused app servers for a module; stop them at its end."""
    yield
    import sys

    if "tests.browser" in sys.modules:
        sys.modules["tests.browser"].close_shared()
