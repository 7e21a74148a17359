"""Shared fixtures: one demo store per test session, built into a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """The default demo municipality, with its users file; the app and runner point at it."""
    from data import demo, users

    os.environ.pop("DATABLIK_OPS_URL", None)  # the demo's operational store is its SQLite file; see ops_backend
    folder = tmp_path_factory.mktemp("store")
    path = folder / "demo.duckdb"
    demo.build(path)
    users_file = users.write_demo_users(path, folder / "users.yaml")
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
