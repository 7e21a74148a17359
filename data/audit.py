"""The one way to write the audit log: who, when, what (in Danish words), and which school it concerned.

Code names the actions by their query or event name; `reference/audit_actions.csv` gives each the
Danish words a data protection officer reads in the log.

The log lives in the operational store (data/operational_store.py), which every server process
shares. An entry made inside a DuckDB transaction (an import, a rollback, an edit of an analytical
table) waits on that cursor and is written by `flush` in the same moment the DuckDB transaction
commits (`discard` when it rolls back), so a refused import leaves no entry. An import's writes of
operational tables (LEAPS courses) wait on the cursor the same way (`later`) and run in that same
operational transaction, before the DuckDB COMMIT: both stores commit, or neither.
"""

from __future__ import annotations

import csv
import threading
from functools import cache

import duckdb

from data.reference import REFERENCE_DIR


@cache
def action_words() -> dict[str, str]:
    with open(REFERENCE_DIR / "audit_actions.csv", encoding="utf-8", newline="") as f:
        return {row["action"]: row["words"] for row in csv.DictReader(f, delimiter=";")}


_pending: dict[int, list[tuple]] = {}
_later: dict[int, list] = {}  # cursor id -> work(operational cursor) to run when it commits
_pending_lock = threading.Lock()


def record(
    cur,
    username: str,
    action: str,
    target: str | None,
    detail: str | None = None,
    school: str | None = None,
) -> None:
    """Append one entry: at once on an operational-store cursor (inside its transaction), or, on a
    DuckDB cursor, when that cursor's transaction commits (`flush`)."""
    from data.operational_store import Cursor, now_text

    entry = (now_text(), username, action_words().get(action, action), target, detail, school)
    if isinstance(cur, Cursor):  # an operational-store transaction's cursor (SQLite or PostgreSQL)
        insert(cur, [entry])
        return
    with _pending_lock:
        _pending.setdefault(id(cur), []).append(entry)


def insert(cur, entries: list[tuple]) -> None:
    """Entries on an operational-store transaction's cursor (data/operational_store.Cursor)."""
    cur.executemany(
        "INSERT INTO audit_log (logged_at, username, action, target, detail, school) VALUES (?, ?, ?, ?, ?, ?)", entries
    )


def later(cur: duckdb.DuckDBPyConnection, work) -> None:
    """Run `work(operational cursor)` in the operational transaction that `commit` opens for this
    DuckDB cursor's transaction (in the order given); dropped if it rolls back (`discard`)."""
    with _pending_lock:
        _later.setdefault(id(cur), []).append(work)


def take(cur: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The entries waiting on a DuckDB cursor (and forget them)."""
    with _pending_lock:
        return _pending.pop(id(cur), [])


def discard(cur: duckdb.DuckDBPyConnection) -> None:
    take(cur)
    with _pending_lock:
        _later.pop(id(cur), None)


def commit(cur: duckdb.DuckDBPyConnection, ops=None) -> None:
    """COMMIT a DuckDB transaction and write the audit entries waiting on its cursor in the same
    moment: the operational store's transaction is open (its write lock held) before the DuckDB
    COMMIT and commits right after it, so either both stand or, if DuckDB's commit fails, neither."""
    entries = take(cur)
    with _pending_lock:
        work = _later.pop(id(cur), [])
    if not entries and not work:
        cur.execute("COMMIT")
        return
    if ops is None:
        from data import operational_store, store

        ops = operational_store.for_store(store.live_path(store.database_file(cur)))
    with ops.transaction() as ocur:
        for step in work:  # a failure here raises before the DuckDB COMMIT: the caller rolls it back
            step(ocur)
        insert(ocur, entries)
        cur.execute("COMMIT")
