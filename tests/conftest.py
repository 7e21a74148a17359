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
