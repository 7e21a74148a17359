"""Revisionsspor's search runs in the operational store (SQLite or PostgreSQL): the same entries as the
DuckDB query over the whole log found, hostile input matched as text, and only the rows found read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from queries.runner import Scope, runner_for

pytestmark = pytest.mark.both_ops_backends
ADMIN = Scope("admin", None)

# The DuckDB query the screen ran before (over the whole log copied from the operational store), with a
# typed '%', '_' or '\' escaped so it is that character.
ESCAPED = r"replace(replace(replace({}, '\', '\\'), '%', '\%'), '_', '\_')"
REFERENCE = f"""
SELECT a.entry_id, a.logged_at, a.username, a.action, s.name AS school_name, a.school, a.target, a.detail
FROM audit_log a LEFT JOIN school s ON s.institution_no = a.school
WHERE (coalesce($username, '') = '' OR a.username ILIKE '%' || {ESCAPED.format("$username")} || '%' ESCAPE '\\')
  AND (len(coalesce($texts, [])) = 0 OR EXISTS (
        SELECT 1 FROM unnest($texts) AS t(term)
        WHERE concat_ws(' ', a.action, a.target, a.detail) ILIKE '%' || {ESCAPED.format("t.term")} || '%' ESCAPE '\\'))
  AND (coalesce($school, '') = '' OR a.school = $school
       OR s.name ILIKE '%' || {ESCAPED.format("$school")} || '%' ESCAPE '\\')
  AND (CAST($date_from AS DATE) IS NULL OR a.logged_at >= CAST($date_from AS DATE))
  AND (CAST($date_to AS DATE) IS NULL OR a.logged_at < CAST($date_to AS DATE) + INTERVAL 1 DAY)
ORDER BY a.entry_id DESC
LIMIT 1000
"""
HOSTILE = [
    ("kommune", "eksport", "100% sikker.xlsx", '{"place": "Aulaen"}', "900001"),
    ("kom_mune", "eksport", "under_score.docx", None, "900002"),
    ("kommxune", "eksport", "underxscore.docx", "100x sikker", None),
    ("o'brien", "ret samtale", "samtale 'citat'", "'; DROP TABLE audit_log; --", "900001"),
    ("ÆBLE", "visning", "Årgang (elevniveau)", "Øst for Ærø", "900002"),
    ("émile", "visning", "Overblik", 'back\\slash "x"', None),
]
SEARCHES = [
    {},
    {"username": "komm"},
    {"username": "KOM"},
    {"username": "%"},
    {"username": "_"},
    {"username": "kom_"},
    {"username": "o'b"},
    {"username": "æble"},
    {"username": "ÉMI"},
    {"texts": ["100%"]},
    {"texts": ["%"]},
    {"texts": ["_"]},
    {"texts": ["under_"]},
    {"texts": ["'; DROP"]},
    {"texts": ["øst", "aulaen"]},
    {"texts": ["ærø"]},
    {"texts": ["\\"]},
    {"texts": ['"x"']},
    {"texts": ["eksport overblik"]},
    {"texts": ["100x", "citat"], "username": "o"},
    {"school": "900001"},
    {"school": "90000"},
    {"school": "%"},
    {"school": "_"},
    {"school": "'; DROP"},
    {"school": "skole"},
    {"school": "SKOLE"},
    {"date_from": date.today(), "date_to": date.today()},
    {"date_to": date(2000, 1, 1)},
    {"date_from": date.today() + timedelta(days=1)},
]


def _record(runner, entries) -> None:
    from data import audit

    with runner.ops.transaction() as cur:
        for username, action, target, detail, school in entries:
            audit.record(cur, username, action, target, detail, school)


def _old(runner, **filters):
    params = {"username": "", "texts": [], "school": "", "date_from": None, "date_to": None} | filters
    cur = runner._connection().cursor()
    try:
        cur.register("audit_log", runner.ops.frame("audit_log"))
        return cur.sql(REFERENCE, params=params).pl()
    finally:
        cur.close()


def test_the_search_finds_what_the_duckdb_query_over_the_whole_log_found_hostile_input_as_text(store_copy):
    from queries import audit_log

    runner = runner_for(store_copy)
    _record(runner, HOSTILE)
    for filters in SEARCHES:
        found = audit_log.search(runner, ADMIN, **filters)
        expected = _old(runner, **filters)
        assert found.columns == expected.columns
        assert found.rows() == expected.rows(), filters
    assert audit_log.search(runner, ADMIN, username="%").is_empty()  # a '%' typed is no wildcard
    assert audit_log.search(runner, ADMIN, username="kom_")["username"].to_list() == ["kom_mune"]
    assert audit_log.search(runner, ADMIN, texts=["100%"])["target"].to_list() == ["100% sikker.xlsx"]
    assert {"900001", "900002"} <= set(audit_log.search(runner, ADMIN, school="skole")["school"].to_list())
    assert runner.ops.rows("SELECT count(*) FROM audit_log")[0][0] >= len(HOSTILE)  # nothing dropped


def test_a_search_of_a_large_log_reads_only_the_rows_it_shows_from_the_operational_store(store_copy):
    from queries import audit_log

    runner = runner_for(store_copy)
    _record(runner, [(f"bruger{i}", "eksport", f"fil{i}.xlsx", None, "900001") for i in range(5_200)])
    before = runner.ops.whole_rows_read
    found = audit_log.search(runner, ADMIN, texts=["eksport"], school="900001")
    assert len(found) == 1000 and found["entry_id"].is_sorted(descending=True)
    assert found["school_name"].null_count() == 0
    assert runner.ops.whole_rows_read == before, "no whole table was copied out of the operational store"
    assert "audit_log" not in runner.ops._frames, "the runner holds no frame of the whole audit log"


def test_the_search_is_the_admins_only(store_copy):
    from queries import audit_log
    from queries.runner import ScopeError

    runner = runner_for(store_copy)
    with pytest.raises(ScopeError):
        audit_log.search(runner, Scope("ledelse", frozenset(["900001"])), school="900001")
