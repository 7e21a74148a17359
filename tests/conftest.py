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


@pytest.fixture
def store_copy(demo_store, tmp_path, monkeypatch) -> Path:
    """A private copy of the demo store that the app and the runner point at, for tests that write."""
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
