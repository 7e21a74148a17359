"""The store: its schema is migrated forward, never rebuilt, and the demo build is deterministic."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from data import demo, store
from data.demo_population import DemoParams
from tests.operational import ops_rows


def test_a_store_built_today_opens_after_tomorrows_migration(tmp_path, monkeypatch):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    shutil.copy(store.MIGRATIONS_DIR / "001_initial.sql", migrations)
    monkeypatch.setattr(store, "MIGRATIONS_DIR", migrations)
    path = tmp_path / "s.duckdb"
    con = store.connect(path)
    con.execute("INSERT INTO municipality VALUES ('183', 'Ishøj')")
    con.close()

    (migrations / "002_school_phone.sql").write_text("ALTER TABLE school ADD COLUMN phone VARCHAR;", encoding="utf-8")
    con = store.connect(path)
    assert store.schema_version(con) == 2
    assert con.execute("SELECT name FROM municipality").fetchall() == [("Ishøj",)]
    assert "phone" in [c[0] for c in con.execute("DESCRIBE school").fetchall()]
    assert store.migrate(con) == []  # running again does nothing
    con.close()


def test_a_failing_migration_changes_nothing(tmp_path, monkeypatch):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    shutil.copy(store.MIGRATIONS_DIR / "001_initial.sql", migrations)
    (migrations / "002_broken.sql").write_text(
        "ALTER TABLE school ADD COLUMN phone VARCHAR; SELECT * FROM no_such_table;", encoding="utf-8"
    )
    monkeypatch.setattr(store, "MIGRATIONS_DIR", migrations)
    with pytest.raises(duckdb.Error):
        store.connect(tmp_path / "s.duckdb")
    con = store.duckdb.connect(str(tmp_path / "s.duckdb"))
    assert "phone" not in [c[0] for c in con.execute("DESCRIBE school").fetchall()]
    assert con.execute("SELECT name FROM schema_version").fetchall() == [("001_initial.sql",)]


def test_the_store_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABLIK_DB", str(tmp_path / "x.duckdb"))
    assert store.store_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("DATABLIK_DB")
    assert store.store_path() == store.DATA_DIR / "datablik.duckdb"


def test_the_same_seed_builds_the_same_store(tmp_path):
    params = DemoParams(schools=3, pupils_per_school=0.3, years=2)
    sums = []
    for name in ("a.duckdb", "b.duckdb"):
        demo.build(tmp_path / name, params)
        con = store.connect(tmp_path / name, read_only=True)
        sums.append(
            con.execute(
                "SELECT (SELECT sum(hash(student_key, answer_option)) FROM wellbeing_answer),"
                " (SELECT sum(illness_days) FROM absence), (SELECT sum(grade) FROM exam_grade)"
            ).fetchone()
        )
        con.close()
    assert sums[0] == sums[1]


def test_the_demo_store_is_marked_as_demo_and_holds_no_cpr_numbers(demo_runner):
    assert demo_runner.is_demo()
    cur = demo_runner._con.cursor()
    cpr_shaped = cur.execute(
        "SELECT count(*) FROM student WHERE regexp_matches(student_key, '[0-3][0-9][01][0-9]{3}-?[0-9]{4}')"
    ).fetchone()[0]
    assert cpr_shaped == 0
    columns = [r[0] for r in cur.execute("SELECT column_name FROM information_schema.columns").fetchall()]
    assert not any("cpr" in c.lower() for c in columns)


def test_every_source_is_filled_in_the_demo_store(demo_runner):
    cur = demo_runner._con.cursor()
    for table in (
        "municipality",
        "school",
        "school_year",
        "student",
        "wellbeing_answer",
        "wellbeing_score",
        "absence",
        "national_test",
        "exam_grade",
        "socio_reference",
        "survey",
        "survey_result",
        "leaps_rule",
        "reference_value",
    ):
        assert cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    talks = ("talk", "talk_participant", "agenda_item", "agreement", "note")
    school_work = ("school_project", "project_criterion", "effort", "school_event", "participation_target")
    school_work += ("leaps_course", "pupil_assessment", "triangle_placement", "triangle_note")
    for table in (*talks, *school_work):  # the operational store's
        assert ops_rows(demo_runner, f"SELECT count(*) FROM {table}")[0][0] > 0, table


def test_the_demo_has_large_special_and_leaps_schools(demo_runner):
    cur = demo_runner._con.cursor()
    kinds = cur.execute("""
        SELECT bool_or(s.school_type = 'specialskole'), bool_or(st.special_class AND s.school_type = 'folkeskole'),
               bool_or(st.reception_class), bool_or(s.in_leaps), bool_or(NOT s.in_leaps)
        FROM student st JOIN school s USING (institution_no)""").fetchone()
    assert all(kinds)


# The big pupil-level tables have no primary key (migration 7); their writers keep them unique.
UNIQUE_KEYS = {
    "wellbeing_answer": "school_year, student_key, question_id",
    "wellbeing_score": "school_year, student_key, indicator",
    "absence": "school_year, student_key, month",
    "national_test": "school_year, student_key, subject, profile_area",
    "exam_grade": "school_year, student_key, subject",
}


def duplicate_keys(con) -> dict[str, int]:
    return {
        table: con.execute(f"SELECT count(*) - count(DISTINCT ({key})) FROM {table}").fetchall()[0][0]
        for table, key in UNIQUE_KEYS.items()
    }


def test_the_demo_writes_each_pupil_key_once(demo_runner):
    cur = demo_runner.import_cursor()
    try:
        assert duplicate_keys(cur) == dict.fromkeys(UNIQUE_KEYS, 0)
    finally:
        cur.close()


def test_importing_corrected_files_again_and_again_keeps_each_pupil_key_once(store_copy):
    import duckdb

    from data import __main__ as cli
    from tests.test_import import fixture

    for source in ("pupils", "wellbeing", "absence", "tests", "exams"):
        for variant in ("utf8-bom-komma.csv", "cp1252-semikolon.csv", "xlsx"):
            replace = ["--erstat"] if source == "pupils" else []  # it replaces a demo school-year's register
            assert cli.main(["--path", str(store_copy), "import", source, *replace, str(fixture(source, variant))]) == 0
    con = duckdb.connect(str(store_copy), read_only=True)
    try:
        assert duplicate_keys(con) == dict.fromkeys(UNIQUE_KEYS, 0)
        assert con.execute("SELECT count(*) FROM wellbeing_answer WHERE student_key LIKE 'P-%'").fetchall()[0][0] > 0
    finally:
        con.close()


ABSENCE_YEAR_MISMATCH = """
    SELECT count(*) FROM (
        SELECT school_year, student_key, institution_no, sum(school_days) AS d, sum(illness_days) AS i,
               sum(authorised_days) AS a, sum(unauthorised_days) AS u, count(*) AS m FROM absence GROUP BY ALL
    ) raw FULL JOIN absence_year y USING (school_year, student_key, institution_no)
    WHERE raw.d IS DISTINCT FROM y.school_days OR raw.i IS DISTINCT FROM y.illness_days
       OR raw.a IS DISTINCT FROM y.authorised_days OR raw.u IS DISTINCT FROM y.unauthorised_days
       OR raw.m IS DISTINCT FROM y.months"""


def test_the_yearly_absence_summary_is_the_sum_of_the_months_after_build_import_and_rollback(store_copy):
    import duckdb

    from data import __main__ as cli
    from tests.test_import import fixture

    def mismatches() -> int:
        con = duckdb.connect(str(store_copy), read_only=True)
        try:
            return con.execute(ABSENCE_YEAR_MISMATCH).fetchall()[0][0]
        finally:
            con.close()

    assert mismatches() == 0
    for source in ("pupils", "absence"):
        replace = ["--erstat"] if source == "pupils" else []  # it replaces a demo school-year's register
        assert cli.main(["--path", str(store_copy), "import", source, *replace, str(fixture(source, "xlsx"))]) == 0
    assert mismatches() == 0
    assert cli.main(["--path", str(store_copy), "rollback", "2"]) == 0
    assert mismatches() == 0
