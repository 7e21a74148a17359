"""The operational store (data/operational_store.py), a SQLite file beside the DuckDB file or the
PostgreSQL database of $DATABLIK_OPS_URL: private files, WAL, the runner's routing of each query to
the store that holds its tables, no write lost between threads, and the same values, relations and
refusals on both backends (the tests taking `ops_backend` run on each)."""

from __future__ import annotations

import re
import stat
import threading
from datetime import date

import polars as pl
import pytest

from data import operational_store
from queries.runner import QueryError, Scope, load_query, query_names, runner_for
from tests.operational import ops_rows

SYSTEM = Scope("admin", None)
LEDER = Scope("ledelse", frozenset(["900001"]))
HOSTILE = "'); DROP TABLE note; -- ? $body %s %(x)s 100% <script>alert(1)</script> æøå"

pytestmark = pytest.mark.both_ops_backends


@pytest.fixture
def fresh_ops(ops_backend, tmp_path) -> operational_store.OperationalStore:
    """A new, migrated operational store on the test's backend."""
    return operational_store.for_store(tmp_path / "s.duckdb")


def test_the_operational_store_and_its_wal_are_readable_by_their_owner_only(tmp_path):
    ops = operational_store.OperationalStore(tmp_path / "s.duckdb.ops.sqlite")
    with ops.transaction() as cur:
        cur.execute("INSERT INTO login_failure VALUES ('x', 1.0)")
    files = [p for p in tmp_path.iterdir() if p.name.startswith("s.duckdb.ops.sqlite")]
    assert {p.name for p in files} >= {"s.duckdb.ops.sqlite", "s.duckdb.ops.sqlite-wal"}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files), [(p.name, oct(p.stat().st_mode)) for p in files]
    assert ops.connection().execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_with_a_connection_string_the_operational_store_is_that_postgresql_database(tmp_path, monkeypatch):
    from tests.operational import drop_postgresql_schema, postgresql_schema

    url = postgresql_schema()
    monkeypatch.setenv("DATABLIK_OPS_URL", url)
    try:
        ops = operational_store.for_store(tmp_path / "s.duckdb")
        assert ops.postgresql and ops.schema_version() == len(operational_store.migrations())
        with ops.transaction() as cur:
            cur.execute("INSERT INTO login_failure VALUES ('x', 1.0)")
        assert operational_store.for_store(tmp_path / "other.duckdb") is ops  # one database for every store
        assert not list(tmp_path.iterdir())  # no SQLite file beside the store
        assert ops_rows(tmp_path / "s.duckdb", "SELECT username FROM login_failure") == [("x",)]
    finally:
        drop_postgresql_schema(url)


def test_a_postgresql_connection_lost_midway_gives_the_danish_message_changes_nothing_and_the_next_write_works(
    tmp_path, monkeypatch
):
    import psycopg

    from tests.operational import drop_postgresql_schema, postgresql_schema, postgresql_url

    url = postgresql_schema()
    monkeypatch.setenv("DATABLIK_OPS_URL", url)
    try:
        ops = operational_store.for_store(tmp_path / "s.duckdb")
        ((pid,),) = ops.rows("SELECT pg_backend_pid()")  # the one pooled connection this thread uses
        with psycopg.connect(postgresql_url(), autocommit=True) as admin:  # as a server restart would
            assert admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchone() == (True,)
        with pytest.raises(operational_store.OperationalStoreError, match="kan ikke nås; intet er ændret"):
            with ops.transaction() as cur:
                cur.execute("INSERT INTO login_failure VALUES ('tabt', 1.0)")
        with ops.transaction() as cur:
            cur.execute("INSERT INTO login_failure VALUES ('næste', 2.0)")
        assert ops.rows("SELECT username FROM login_failure") == [("næste",)]
    finally:
        drop_postgresql_schema(url)


def test_every_migration_runs_and_each_table_has_the_same_columns_and_kinds_as_in_sqlite(fresh_ops, tmp_path):
    sqlite = operational_store.OperationalStore(tmp_path / "reference.ops.sqlite")
    assert fresh_ops.schema_version() == sqlite.schema_version() == len(operational_store.migrations())
    order = fresh_ops.ordered_tables()  # parents first: PostgreSQL enforces the foreign keys
    assert order == sqlite.ordered_tables() and set(order) == operational_store.TABLES
    assert order.index("talk") < order.index("agenda_item") < order.index("note")
    for table in sorted(operational_store.TABLES):
        assert fresh_ops.columns(table) == sqlite.columns(table), table
        assert fresh_ops.frame(table).schema == sqlite.frame(table).schema, table  # typed, even empty


@pytest.fixture
def written(store_copy):
    """One talk with an agenda item, a note, the minutes (internal and public) and an agreement, written
    through the runner's portable queries, with hostile text in every field a user types."""
    runner = runner_for(store_copy)
    school, year = "900001", "2025/26"
    talk = {"talk_id": "pg-1", "school": school, "school_year": year, "talk_date": date(2026, 12, 10)}
    runner.write("create_talk", LEDER, "leder", [{**talk, "place": HOSTILE, "template": "standard"}])
    item = {"talk_id": "pg-1", "school": school, "position": 1, "starts_at": "09:30", "ends_at": "10:00"}
    runner.write(
        "insert_agenda_item",
        LEDER,
        "leder",
        [{**item, "title": HOSTILE, "screen": None, "questions": None, "kind": "andet"}],
    )
    runner.write(
        "save_note",
        LEDER,
        "leder",
        [{"item_id": "pg-1-1", "school": school, "body": HOSTILE, "base_version": 0, "username": "leder"}],
    )
    runner.write(
        "save_minutes_version",
        LEDER,
        "leder",
        [
            {
                "talk_id": "pg-1",
                "school": school,
                "base_version": 0,
                "username": "leder",
                "body_internal": HOSTILE,
                "body_public": "offentlig",
                "blocks": "[]",
            }
        ],
    )
    runner.write(
        "upsert_agreement",
        LEDER,
        "leder",
        [
            {
                "agreement_id": "pg-1-a",
                "talk_id": "pg-1",
                "school": school,
                "text": HOSTILE,
                "owner": "leder",
                "deadline": date(2027, 3, 1),
                "status": "i gang",
                "carried_from": None,
                "username": "leder",
            }
        ],
    )
    return runner


def test_user_text_is_stored_verbatim_and_the_joined_relations_are_typed_alike(written):
    runner = written
    agenda = runner.run("talk_agenda", LEDER, school="900001", talk_id="pg-1")
    assert agenda.select("title", "note").rows() == [(HOSTILE, HOSTILE)]
    assert agenda.schema["starts_at"] == pl.Time and agenda.schema["note_at"] == pl.Datetime("us")
    assert agenda["starts_at"].to_list()[0].isoformat() == "09:30:00"
    minutes = runner.run("talk_minutes_versions", LEDER, school="900001", talk_id="pg-1")
    assert minutes.schema["public"] == pl.Boolean and minutes.schema["created_at"] == pl.Datetime("us")
    assert sorted(minutes.select("public", "body_md").rows()) == [(False, HOSTILE), (True, "offentlig")]
    agreements = runner.run("talk_agreements", LEDER, school="900001", talk_id="pg-1")
    assert agreements.schema["deadline"] == pl.Date and agreements["deadline"].to_list() == [date(2027, 3, 1)]
    talks = runner.run("talks_for_school", LEDER, school="900001").filter(pl.col("talk_id") == "pg-1")
    assert talks.select("talk_date", "place").rows() == [(date(2026, 12, 10), HOSTILE)]
    assert ops_rows(runner, "SELECT body FROM note WHERE item_id = ?", ["pg-1-1"]) == [(HOSTILE,)]


def test_a_stale_note_on_either_backend_changes_nothing(written):
    runner = written
    stale = [{"item_id": "pg-1-1", "school": "900001", "body": "gammel", "base_version": 0, "username": "leder"}]
    with pytest.raises(QueryError, match="intet er ændret"):
        runner.write("save_note", LEDER, "leder", stale)
    assert ops_rows(runner, "SELECT body, version FROM note WHERE item_id = 'pg-1-1'") == [(HOSTILE, 1)]


SQLITE_ONLY = re.compile(
    r"\bINSERT\s+OR\b|\bREPLACE\s+INTO\b|\bPRAGMA\b|\browid\b|\bAUTOINCREMENT\b|\bWITHOUT\s+ROWID\b"
    r"|\b(?:strftime|julianday|datetime|ifnull|instr|group_concat|printf)\s*\(",
    re.IGNORECASE,
)


def test_without_a_postgresql_server_the_tests_fail_in_ci_and_are_skipped_locally(monkeypatch):
    from tests.operational import PG_URL_ENV, postgresql_url

    monkeypatch.delenv(PG_URL_ENV, raising=False)
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI runs the operational store tests on PostgreSQL"):
        postgresql_url()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        postgresql_url()


def test_the_sql_that_runs_in_the_operational_store_has_no_sqlite_only_forms():
    """Migrations and the queries the operational store runs must run on PostgreSQL too (the tests on
    PostgreSQL exercise them; this names the form at once, also where no PostgreSQL test reaches)."""
    texts = {path.name: path.read_text(encoding="utf-8") for _, path in operational_store.migrations()}
    texts |= {f"{n}.sql": load_query(n).sql for n in query_names() if load_query(n).operational_only}
    found = {}
    for name, text in texts.items():
        body = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
        if SQLITE_ONLY.search(body):
            found[name] = SQLITE_ONLY.search(body).group(0)
    assert found == {}
    assert SQLITE_ONLY.search("INSERT OR IGNORE INTO x VALUES (1)") and SQLITE_ONLY.search("PRAGMA table_info(t)")


def test_placeholders_and_percent_signs_inside_strings_and_comments_are_left_alone():
    sql = "SELECT '?', '$x', '100%' -- ? $y %\nFROM t WHERE a = ? AND b = $name AND c LIKE '%' || $name"
    assert operational_store.pg_sql(sql) == (
        "SELECT '?', '$x', '100%%' -- ? $y %%\nFROM t WHERE a = %s AND b = %(name)s AND c LIKE '%%' || %(name)s"
    )
    assert operational_store.pg_sql("SELECT 'it''s ?' WHERE x % 2 = 1") == "SELECT 'it''s ?' WHERE x %% 2 = 1"


def test_two_store_objects_see_each_others_writes_and_versions(fresh_ops):
    if fresh_ops.postgresql:
        other = operational_store.OperationalStore(url=fresh_ops.url)  # as a second server process has
    else:
        other = operational_store.OperationalStore(fresh_ops.path)
    before, seen_before = fresh_ops.versions(), other.versions()
    with other.transaction() as cur:
        cur.execute("INSERT INTO login_failure VALUES (?, ?)", ["fra-den-anden", 2.5])
    assert fresh_ops.versions()["login_failure"] != before["login_failure"]
    assert fresh_ops.rows("SELECT username, failed_at FROM login_failure") == [("fra-den-anden", 2.5)]
    with fresh_ops.transaction() as cur:
        cur.execute("DELETE FROM login_failure")
    assert other.versions()["login_failure"] != seen_before["login_failure"]
    assert other.rows("SELECT count(*) FROM login_failure") == [(0,)]
    other.close()


def test_a_writer_waiting_too_long_for_another_gets_the_danish_message_and_changes_nothing(fresh_ops, monkeypatch):
    monkeypatch.setattr(operational_store, "BUSY_TIMEOUT_SECONDS", 0.3)
    if fresh_ops.postgresql:
        other = operational_store.OperationalStore(url=fresh_ops.url)
    else:
        other = operational_store.OperationalStore(fresh_ops.path)
    holding, release = threading.Event(), threading.Event()

    def hold():
        with fresh_ops.transaction() as cur:
            cur.execute("INSERT INTO login_failure VALUES ('holder', 1.0)")
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        with pytest.raises(operational_store.OperationalStoreError, match="optaget; intet er ændret"):
            with other.transaction() as cur:
                cur.execute("INSERT INTO login_failure VALUES ('waiter', 1.0)")
    finally:
        release.set()
        holder.join()
    assert fresh_ops.rows("SELECT username FROM login_failure") == [("holder",)]
    other.close()


def test_a_session_is_found_by_its_exact_expiry_in_seconds_since_1970(fresh_ops):
    """The login tables key sessions on a float of seconds (the cookie's exp_date): stored to the last
    digit on both backends (PostgreSQL's REAL would round it to 4 bytes)."""
    expires = 1790000000.123456
    with fresh_ops.transaction() as cur:
        cur.execute("INSERT INTO login_session VALUES (?, ?, ?, NULL)", ["leder", expires, expires - 600])
    assert fresh_ops.rows("SELECT expires FROM login_session WHERE expires = ?", [expires]) == [(expires,)]


def test_sums_and_averages_come_back_as_the_same_python_numbers_on_both(fresh_ops):
    """PostgreSQL's sum of a BIGINT and its avg are numeric (Decimal in Python); SQLite's an int and a float."""
    with fresh_ops.transaction() as cur:
        cur.executemany(
            "INSERT INTO audit_log (logged_at, username, action) VALUES ('2026-01-01', ?, 'x')", [["a"], ["b"]]
        )
    found = fresh_ops.rows("SELECT sum(entry_id), avg(entry_id), count(*) FROM audit_log")
    assert found == [(3, 1.5, 2)] and [type(v) for v in found[0]] == [int, float, int]


def test_a_new_id_comes_back_from_insert_returning_on_both(fresh_ops):
    with fresh_ops.transaction() as cur:
        first = cur.execute(
            "INSERT INTO audit_log (logged_at, username, action) VALUES (?, 'a', 'b') RETURNING entry_id",
            ["2026-01-01"],
        ).fetchone()
        second = cur.execute(
            "INSERT INTO audit_log (logged_at, username, action) VALUES (?, 'a', 'b') RETURNING entry_id",
            ["2026-01-01"],
        ).fetchone()
    assert second[0] == first[0] + 1


def test_an_explicit_id_moved_in_is_followed_by_new_ids_above_it(fresh_ops):
    fresh_ops.adopt(
        "audit_log", ["entry_id", "logged_at", "username", "action"], [(41, "2026-01-02 03:04:05", "a", "b")]
    )
    fresh_ops.adopt(
        "audit_log", ["entry_id", "logged_at", "username", "action"], [(41, "2026-01-02 03:04:05", "x", "y")]
    )
    with fresh_ops.transaction() as cur:
        cur.execute(
            "INSERT INTO audit_log (logged_at, username, action) VALUES (?, ?, ?)",
            [operational_store.now_text(), "c", "d"],
        )
    assert fresh_ops.rows("SELECT entry_id, username FROM audit_log ORDER BY entry_id") == [(41, "a"), (42, "c")]


def test_an_unreachable_postgresql_gives_a_danish_message_and_the_write_changes_nothing(demo_runner, monkeypatch):
    runner = demo_runner
    monkeypatch.setattr(runner, "_ops", None)
    monkeypatch.setenv("DATABLIK_OPS_URL", "postgresql://datablik@127.0.0.1:1/datablik")  # nothing listens there
    with pytest.raises(QueryError, match="PostgreSQL.*kan ikke nås; intet er ændret"):
        runner.write("record_login_failure", SYSTEM, "x", [{"username": "x"}])
    with pytest.raises(QueryError, match="kan ikke nås"):
        runner.fresh("login_session_state", SYSTEM, username="x", expires=1.0, lockout_minutes=15)


def test_each_query_runs_where_its_tables_are():
    operational = {n for n in query_names() if load_query(n).operational_only}
    assert operational == {
        "login_session_open",
        "login_session_state",
        "record_login_failure",
        "record_login_session",
        "revoke_login_session",  # the login's bookkeeping
        "approve_minutes_version",
        "create_talk",
        "insert_agenda_item",
        "insert_participant",
        "save_minutes_version",
        "save_note",
        "update_agenda_item",
        "upsert_agreement",
        "owner_of_agenda_item",
        "owner_of_agreement",
        "owner_of_talk",
        "insert_effort",  # the school's own work: efforts, events, targets, projects, competence areas
        "update_effort",
        "delete_effort",
        "owner_of_effort",
        "insert_school_event",
        "delete_school_event",
        "owner_of_school_event",
        "set_participation_target",
        "owner_of_participation_target",
        "update_project_milestone",
        "owner_of_project_criterion",
        "upsert_competence_area",
        "owner_of_competence_area",
        "insert_leaps_course",  # LEAPS
        "update_leaps_course",
        "owner_of_leaps_course",
        "upsert_pupil_assessment",  # the team's assessments and learning triangles
        "upsert_triangle_placement",
        "upsert_triangle_note",
        "audit_log_entries",  # Revisionsspor's search: only the rows found leave the store
    }  # the talk's edits
    joining = {n for n in query_names() if load_query(n).joins_stores}
    assert joining == {
        "season_agenda_titles",
        "season_talks",
        "talk_agenda",
        "talk_agreements",
        "talk_minutes_versions",
        "talk_participants",
        "talks_for_school",
        "year_wheel",
        "school_efforts",
        "participation_targets",
        "school_projects",
        "project_milestones",
        "project_measured_criteria",
        "competence_areas",
        "data_freshness",
        "leaps_courses",
        "leaps_courses_done_vs_required",
        "leaps_rule_status",
        "municipality_leaps_status",
        "store_contents",
        "year_group_assessments",
        "year_group_warning_signs",
        "year_wheel_team",
        "triangle_placements",
    }  # read in DuckDB, the operational tables handed to it


def test_the_audit_log_screen_joins_the_operational_log_with_the_schools_and_filters_it(store_copy):
    from queries import audit_log
    from queries.runner import runner_for

    runner = runner_for(store_copy)
    runner.audit("leder", "visning", "Trivsel", "<script>alert(1)</script>", "900001")
    runner.audit("kommune", "eksport", "fil.xlsx")
    found = audit_log.search(runner, SYSTEM, username="lede", texts=[], school="", date_from=None, date_to=None)
    assert found.select("username", "target", "detail").rows() == [("leder", "Trivsel", "<script>alert(1)</script>")]
    assert found["school_name"].to_list()[0]  # the school's name, from the DuckDB file
    everything = audit_log.search(runner, SYSTEM, username="", texts=[], school="", date_from=None, date_to=None)
    assert everything["username"].to_list()[:2] == ["kommune", "leder"]  # newest first


def test_sixteen_threads_recording_failures_at_once_lose_none(store_copy):
    from queries.runner import runner_for

    runner = runner_for(store_copy)
    start = threading.Barrier(16)

    def one(i):
        start.wait()
        runner.write("record_login_failure", SYSTEM, f"u{i}", [{"username": f"u{i}"}])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ops_rows(runner, "SELECT count(*) FROM login_failure") == [(16,)]
    assert ops_rows(runner, "SELECT count(*) FROM audit_log WHERE action = 'mislykket login'") == [(16,)]


def test_a_commit_by_another_process_changes_the_version_every_thread_reads(fresh_ops):
    """Cached reads of operational tables are keyed on `versions()`; a thread that opens its own
    connection after another process's commit must not read the numbers from before it."""
    import threading

    if fresh_ops.postgresql:
        other = operational_store.OperationalStore(url=fresh_ops.url)
    else:
        other = operational_store.OperationalStore(fresh_ops.path)
    before = fresh_ops.versions()
    with other.transaction() as cur:
        cur.execute("INSERT INTO login_failure VALUES (?, ?)", ["fra-den-anden", 1.5])
    seen = []
    thread = threading.Thread(target=lambda: seen.append(fresh_ops.versions()))  # a new thread: its own connection
    thread.start()
    thread.join()
    assert seen[0]["login_failure"] != before["login_failure"] and seen[0] == fresh_ops.versions()
    other.close()


def _bulk_frames() -> dict[str, pl.DataFrame]:
    """Rows for replace_all with every kind of value a frame brings: timestamps, dates, times (with
    and without microseconds), booleans, NULLs, lists and hostile text, in no particular key order."""
    from datetime import datetime, time

    talks = pl.DataFrame(
        {
            "talk_id": ["t-2", "t-1", "t-3"],
            "institution_no": ["900001"] * 3,
            "school_year": ["2025/26"] * 3,
            "talk_date": [date(2026, 12, 10), date(1, 1, 1), date(9999, 12, 31)],
            "place": [HOSTILE, None, "æøå"],
            "status": ["planlagt", "afholdt", "referat godkendt"],
            "template": ["standard", None, "standard"],
        }
    )
    items = pl.DataFrame(
        {
            "item_id": ["t-1-2", "t-1-1", "t-2-1"],
            "talk_id": ["t-1", "t-1", "t-2"],
            "position": [2, 1, 1],
            "starts_at": [time(9, 30), time(0, 0, 0, 1), time(23, 59, 59, 999999)],
            "ends_at": [time(10, 0), time(12, 0, 0, 500000), time(23, 59, 59)],
            "title": [HOSTILE, "", "b"],
            "screen": [None, "trivsel", None],
        }
    )
    minutes = pl.DataFrame(
        {
            "talk_id": ["t-2", "t-1", "t-1"],
            "version": [1, 2, 1],
            "body_md": [HOSTILE, "b", "c"],
            "public": [True, False, True],
            "created_by": ["leder"] * 3,
            "created_at": [datetime(2026, 1, 2, 3, 4, 5), datetime(2026, 1, 2, 3, 4, 5, 6), datetime(1, 1, 1)],
            "blocks": [None, "[]", None],
        }
    )
    efforts = pl.DataFrame(
        {
            "effort_id": ["e-2", "e-1"],
            "institution_no": ["900001", "900001"],
            "name": [HOSTILE, "b"],
            "starts_on": [date(2025, 8, 1), date(2025, 8, 2)],
            "ends_on": [None, date(2026, 6, 30)],
            "indicators": [["wellbeing_generel", HOSTILE], []],
            "updated_by": ["leder", "leder"],
            "updated_at": [datetime(2026, 1, 1, 12), datetime(2026, 1, 1, 13)],
        }
    )
    projects = pl.DataFrame(
        {
            "project_id": ["p-1"],
            "institution_no": ["900001"],
            "title": ["t"],
            "purpose": ["p"],
            "start_date": [date(2025, 8, 1)],
            "end_date": [date(2026, 6, 30)],
        }
    )
    criteria = pl.DataFrame(
        {
            "criterion_id": ["c-3", "c-1", "c-2"],
            "project_id": ["p-1"] * 3,
            "kind": ["milepæl", "måling", "milepæl"],
            "text": [HOSTILE, "b", "c"],
            "due_date": [None, date(2026, 1, 1), None],
            "done": [None, True, False],
            "target_change": [None, 0.1, -2.5],
            "updated_by": ["leder"] * 3,
            "updated_at": [datetime(2026, 1, 1, 12)] * 3,
        }
    )
    assessments = pl.DataFrame(
        {
            "school_year": ["2025/26", "2024/25", "2025/26", "2025/26"],
            "term": ["forår", "efterår", "efterår", "efterår"],
            "student_key": ["k2", "k9", "k2", "k1"],
            "area": ["dansk", "matematik", "social_trivsel", "dansk"],
            "score": pl.Series([1, 5, 3, 2], dtype=pl.Int8),
            "assessed_by": ["team", HOSTILE, "team", "team"],
            "assessed_at": [datetime(2025, 11, 20, 15)] * 4,
        }
    )
    audit = pl.DataFrame(
        {
            "entry_id": [7, 3],
            "logged_at": [datetime(2026, 1, 1), datetime(2025, 1, 1)],
            "username": ["a", "b"],
            "action": ["x", "y"],
            "target": [None, HOSTILE],
        }
    )
    return {
        "talk": talks,
        "agenda_item": items,
        "minutes_version": minutes,
        "effort": efforts,
        "school_project": projects,
        "project_criterion": criteria,
        "pupil_assessment": assessments,
        "audit_log": audit,
    }


def _stored(ops, tables) -> dict[str, list]:
    """Each table's rows as stored, every value with its type (SQLite: its storage class)."""
    found = {}
    for table in tables:
        names = [n for n, _ in ops.columns(table)]
        if ops.postgresql:
            rows = ops.rows(f"SELECT * FROM {table}")
            rows = [tuple((type(v).__name__, v) for v in r) for r in rows]
        else:
            select = ", ".join(f'typeof("{n}"), "{n}"' for n in names)
            rows = [tuple(zip(r[::2], r[1::2], strict=True)) for r in ops.rows(f"SELECT {select} FROM {table}")]
        found[table] = sorted(rows, key=repr)
    return found


def test_replace_all_stores_the_values_exactly_as_the_rows_written_one_by_one(fresh_ops):
    frames = _bulk_frames()
    for table in fresh_ops.ordered_tables():  # the way every other write binds them (parents first)
        if table in frames:
            fresh_ops.adopt(table, frames[table].columns, frames[table].rows())
    one_by_one = _stored(fresh_ops, frames)
    read = {t: fresh_ops.frame(t).sort(fresh_ops.primary_key(t)) for t in frames}
    fresh_ops.replace_all(frames)
    assert _stored(fresh_ops, frames) == one_by_one
    for table in frames:
        assert fresh_ops.frame(table).sort(fresh_ops.primary_key(table)).equals(read[table]), table
    with fresh_ops.transaction() as cur:  # a new id continues after the largest written
        ((entry_id,),) = cur.execute(
            "INSERT INTO audit_log (logged_at, username, action) VALUES (?, 'c', 'z') RETURNING entry_id",
            [operational_store.now_text()],
        ).fetchall()
    assert entry_id == 8
    indexes = "SELECT indexname FROM pg_indexes" if fresh_ops.postgresql else "SELECT name FROM sqlite_master"
    assert ("pupil_assessment_pupil",) in fresh_ops.rows(indexes)  # dropped for the load, built again


def test_a_replacement_written_while_the_caller_works_is_seen_only_when_its_block_ends(fresh_ops):
    """The demo build hands the team's rows over school by school (`replacing`); until the block ends
    every reader sees the old rows, after it the same rows as one `replace_all`."""
    frames = _bulk_frames()
    fresh_ops.replace_all(frames)
    whole = _stored(fresh_ops, frames)
    fresh_ops.replace_all({t: f.clear() for t, f in frames.items()})
    assessments = frames["pupil_assessment"]
    other = operational_store.OperationalStore(fresh_ops.path) if not fresh_ops.postgresql else fresh_ops
    with fresh_ops.replacing(frames) as write:
        write({"pupil_assessment": assessments.head(1)})
        write({t: f for t, f in frames.items() if t != "pupil_assessment"})
        write({"pupil_assessment": assessments.slice(1)})
        assert other.rows("SELECT count(*) FROM pupil_assessment") == [(0,)]  # not yet committed
    assert _stored(fresh_ops, frames) == whole


def test_a_replacement_that_fails_changes_nothing_and_says_so_in_the_caller(fresh_ops):
    """A block that raises, and a write the store refuses (a score of 9), leave every table as it was,
    and the caller learns of the refused write instead of waiting on the writer."""
    frames = _bulk_frames()
    fresh_ops.replace_all(frames)
    before = _stored(fresh_ops, frames)
    with pytest.raises(RuntimeError, match="the build failed"):
        with fresh_ops.replacing(frames) as write:
            write({"talk": frames["talk"]})
            raise RuntimeError("the build failed")
    assert _stored(fresh_ops, frames) == before
    refused = frames["pupil_assessment"].with_columns(score=pl.lit(9))
    for later_writes in (0, 5):  # the error comes at the block's end, or at a write after the failure
        with pytest.raises(Exception, match="(?i)check"):
            with fresh_ops.replacing(frames) as write:
                write({"pupil_assessment": refused})
                for _ in range(later_writes):  # refused or dropped, never waited on
                    write({"talk": frames["talk"]})
        assert _stored(fresh_ops, frames) == before
    with pytest.raises(ValueError, match="not among the tables"):
        with fresh_ops.replacing(["talk"]) as write:
            write({"pupil_assessment": frames["pupil_assessment"]})
    assert _stored(fresh_ops, frames) == before


def test_replace_all_writes_in_key_order_without_binding_each_value_in_python(fresh_ops, monkeypatch):
    """The demo build's millions of pupil rows: a random order makes every insert a random B-tree
    insert, and Python's conversion per value cost as much as the write."""
    calls = []
    original = operational_store.Cursor.executemany
    monkeypatch.setattr(operational_store.Cursor, "executemany", lambda c, *a: calls.append(a) or original(c, *a))
    frames = _bulk_frames()
    fresh_ops.replace_all({t: frames[t] for t in ("pupil_assessment", "talk", "minutes_version", "audit_log")})
    assert [c for c in calls if c[0] != operational_store._SET_VERSION] == []  # one row per table, not per value
    if not fresh_ops.postgresql:
        keys = fresh_ops.rows("SELECT school_year, term, student_key, area FROM pupil_assessment ORDER BY rowid")
        assert keys == sorted(keys)
    effort = frames["effort"]
    fresh_ops.replace_all({"effort": effort})  # a list: bound the per-value way, as before
    stored = fresh_ops.frame("effort").sort("effort_id")["indicators"].to_list()
    assert calls and stored == effort.sort("effort_id")["indicators"].to_list()
