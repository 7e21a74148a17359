"""The team's assessments and learning triangles live in the operational store (issue 18, point 2;
DuckDB migration 24): a pupil register's replacement archives and deletes the left-out pupils' rows
there in the moment its DuckDB transaction commits (or neither store changes), a rollback puts them
back, and a rollback that would orphan a new pupil's assessments is refused, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3

import duckdb
import pytest

from data import operational_store
from queries.runner import Runner, Scope
from tests import import_examples as examples
from tests.operational import ops_rows
from tests.test_import import checksums, query, run_cli
from tests.test_import_register import SCHOOL, YEAR, one_row_register

pytestmark = pytest.mark.both_ops_backends
TEAM_TABLES = ("pupil_assessment", "triangle_placement", "triangle_note")


def team_rows(path, school: str = SCHOOL) -> dict[str, int]:
    """The team's rows of the school's pupils that year, per table (joined with the register in DuckDB)."""
    return {
        t: query(
            path,
            f"SELECT count(*) FROM {t} JOIN student s USING (school_year, student_key)"
            " WHERE s.institution_no = ? AND s.school_year = ?",
            [school, YEAR],
        )[0][0]
        for t in TEAM_TABLES
    }


def archived(path) -> dict[str, int]:
    return {t: ops_rows(path, f"SELECT count(*) FROM import_archive_{t}")[0][0] for t in TEAM_TABLES}


def test_a_replacement_whose_operational_write_fails_changes_neither_store(store_copy, tmp_path, monkeypatch, capsys):
    assert all(team_rows(store_copy).values()), "the demo school's pupils have assessments and triangles"
    before = checksums(store_copy)
    executemany = operational_store.Cursor.executemany

    def failing(self, sql, rows):
        if sql.startswith("DELETE FROM triangle_note"):  # the last of the team's tables: the rest went through
            raise sqlite3.OperationalError("disk I/O error")
        return executemany(self, sql, rows)

    monkeypatch.setattr(operational_store.Cursor, "executemany", failing)
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(one_row_register(tmp_path))) == 1
    assert "intet er ændret" in capsys.readouterr().err
    assert checksums(store_copy) == before  # no pupil removed in DuckDB, no team row archived or deleted
    assert query(store_copy, "SELECT count(*) FROM import_batch WHERE source LIKE 'pupils%'") == [(0,)]


def test_a_replacement_archives_the_left_out_pupils_team_rows_and_a_rollback_puts_them_back(
    store_copy, tmp_path, capsys
):
    before, rows = checksums(store_copy), team_rows(store_copy)
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(one_row_register(tmp_path))) == 0
    out = capsys.readouterr().out
    assert "vurderinger fra teamet" in out or "elever fjernet med deres data" in out, out
    left = team_rows(store_copy)
    assert sum(left.values()) < sum(rows.values()) // 10  # the one pupil left keeps at most its own rows
    gone = {t: rows[t] - left[t] for t in TEAM_TABLES}
    assert archived(store_copy) == gone  # every removed row is in the operational archive under the batch
    for table in TEAM_TABLES:  # no orphans
        assert query(
            store_copy,
            f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM student s"
            " WHERE s.school_year = t.school_year AND s.student_key = t.student_key)",
        ) == [(0,)], table
    [(batch,)] = query(store_copy, "SELECT max(batch_id) FROM import_batch")
    assert run_cli(store_copy, "rollback", str(batch)) == 0
    assert team_rows(store_copy) == rows
    assert archived(store_copy) == dict.fromkeys(TEAM_TABLES, 0)
    after = checksums(store_copy)
    changed = {t for t in before if before[t] != after.get(t)}
    assert not {t for t in changed if t.startswith("operational.")}, changed  # the team's rows as they were


def test_a_rollback_that_would_orphan_a_new_pupils_assessment_is_refused_and_changes_nothing(
    store_copy, tmp_path, capsys
):
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(examples.FOLDER / "pupils.xlsx")) == 0
    [(batch,)] = query(store_copy, "SELECT max(batch_id) FROM import_batch")
    [(year, pupil, school, grade)] = query(
        store_copy,
        "SELECT school_year, student_key, institution_no, grade FROM student WHERE batch_id = ?"
        " AND grade BETWEEN 1 AND 9 ORDER BY student_key LIMIT 1",
        [batch],
    )

    runner = Runner(duckdb.connect(str(store_copy), read_only=True))
    row = {"school": school, "school_year": year, "grade": grade, "student_key": pupil, "term": "efterår"}
    row |= {"area": "dansk", "score": 2, "username": "leder"}
    assert runner.write("upsert_pupil_assessment", Scope("ledelse", frozenset([school])), "leder", [row]) == 1
    runner._con.close()
    before = checksums(store_copy)
    assert run_cli(store_copy, "rollback", str(batch)) == 1
    assert "vurderinger fra teamet" in capsys.readouterr().err
    assert checksums(store_copy) == before
