"""The operational store in tests: reading it (login sessions, failed logins, the audit log, the
talks) through its portable interface, copying it, and the PostgreSQL server the tests marked
`both_ops_backends` also run on ($DATABLIK_TEST_PG_URL; .ci/run starts one)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from data import operational_store

PG_URL_ENV = "DATABLIK_TEST_PG_URL"


def _ops(target) -> operational_store.OperationalStore:
    return target.ops if hasattr(target, "ops") else operational_store.for_store(Path(target))


def ops_rows(target, sql: str, params=()) -> list[tuple]:
    """Rows of portable `sql` (`?` placeholders) in the operational store of a Runner or of a DuckDB store file."""
    return _ops(target).rows(sql, list(params))


def ops_dicts(target, sql: str, params=()) -> list[dict]:
    return _ops(target).read(sql, list(params)).to_dicts()


def register_operational(cur, target) -> None:
    """Let a DuckDB cursor read the operational tables by their names, as the runner does: each frame
    kept until its table's version changes (tests/test_table_versions.py checks that every write
    changes the versions of the tables it writes)."""
    ops = _ops(target)
    versions = ops.versions()
    for table in sorted(operational_store.TABLES):
        cur.register(table, ops.frame(table, versions[table]))


def copy_store(source, target) -> None:
    """Copy a store and its operational store (its rows as committed, WAL included), without the logins
    and audit entries other tests made on the source: each copy starts with the demo as built. With
    $DATABLIK_OPS_URL set (a fresh PostgreSQL schema, `postgresql_schema`), the copy's operational
    rows go there."""
    import shutil
    import sqlite3

    shutil.copy(source, target)
    origin = operational_store.path_for(Path(source))
    if not origin.exists():
        return
    if operational_store.configured_url():
        demo = operational_store.OperationalStore(origin)
        try:
            dumped = demo.dump()
        finally:
            demo.close()
        for table in operational_store.LOGIN_TABLES:
            dumped.pop(table, None)
        operational_store.for_store(Path(target)).load(dumped)
        return
    src, dst = sqlite3.connect(str(origin)), sqlite3.connect(str(operational_store.path_for(Path(target))))
    try:
        src.backup(dst)
        for table in operational_store.LOGIN_TABLES:
            dst.execute(f"DELETE FROM {table}")
        dst.commit()
    finally:
        src.close()
        dst.close()


def postgresql_url() -> str:
    """The test server's connection string; without one a test is skipped locally and fails in CI."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_URL_ENV} is not set: CI runs the operational store tests on PostgreSQL (.ci/run)")
        pytest.skip(f"no PostgreSQL server for the tests ({PG_URL_ENV})")
    return url


def postgresql_schema() -> str:
    """A new, empty schema on the test server, as a connection string whose search_path is that schema."""
    import psycopg

    base = postgresql_url()
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(base, autocommit=True, connect_timeout=5) as con:
        con.execute(f"CREATE SCHEMA {name}")
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{name}"


def drop_postgresql_schema(url: str) -> None:
    """Close this process's store on `url` and drop its schema."""
    import psycopg

    store = operational_store._stores.pop(f"url:{url}", None)
    if store is not None:
        store.close()
    name = url.rsplit("%3D", 1)[1]
    with psycopg.connect(postgresql_url(), autocommit=True, connect_timeout=5) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
