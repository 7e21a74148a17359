"""LEAPS courses live in the operational store (issue 18, point 2; DuckDB migration 023): an import
writes its batch in DuckDB and its courses in the operational store together or not at all, and a
rollback puts back the courses it replaced, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest

from data import operational_store
from tests.operational import ops_rows
from tests.test_import import checksums, fixture, query, run_cli

pytestmark = pytest.mark.both_ops_backends
FILE = fixture("leaps", "utf8-bom-komma.csv")


def courses(path) -> list[tuple]:
    return ops_rows(path, "SELECT * FROM leaps_course ORDER BY course_id")


def scope_of_file(path) -> set[tuple]:
    return set(
        ops_rows(path, "SELECT DISTINCT institution_no, school_year FROM leaps_course WHERE batch_id IS NOT NULL")
    )


def test_a_leaps_import_whose_operational_write_fails_changes_neither_store(store_copy, monkeypatch, capsys):
    before = checksums(store_copy)

    def failing(self, cur, table, frame):
        raise sqlite3.OperationalError("disk I/O error")  # the operational store fails at the last moment

    monkeypatch.setattr(operational_store.OperationalStore, "insert_frame", failing)
    assert run_cli(store_copy, "import", "leaps", str(FILE)) == 1
    assert "intet er ændret" in capsys.readouterr().err
    assert checksums(store_copy) == before  # no batch in DuckDB, no course archived, deleted or added
    assert query(store_copy, "SELECT count(*) FROM import_batch WHERE source LIKE 'leaps%'") == [(0,)]


def test_a_leaps_import_replaces_its_schools_courses_and_a_rollback_puts_them_back(store_copy, capsys):
    before = courses(store_copy)
    assert run_cli(store_copy, "import", "leaps", str(FILE)) == 0
    assert "importeret som parti" in capsys.readouterr().out
    imported = scope_of_file(store_copy)
    assert imported, "the file's courses are in the operational store"
    kept = [r for r in before if (r[1], r[2]) not in imported]
    replaced = [r for r in before if (r[1], r[2]) in imported]
    assert replaced, "the demo has courses in the file's schools and years"
    after = courses(store_copy)
    assert [r for r in after if (r[1], r[2]) not in imported] == kept
    assert not {r[0] for r in replaced} & {r[0] for r in after}
    (batch,) = query(store_copy, "SELECT max(batch_id) FROM import_batch")[0]
    assert ops_rows(store_copy, "SELECT count(*) FROM import_archive_leaps_course WHERE archived_by = ?", [batch]) == [
        (len(replaced),)
    ]
    assert run_cli(store_copy, "rollback", str(batch)) == 0
    assert "lagt tilbage" in capsys.readouterr().out
    assert courses(store_copy) == before
    assert ops_rows(store_copy, "SELECT count(*) FROM import_archive_leaps_course") == [(0,)]
