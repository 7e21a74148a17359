"""The pupil register: a partial register never deletes pupils who have data (unless imported as an
explicit replacement, which rollback undoes completely), and a corrected register that moves pupils
to another school moves their rows too, so every figure follows the pupil."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from data import store
from data.importers import engine
from tests import import_examples as examples
from tests.test_import import checksums, query, run_cli

YEAR = "2025/26"
SCHOOL, OTHER = "900002", "900003"
BOOKKEEPING = {"import_batch", "import_batch_scope", "audit_log", "store_info"}  # who imported what, when
PUPIL_DATA = (
    "wellbeing_answer",
    "wellbeing_score",
    "absence",
    "absence_year",
    "national_test",
    "exam_grade",
    "pupil_assessment",
)


# Summaries holding sums of decimals: a recomputation may add them in another order (the last bit
# differs), so they are compared with recomputations within 1e-9 in tests/test_summaries.py instead.
FLOAT_SUMMARIES = {"absence_summary", "wellbeing_summary", "pupil_summary", "class_summary"}


def data_checksums(path) -> dict:
    return {t: c for t, c in checksums(path).items() if t not in BOOKKEEPING | FLOAT_SUMMARIES}


def one_row_register(tmp_path):
    head, body = examples.table("pupils", 1, danish=True)
    path = tmp_path / "elever_en_raekke.csv"
    path.write_bytes(examples.csv_bytes(head, body[:1], ";", "cp1252"))
    return path


def pupils_with_data(path, school: str = SCHOOL) -> int:
    union = " UNION ".join(f"SELECT school_year, student_key FROM {t}" for t in PUPIL_DATA)
    return query(
        path,
        f"""SELECT count(*) FROM student WHERE institution_no = ? AND school_year = ?
                           AND (school_year, student_key) IN ({union})""",
        [school, YEAR],
    )[0][0]


def test_a_one_row_register_is_refused_with_the_number_of_pupils_with_data_it_would_remove(
    store_copy, tmp_path, capsys
):
    with_data = pupils_with_data(store_copy)
    assert with_data > 400
    before = checksums(store_copy)
    assert run_cli(store_copy, "import", "pupils", str(one_row_register(tmp_path))) == 1
    text = capsys.readouterr().err
    assert f"{engine.thousands(with_data)} elever" in text, text
    assert "--erstat" in text and "Traceback" not in text
    assert checksums(store_copy) == before


def test_an_explicit_replacement_removes_the_pupils_and_their_data_and_rollback_restores_every_table(
    store_copy, tmp_path, capsys
):
    before = data_checksums(store_copy)
    removed = query(
        store_copy, "SELECT count(*) FROM student WHERE institution_no = ? AND school_year = ?", [SCHOOL, YEAR]
    )[0][0]
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(one_row_register(tmp_path))) == 0
    out = capsys.readouterr().out
    assert f"{engine.thousands(removed)} elever fjernet" in out, out
    assert query(
        store_copy, "SELECT count(*) FROM student WHERE institution_no = ? AND school_year = ?", [SCHOOL, YEAR]
    ) == [(1,)]
    for table in PUPIL_DATA:  # no orphans: the removed pupils' rows went with them
        assert query(
            store_copy,
            f"""SELECT count(*) FROM {table} t WHERE school_year = ? AND NOT EXISTS
                     (SELECT 1 FROM student s WHERE s.school_year = t.school_year
                      AND s.student_key = t.student_key)""",
            [YEAR],
        ) == [(0,)], table
    [(batch,)] = query(store_copy, "SELECT max(batch_id) FROM import_batch")
    assert run_cli(store_copy, "rollback", str(batch)) == 0
    after = data_checksums(store_copy)
    assert {t for t in before if before[t] != after.get(t)} == set()
    assert after == before


def _register_of(path, schools: tuple[str, ...], year: str) -> pl.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return pl.from_arrow(
            con.execute(
                "SELECT * FROM student WHERE institution_no IN (SELECT unnest(?)) AND school_year = ?"
                " ORDER BY institution_no, student_key",
                [list(schools), year],
            ).to_arrow_table()
        )
    finally:
        con.close()


def _register_csv(frame: pl.DataFrame) -> bytes:
    """The pupil register file a municipality would export, from the store's rows."""
    yes_no = {True: "ja", False: "nej"}
    return (
        frame.select(
            pl.col("school_year")
            .str.slice(0, 5)
            .add(pl.col("school_year").str.slice(0, 2))
            .add(pl.col("school_year").str.slice(5, 2))
            .alias("Skoleår"),
            pl.col("institution_no").alias("Institutionsnummer"),
            pl.col("student_key").alias("Elevnøgle"),
            pl.col("grade").alias("Klassetrin"),
            pl.col("class_name").alias("Klasse"),
            pl.col("gender").alias("Køn"),
            *[
                pl.col(c).replace_strict(yes_no, return_dtype=pl.String).alias(h)
                for c, h in (
                    ("bilingual", "Tosproget"),
                    ("special_class", "Specialklasse"),
                    ("reception_class", "Modtagelsesklasse"),
                    ("reduced_timetable", "Nedsat skema"),
                )
            ],
            pl.col("months_enrolled").alias("Måneder indskrevet"),
        )
        .write_csv(separator=";")
        .encode("utf-8")
    )


def _independent(path, schools: list[str]) -> dict:
    """Absence, exam average and well-being per school and for the municipality, from the raw tables
    joined to the pupil register on the pupil alone (never on the copied school)."""
    con = duckdb.connect(str(path), read_only=True)
    try:

        def per(sql: str) -> dict:
            rows = con.execute(sql, [YEAR]).fetchall()
            return {r[0]: (r[1], r[2]) for r in rows}

        group = "GROUPING SETS ((s.institution_no), ())"
        absence = per(f"""
            WITH p AS (SELECT s.institution_no, any_value(s.months_enrolled) AS w,
                              sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
                              / sum(a.school_days) AS pct
                       FROM absence a JOIN student s USING (school_year, student_key)
                       WHERE s.school_year = ? AND s.grade BETWEEN 0 AND 9
                       GROUP BY s.institution_no, s.student_key HAVING sum(a.school_days) > 0)
            SELECT coalesce(institution_no, 'kommune'), sum(pct * w) / sum(w), count(*) FROM p s GROUP BY {group}""")
        exam = per(f"""
            WITH p AS (SELECT s.institution_no, avg(e.grade) AS g
                       FROM exam_grade e JOIN student s USING (school_year, student_key)
                       WHERE s.school_year = ? AND e.bound AND NOT s.special_class
                       GROUP BY s.institution_no, s.student_key)
            SELECT coalesce(institution_no, 'kommune'), avg(g), count(*) FROM p s GROUP BY {group}""")
        wellbeing = per(f"""
            SELECT coalesce(s.institution_no, 'kommune'), avg(w.score), count(*)
            FROM wellbeing_score w JOIN student s USING (school_year, student_key)
            WHERE s.school_year = ? AND w.indicator = 'generel' AND s.grade BETWEEN 4 AND 9
            GROUP BY {group}""")
    finally:
        con.close()
    return {"absence_total_pct": absence, "exam_bound_average": exam, "wellbeing_generel": wellbeing}


def _shown(path, schools: list[str]) -> dict:
    from queries.key_figures import key_figures
    from queries.runner import Runner, Scope

    runner = Runner(store.connect(path, read_only=True))
    result = {k: {} for k in ("absence_total_pct", "exam_bound_average", "wellbeing_generel")}
    for school in schools:
        for f in key_figures(runner, Scope("admin", None), school, YEAR):
            if f.key in result:
                result[f.key][school] = (f.value, f.n)
                result[f.key]["kommune"] = (f.municipality.value, f.municipality.n)
    return result


def test_a_corrected_register_that_moves_20_pupils_moves_their_figures_to_the_new_school(store_copy, tmp_path):
    register = _register_of(store_copy, (SCHOOL, OTHER), YEAR)
    movers = (
        register.filter((pl.col("institution_no") == SCHOOL) & pl.col("grade").is_in([5, 9]) & ~pl.col("special_class"))
        .sort("grade", "student_key")
        .group_by("grade", maintain_order=True)
        .head(10)["student_key"]
    )
    assert movers.len() == 20
    corrected = register.with_columns(
        pl.when(pl.col("student_key").is_in(movers.implode()))
        .then(pl.lit(OTHER))
        .otherwise(pl.col("institution_no"))
        .alias("institution_no")
    )
    path = tmp_path / "elevregister_rettet.csv"
    path.write_bytes(_register_csv(corrected))
    before = data_checksums(store_copy)
    assert run_cli(store_copy, "import", "pupils", str(path)) == 0
    counts = dict(
        query(
            store_copy,
            "SELECT institution_no, count(*) FROM student WHERE school_year = ?"
            " AND institution_no IN (?, ?) GROUP BY 1",
            [YEAR, SCHOOL, OTHER],
        )
    )
    assert counts[OTHER] == register.filter(pl.col("institution_no") == OTHER).height + 20
    for table in PUPIL_DATA[:-1]:  # every copy of the pupil's school follows the register
        assert query(
            store_copy,
            f"""SELECT count(*) FROM {table} t JOIN student s USING (school_year, student_key)
                                     WHERE t.institution_no <> s.institution_no""",
        ) == [(0,)], table
    schools = [SCHOOL, OTHER]
    expected, shown = _independent(store_copy, schools), _shown(store_copy, schools)
    for key, values in expected.items():
        for where in [*schools, "kommune"]:
            value, n = shown[key][where]
            assert n == values[where][1], (key, where)
            assert value == pytest.approx(values[where][0], abs=1e-9), (key, where)
    [(batch,)] = query(store_copy, "SELECT max(batch_id) FROM import_batch")
    assert run_cli(store_copy, "rollback", str(batch)) == 0
    assert data_checksums(store_copy) == before


def test_the_data_screen_refuses_a_partial_register_unless_replacement_is_ticked(store_copy, tmp_path):
    from tests.test_app_pages import login

    at = login("admin", "demo-admin")
    at.switch_page("views/data.py")
    at.run(timeout=60)
    at.selectbox(key="import_source").set_value("pupils").run(timeout=60)
    data = one_row_register(tmp_path).read_bytes()
    at.file_uploader[0].set_value(("elever.csv", data, "text/csv")).run(timeout=60)
    assert not at.exception
    assert any("Erstat elevregistret" in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.key == "import_confirm"]
    at.checkbox(key="import_replace").check().run(timeout=60)
    assert not at.exception
    assert any("fjernes med alle deres data" in w.value for w in at.warning), [w.value for w in at.warning]
    at.button(key="import_confirm").click().run(timeout=60)
    assert not at.exception
    assert any("elever fjernet" in s.value for s in at.success), [s.value for s in at.success]


@pytest.mark.parametrize("source", ["absence", "wellbeing", "tests"])
def test_rolling_back_a_corrected_file_puts_back_the_rows_it_replaced(store_copy, tmp_path, source, capsys):
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(examples.FOLDER / "pupils.xlsx")) == 0
    assert run_cli(store_copy, "import", source, str(examples.FOLDER / f"{source}.xlsx")) == 0
    before = data_checksums(store_copy)
    head, body = examples.table(source, 1, danish=True)
    corrected = tmp_path / f"{source}_rettet.csv"
    corrected.write_bytes(examples.csv_bytes(head, body[1:], ";", "cp1252"))  # one row less, the rest again
    assert run_cli(store_copy, "import", source, str(corrected)) == 0
    assert data_checksums(store_copy) != before
    assert query(store_copy, "SELECT status FROM import_batch ORDER BY batch_id") == [
        ("aktiv",),
        ("erstattet",),
        ("aktiv",),
    ]
    assert run_cli(store_copy, "rollback", "2") == 1  # the replaced batch goes back only after the newer one
    assert "Rul det nyere parti tilbage først" in capsys.readouterr().err
    assert run_cli(store_copy, "rollback", "3") == 0
    assert "lagt tilbage" in capsys.readouterr().out
    assert data_checksums(store_copy) == before
    assert query(store_copy, "SELECT status FROM import_batch ORDER BY batch_id") == [
        ("aktiv",),
        ("aktiv",),
        ("rullet tilbage",),
    ]


def test_rolling_back_a_corrected_institution_register_gives_the_schools_their_earlier_names(store_copy, tmp_path):
    register = examples.FOLDER / "real" / "institutionsregister.csv"
    assert run_cli(store_copy, "import", "institutions", str(register)) == 0
    before = checksums(store_copy)["school"]
    corrected = tmp_path / "institutionsregister_rettet.csv"
    corrected.write_bytes(register.read_bytes().replace("Åbyskolen Eksempel".encode(), "Åby Skole".encode()))
    assert run_cli(store_copy, "import", "institutions", str(corrected)) == 0
    assert query(store_copy, "SELECT name FROM school WHERE institution_no = '751901'") == [("Åby Skole",)]
    assert run_cli(store_copy, "rollback", "2") == 0
    assert checksums(store_copy)["school"] == before
    assert run_cli(store_copy, "rollback", "1") == 0  # the schools it added go again
    assert query(store_copy, "SELECT count(*) FROM school WHERE institution_no LIKE '7519%'") == [(0,)]


def test_a_register_whose_new_pupils_have_later_data_is_not_rolled_back_under_it(store_copy, capsys):
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(examples.FOLDER / "pupils.xlsx")) == 0
    assert run_cli(store_copy, "import", "absence", str(examples.FOLDER / "absence.xlsx")) == 0
    before = checksums(store_copy)
    assert run_cli(store_copy, "rollback", "1") == 1
    assert "Rul de senere importer tilbage først" in capsys.readouterr().err
    assert checksums(store_copy) == before
    assert run_cli(store_copy, "rollback", "2") == 0 and run_cli(store_copy, "rollback", "1") == 0
