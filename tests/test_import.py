"""Imports: every source in each supported variant, broken input refused with the store unchanged,
idempotent re-imports, corrected files replacing old rows, rollback, and an interrupted import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from data import __main__ as cli
from data import operational_store, store
from data.importers import engine
from tests import import_examples as examples
from tests.operational import ops_rows, register_operational

FIXTURES = examples.FOLDER
ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ["utf8-bom-komma.csv", "cp1252-semikolon.csv", "xlsx"]
NEEDS_PUPILS = {"wellbeing", "absence", "tests", "exams"}
# The example register holds 10 pupils of a demo school and year that has 460 pupils with data: in
# the demo store it is imported as an explicit replacement of that school and year's register.
REPLACE = {"pupils": ["--erstat"], "wellbeing": []}


def fixture(source: str, variant: str) -> Path:
    return FIXTURES / (f"{source}.xlsx" if variant == "xlsx" else f"{source}-{variant}")


def run_cli(path: Path, *args: str) -> int:
    return cli.main(["--path", str(path), *args])


def checksums(path: Path) -> dict:
    """Every table's content in both stores: the DuckDB file's and the operational store's (LEAPS; not
    its bookkeeping: logins and the audit log)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        found = engine.table_checksums(con)
    finally:
        con.close()
    for table in sorted(operational_store.TABLES - set(operational_store.LOGIN_TABLES)):
        found[f"operational.{table}"] = sorted(ops_rows(path, f"SELECT * FROM {table}"), key=repr)
    return found


def query(path: Path, sql: str, params=None) -> list[tuple]:
    """Rows of a DuckDB query on the store, the operational tables read as the runner reads them."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        register_operational(con, path)
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_the_committed_example_files_match_their_generator(tmp_path):
    examples.write_all(tmp_path)
    for written in tmp_path.rglob("*.csv"):
        assert written.read_bytes() == (FIXTURES / written.relative_to(tmp_path)).read_bytes(), written.name


def test_the_import_documentation_is_written_from_the_mapping_files():
    from data.importers import docs

    for name, text in docs.pages().items():
        assert (docs.DOCS / name).read_text(encoding="utf-8") == text, f"run: python -m data.importers.docs ({name})"


# What each example file must leave in the store: (SQL, expected rows computed from the example rows).
def _expected(source: str) -> tuple[str, list[tuple]]:
    rows = examples.rows(source)
    if source == "pupils":
        return (
            "SELECT student_key, grade, class_name, gender, bilingual, reduced_timetable, months_enrolled"
            " FROM student"
            " WHERE institution_no = '900002' AND school_year = '2025/26' ORDER BY 1",
            [
                (
                    r["student_key"],
                    r["grade"],
                    r["class_name"],
                    r["gender"],
                    r["bilingual"],
                    r["reduced_timetable"],
                    r["months_enrolled"],
                )
                for r in rows
            ],
        )
    if source == "wellbeing":
        return (
            "SELECT student_key, question_id, answer_option FROM wellbeing_answer WHERE student_key LIKE 'P-%'"
            " ORDER BY 1, 2",
            sorted((r["student_key"], q, v) for r in rows for q, v in r.items() if q.startswith("T") and v),
        )
    if source == "absence":
        return (
            "SELECT student_key, month, school_days, illness_days::DOUBLE, authorised_days::DOUBLE,"
            " unauthorised_days::DOUBLE FROM absence WHERE student_key LIKE 'P-%' ORDER BY 1, 2",
            [
                (
                    r["student_key"],
                    r["month"],
                    r["school_days"],
                    r["illness_days"],
                    r["authorised_days"],
                    r["unauthorised_days"],
                )
                for r in rows
            ],
        )
    if source == "tests":
        subject = {"Dansk, læsning": "dansk_laesning", "Matematik": "matematik"}
        return (
            "SELECT student_key, subject, profile_area, points, max_points, taken_on FROM national_test"
            " WHERE student_key LIKE 'P-%' ORDER BY 1, 2",
            sorted(
                (r["student_key"], subject[r["subject"]], "samlet", r["points"], r["max_points"], r["taken_on"])
                for r in rows
            ),
        )
    if source == "exams":
        return (
            "SELECT student_key, subject, grade, bound FROM exam_grade WHERE student_key LIKE 'P-%' ORDER BY 1, 2",
            sorted((r["student_key"], r["subject"], r["grade"], r["subject"] != "Engelsk, skriftlig") for r in rows),
        )
    if source == "surveys":
        return (
            "SELECT respondent_group, question_id, n, round(share_favourable, 4), mean FROM survey_result"
            " WHERE survey_id = 'trivsel_personale' ORDER BY 1, 2",
            sorted(
                (r["respondent_group"], r["question_id"], r["n"], round(r["share_favourable"] / 100, 4), r["mean"])
                for r in rows
            ),
        )
    if source == "leaps":
        return (
            "SELECT course_id, year_group, title, subjects, weeks, start_date, mandatory, evaluation_done,"
            " company_partner, competences FROM leaps_course WHERE course_id LIKE '%-eks-%' ORDER BY 1",
            [
                (
                    r["course_id"],
                    r["year_group"],
                    r["title"],
                    ["dansk", "matematik"],
                    r["weeks"],
                    r["start_date"],
                    r["mandatory"],
                    r["evaluation_done"],
                    r["company_partner"],
                    ["samarbejde", "effektiv kommunikation"],
                )
                for r in rows
            ],
        )
    if source == "school-figures":
        return (
            "SELECT institution_no, school_year, round(school_value, 2), municipality_value, country_value"
            " FROM published_school_figure WHERE measure = 'absence_total_pct' ORDER BY 1, 2",
            sorted(
                (
                    r["institution_no"],
                    r["school_year"][:5] + r["school_year"][-2:],
                    round(r["absence_total_pct"], 2),
                    7.4,
                    7.5,
                )
                for r in rows
            ),
        )
    if source == "institutions":
        return (
            "SELECT institution_no, name, municipality_code, school_type FROM school"
            " WHERE institution_no IN ('900001', '101001', '101900') ORDER BY 1",
            [("101001", "Havneskolen", "101", "folkeskole"), ("900001", "Bakkeskolen", "999", "folkeskole")],
        )
    raise ValueError(source)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("source", examples.SOURCES)
def test_every_source_imports_each_variant_with_the_files_rows_and_values(store_copy, source, variant, capsys):
    if source in NEEDS_PUPILS:
        assert run_cli(store_copy, "import", "pupils", "--erstat", str(fixture("pupils", variant))) == 0
    assert run_cli(store_copy, "import", source, *REPLACE.get(source, []), str(fixture(source, variant))) == 0
    sql, expected = _expected(source)
    assert query(store_copy, sql) == expected
    assert "importeret som parti" in capsys.readouterr().out


def test_imported_well_being_answers_give_pupil_scores_by_the_official_rule(store_copy):
    for source in ("pupils", "wellbeing"):
        assert run_cli(store_copy, "import", source, *REPLACE[source], str(fixture(source, "xlsx"))) == 0
    row = examples.rows("wellbeing")[0]
    reversed_ids = {
        q
        for q, best in query(
            store_copy,
            "SELECT question_id, first_option_best FROM wellbeing_question"
            " WHERE indicator IS NOT NULL AND grade_band = '4-9'",
        )
        if best
    }
    scored = [
        6 - v if q in reversed_ids else v
        for q, v in row.items()
        if q
        in {
            r[0]
            for r in query(
                store_copy,
                "SELECT question_id FROM wellbeing_question WHERE indicator IS NOT NULL AND grade_band = '4-9'",
            )
        }
        and v
    ]
    [(score,)] = query(
        store_copy,
        "SELECT score FROM wellbeing_score WHERE student_key = ? AND indicator = 'generel'",
        [row["student_key"]],
    )
    assert score == pytest.approx(sum(scored) / len(scored))


BROKEN = {
    "forkert-tegnsaet-utf16.csv": ["UTF-16"],
    "mangler-kolonne.csv": ["kolonnen mangler", "Klasse"],
    "ekstra-kolonne.csv": ["ukendt kolonne", "Yndlingsfarve"],
    "tom.csv": ["filen er tom"],
    "kun-overskrift.csv": ["kun overskrifter"],
    "uden-for-skala.csv": ["linje 4", "Klassetrin", "»14«", "0 (børnehaveklasse) til 10"],
    "dobbelt-raekke.csv": ["linje 12", "to gange", "linje 6"],
    "ukendt-skole.csv": ["linje 5", "Institutionsnr", "ukendt skole"],
    "cpr-nummer.csv": ["linje 7", "Elevnoegle", "CPR-nummer", "pseudonym"],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_input_is_refused_with_a_clear_message_and_the_store_unchanged(store_copy, name, capsys, tmp_path):
    path = FIXTURES / "fejl" / name
    if name in examples.GENERATED_ONLY:
        path = tmp_path / name
        path.write_bytes(examples.broken()[name])
    before = checksums(store_copy)
    assert run_cli(store_copy, "import", "pupils", str(path)) != 0
    err = capsys.readouterr()
    text = err.out + err.err
    for fragment in BROKEN[name]:
        assert fragment in text, (fragment, text)
    assert "Traceback" not in text
    assert "010203-1234" not in text  # a CPR number is never echoed
    assert checksums(store_copy) == before


def test_a_damaged_workbook_and_a_ragged_csv_line_are_refused_by_line(store_copy, tmp_path, capsys):
    damaged = tmp_path / "elever.xlsx"
    damaged.write_bytes(fixture("pupils", "xlsx").read_bytes()[:2000])
    ragged = tmp_path / "elever.csv"
    lines = fixture("pupils", "cp1252-semikolon.csv").read_bytes().split(b"\r\n")
    lines[3] += b";ekstra;felt"
    ragged.write_bytes(b"\r\n".join(lines))
    before = checksums(store_copy)
    assert run_cli(store_copy, "import", "pupils", str(damaged)) == 1
    assert run_cli(store_copy, "import", "pupils", str(ragged)) == 1
    text = capsys.readouterr().err
    assert "kan ikke åbnes" in text and "linje 4" in text
    assert checksums(store_copy) == before


def test_a_50_mb_file_with_one_bad_value_near_the_end_names_that_line(store_copy, tmp_path, capsys):
    head, body = examples.table("pupils", 1, danish=True)
    template = body[0]
    lines = [";".join(head)]
    count = 1_000_000
    for i in range(count):
        row = list(template)
        row[2] = f"S-{i:07d}-xxxxxx"
        lines.append(";".join(row))
    lines[count - 10] = lines[count - 10].replace(";4;", ";12;", 1)
    big = tmp_path / "elever_stor.csv"
    big.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    assert big.stat().st_size > 50_000_000
    before = checksums(store_copy)
    assert run_cli(store_copy, "import", "pupils", str(big)) == 1
    text = capsys.readouterr().err
    assert f"linje {count - 9}, kolonne »{head[3]}« (værdi »12«)" in text
    assert checksums(store_copy) == before


def test_importing_the_same_file_twice_changes_nothing_and_says_so(store_copy, capsys):
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(fixture("pupils", "xlsx"))) == 0
    before = checksums(store_copy)
    capsys.readouterr()
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(fixture("pupils", "xlsx"))) == 0
    assert "allerede importeret" in capsys.readouterr().out
    assert checksums(store_copy) == before


def test_a_corrected_file_for_the_same_school_and_year_replaces_the_old_rows(store_copy, tmp_path):
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(fixture("pupils", "cp1252-semikolon.csv"))) == 0
    head, body = examples.table("pupils", 1, danish=True)
    corrected = [r for r in body if r[2] != "P-0010"]
    corrected[0][4] = "4.B"  # Klasse
    path = tmp_path / "elever_rettet.csv"
    path.write_bytes(examples.csv_bytes(head, corrected, ";", "cp1252"))
    assert run_cli(store_copy, "import", "pupils", str(path)) == 0
    rows = query(
        store_copy,
        "SELECT student_key, class_name FROM student WHERE institution_no = '900002'"
        " AND school_year = '2025/26' ORDER BY 1",
    )
    assert len(rows) == 9 and rows[0] == ("P-0001", "4.B")
    assert query(store_copy, "SELECT batch_id, status FROM import_batch ORDER BY 1") == [(1, "erstattet"), (2, "aktiv")]
    # Other schools and years are untouched.
    assert query(store_copy, "SELECT count(*) FROM student WHERE institution_no = '900001'")[0][0] > 1000


def test_a_batch_rolled_back_removes_its_rows_and_scores_and_may_be_imported_again(store_copy, capsys):
    for source in ("pupils", "wellbeing"):
        assert run_cli(store_copy, "import", source, *REPLACE[source], str(fixture(source, "xlsx"))) == 0
    assert query(store_copy, "SELECT count(*) FROM wellbeing_score WHERE student_key LIKE 'P-%'")[0][0] > 0
    assert run_cli(store_copy, "rollback", "2") == 0
    assert query(store_copy, "SELECT count(*) FROM wellbeing_answer WHERE student_key LIKE 'P-%'")[0][0] == 0
    assert query(store_copy, "SELECT count(*) FROM wellbeing_score WHERE student_key LIKE 'P-%'")[0][0] == 0
    assert query(store_copy, "SELECT status FROM import_batch WHERE batch_id = 2")[0][0] == "rullet tilbage"
    assert run_cli(store_copy, "rollback", "2") == 1
    assert run_cli(store_copy, "import", "wellbeing", str(fixture("wellbeing", "xlsx"))) == 0
    assert query(store_copy, "SELECT count(*) FROM wellbeing_answer WHERE student_key LIKE 'P-%'")[0][0] > 0


def test_a_dry_run_checks_everything_and_writes_nothing(store_copy, capsys):
    before = checksums(store_copy)
    assert run_cli(store_copy, "import", "--dry-run", "--erstat", "pupils", str(fixture("pupils", "xlsx"))) == 0
    assert "intet er skrevet" in capsys.readouterr().out
    assert checksums(store_copy) == before


def test_an_import_refreshes_the_runners_figures_without_a_restart(store_copy):
    from queries.runner import Runner, Scope

    runner = Runner(store.connect(store_copy))
    scope = Scope("admin", None)
    before = runner.run("schools", scope).height
    prepared = engine.prepare(runner.import_cursor(), "institutions", "reg.csv", examples.national_register(60))
    assert prepared.ok, prepared.problems
    runner.transaction(lambda cur: engine.write(cur, [prepared], "test"))
    assert runner.run("schools", scope).height > before


def test_a_countrys_published_figures_fill_the_kommune_screen_with_attribution(store_copy):
    from tests.test_app_pages import login

    register, figures = store_copy.parent / "register.csv", store_copy.parent / "skoletal.csv"
    register.write_bytes(examples.national_register())
    figures.write_bytes(examples.national_school_figures())
    assert run_cli(store_copy, "import", "institutions", str(register)) == 0
    assert run_cli(store_copy, "import", "school-figures", str(figures), "--hentet", "2026-11-24") == 0
    assert query(store_copy, "SELECT count(DISTINCT municipality_code) FROM school WHERE batch_id = 1")[0][0] == 98
    assert query(store_copy, "SELECT count(*) FROM school")[0][0] > 1000
    aarhus = [(no, name) for no, name, m in examples.national_schools() if m == "Aarhus"]
    [(absence,)] = query(
        store_copy,
        "SELECT school_value FROM published_school_figure WHERE institution_no = ?"
        " AND school_year = '2024/25' AND measure = 'absence_total_pct'",
        [aarhus[0][0]],
    )
    at = login("admin", "demo-admin")
    at.switch_page("views/kommune.py")
    at.run(timeout=60)
    names = at.selectbox(key="mun_code").options
    at.selectbox(key="mun_code").select_index(names.index("Aarhus")).run(timeout=60)
    at.selectbox(key="mun_year").set_value("2024/25").run(timeout=60)
    assert not at.exception
    table = at.dataframe[0].value
    row = table[table["Skole"] == aarhus[0][1]].iloc[0]
    assert row["Fravær"] == f"{absence:.1f} %".replace(".", ",")
    captions = " ".join(c.value for c in at.caption)
    assert "Kilde: Uddannelsesstatistik.dk, hentet 24. november 2026" in captions


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_killing_the_import_in_the_middle_leaves_the_store_as_before(store_copy, tmp_path):
    """A large well-being file; the process is killed while it writes; the store is unchanged."""
    pupils = 60_000
    keys = [f"K-{i:06d}" for i in range(pupils)]
    pl.DataFrame(
        {
            "Skoleår": "2025/26",
            "Institutionsnummer": "900003",
            "Elevnøgle": keys,
            "Klassetrin": [4 + i % 6 for i in range(pupils)],
            "Klasse": "4.A",
            "Køn": "pige",
        }
    ).write_csv(tmp_path / "elever.csv", separator=";")
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(tmp_path / "elever.csv")) == 0
    questions = [q for q in examples._questions()]
    pl.DataFrame(
        {
            "Skoleår": "2025/26",
            "Institutionsnummer": "900003",
            "Elevnøgle": keys,
            **{q: [1 + (i + j) % 5 for i in range(pupils)] for j, q in enumerate(questions)},
        }
    ).write_csv(tmp_path / "trivsel.csv", separator=";")
    before = checksums(store_copy)
    process = subprocess.Popen(
        [sys.executable, "-m", "data", "--path", str(store_copy), "import", "wellbeing", str(tmp_path / "trivsel.csv")],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    for line in process.stderr:
        if "Skriver trivsel.csv" in line:  # inside the transaction, about to insert
            break
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    assert checksums(store_copy) == before
    con = store.connect(store_copy)  # and it opens and works afterwards
    assert con.execute("SELECT count(*) FROM wellbeing_answer WHERE student_key LIKE 'K-%'").fetchall() == [(0,)]
    con.close()


def test_a_municipality_without_schools_in_the_store_gets_a_plain_danish_note(store_copy, tmp_path, monkeypatch):
    from data import users
    from tests.test_app_pages import login

    path = users.write_demo_users(store_copy, tmp_path / "users.yaml")
    users.add_user(path, "aarhus", "Konsulent, Aarhus", "kommune", "aarhus-konsulent", municipality="751")
    monkeypatch.setenv("DATABLIK_USERS", str(path))
    at = login("aarhus", "aarhus-konsulent")
    at.switch_page("views/kommune.py")
    at.run(timeout=60)
    assert not at.exception
    assert "ingen skoler i din kommune" in " ".join(i.value for i in at.info)


def test_the_data_owner_rolls_a_batch_back_on_the_data_screen(store_copy):
    from tests.test_app_pages import login

    assert run_cli(store_copy, "import", "pupils", "--erstat", str(fixture("pupils", "xlsx"))) == 0
    at = login("admin", "demo-admin")
    at.switch_page("views/data.py")
    at.run(timeout=60)
    history = at.dataframe[0].value
    assert list(history["Fil"]) == ["pupils.xlsx"] and list(history["Status"]) == ["aktiv"]
    assert at.button(key="rollback_go").disabled  # nothing happens before the confirmation
    at.checkbox(key="rollback_sure").check().run(timeout=60)
    at.button(key="rollback_go").click().run(timeout=60)
    assert not at.exception
    assert any("rullet tilbage: 10 rækker fjernet" in s.value for s in at.success)
    from queries.runner import runner_for

    cur = runner_for(store_copy).import_cursor()  # the app's own connection: the file is open in this process
    try:
        assert cur.execute("SELECT count(*) FROM student WHERE student_key LIKE 'P-%'").fetchall() == [(0,)]
    finally:
        cur.close()
    assert at.dataframe[0].value["Status"].tolist() == ["rullet tilbage"]


def test_a_new_school_year_imported_in_the_running_app_shows_with_its_measurement_time(tmp_path, monkeypatch):
    """No restart: the year picker offers the imported year and the Overblik's source line names its
    measurement window and the imported pupils."""
    from data import demo, users
    from data.demo_population import DemoParams
    from queries.runner import runner_for
    from tests.test_app_pages import login

    path = tmp_path / "older.duckdb"
    demo.build(path, DemoParams(years=3, last_year_start=2024))  # the newest year in the store is 2024/25
    monkeypatch.setenv("DATABLIK_DB", str(path))
    monkeypatch.setenv("DATABLIK_USERS", str(users.write_demo_users(path, tmp_path / "users.yaml")))
    at = login("admin", "demo-admin")
    assert "2025/26" not in at.selectbox(key="filter_year").options
    runner = runner_for(path)  # the app's own runner, as the Data screen uses it
    for source in ("pupils", "wellbeing"):
        cur = runner.import_cursor()
        try:
            prepared = engine.prepare(cur, source, f"{source}.xlsx", fixture(source, "xlsx").read_bytes())
        finally:
            cur.close()
        assert prepared.ok, prepared.problems
        runner.transaction(lambda c, p=prepared: engine.write(c, [p], "admin"))
    at.run()
    schools = at.selectbox(key="filter_school").options
    at.selectbox(key="filter_school").select_index(schools.index("Fjordskolen")).run()
    at.selectbox(key="filter_year").set_value("2025/26").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "januar–marts 2026" in text and "n = 10 elever" in text
