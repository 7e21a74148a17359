"""Every write checks the scope of the row it changes, not the parameters the caller names.

A leader of one school must not change another school's agreement by naming its key next to an own
talk, and the audit log names the school whose row changed. The fuzz test throws other schools'
keys at every write query for every role and checks that no row of a school outside the caller's
scope changes."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.runner import QueryError, Runner, Scope, load_query, query_names
from tests.operational import copy_store, ops_rows, register_operational

BAKKE, OTHER = "900001", "900002"
LEADER = Scope("ledelse", frozenset([BAKKE]))
TEAM = Scope("team", frozenset([BAKKE]), grades=frozenset([4, 5, 6]))
KOMMUNE_OTHER = Scope("kommune", frozenset([OTHER]), municipality_code="999")
WRITES = sorted(n for n in query_names() if load_query(n).level == "write" and load_query(n).scope == "school")

# One fingerprint per school of every table a user can edit, so a test sees any change to any row.
FINGERPRINT = """
WITH rows AS (
    SELECT t.institution_no AS school, 'talk' AS tbl, hash(t) AS h FROM talk t
    UNION ALL SELECT t.institution_no, 'agenda', hash(a) FROM agenda_item a JOIN talk t USING (talk_id)
    UNION ALL SELECT t.institution_no, 'note', hash(n)
        FROM note n JOIN agenda_item a USING (item_id) JOIN talk t USING (talk_id)
    UNION ALL SELECT t.institution_no, 'agreement', hash(g) FROM agreement g JOIN talk t USING (talk_id)
    UNION ALL SELECT t.institution_no, 'participant', hash(p)
        FROM talk_participant p JOIN talk t USING (talk_id)
    UNION ALL SELECT t.institution_no, 'minutes', hash(m)
        FROM minutes_version m JOIN talk t USING (talk_id)
    UNION ALL SELECT c.institution_no, 'course', hash(c) FROM leaps_course c
    UNION ALL SELECT s.institution_no, 'criterion', hash(c)
        FROM project_criterion c JOIN school_project s USING (project_id)
    UNION ALL SELECT p.institution_no, 'target', hash(p) FROM participation_target p
    UNION ALL SELECT e.institution_no, 'effort', hash(e) FROM effort e
    UNION ALL SELECT v.institution_no, 'event', hash(v) FROM school_event v
    UNION ALL SELECT a.institution_no, 'area', hash(a) FROM competence_area a
    UNION ALL SELECT st.institution_no, 'assessment', hash(a)
        FROM pupil_assessment a JOIN student st USING (school_year, student_key)
    UNION ALL SELECT st.institution_no, 'placement', hash(p)
        FROM triangle_placement p JOIN student st USING (school_year, student_key)
    UNION ALL SELECT st.institution_no, 'triangle note', hash(n)
        FROM triangle_note n JOIN student st USING (school_year, student_key)
)
SELECT school, tbl, count(*) AS n, bit_xor(h) AS h FROM rows GROUP BY ALL ORDER BY ALL
"""


def fingerprint(runner: Runner, inside: frozenset[str]) -> list[tuple]:
    """The fingerprints of every school's rows but those `inside` the caller's scope."""
    cur = runner.import_cursor()
    try:
        register_operational(cur, runner)
        return [r for r in cur.execute(FINGERPRINT).fetchall() if r[0] not in inside]
    finally:
        cur.close()


def agreement(runner: Runner, agreement_id: str) -> tuple:
    found = ops_rows(runner, "SELECT text, owner, status FROM agreement WHERE agreement_id = ?", [agreement_id])
    return found[0] if found else None


def agreement_row(agreement_id: str, talk_id: str, school: str = BAKKE) -> dict:
    return {
        "school": school,
        "talk_id": talk_id,
        "agreement_id": agreement_id,
        "text": "Overskrevet",
        "owner": "angriber",
        "deadline": date(2026, 12, 1),
        "status": "opgivet",
        "carried_from": None,
        "username": "leder",
    }


def test_a_leader_cannot_overwrite_another_schools_agreement_through_the_runner(store_copy):
    runner = Runner(duckdb.connect(str(store_copy)))
    before = agreement(runner, f"T-{OTHER}-2023-A1")
    with pytest.raises(QueryError):
        runner.write("upsert_agreement", LEADER, "leder", [agreement_row(f"T-{OTHER}-2023-A1", f"T-{BAKKE}-2023")])
    assert agreement(runner, f"T-{OTHER}-2023-A1") == before


def test_an_agreement_change_is_audited_under_the_school_whose_row_changed(store_copy):
    runner = Runner(duckdb.connect(str(store_copy)))
    kommune = Scope("kommune", frozenset([BAKKE, OTHER]), municipality_code="999")
    runner.write(
        "upsert_agreement", kommune, "kommune", [agreement_row(f"T-{OTHER}-2023-A1", f"T-{OTHER}-2023", school=OTHER)]
    )
    target = ops_rows(runner, "SELECT target FROM audit_log ORDER BY entry_id DESC LIMIT 1")[0][0]
    assert OTHER in target


def test_a_team_cannot_edit_a_course_of_another_year_group_by_naming_its_own(store_copy):
    runner = Runner(duckdb.connect(str(store_copy)))
    course_id, year_group = ops_rows(
        runner,
        "SELECT course_id, year_group FROM leaps_course WHERE institution_no = ?"
        " AND year_group NOT IN (4, 5, 6) LIMIT 1",
        [BAKKE],
    )[0]
    row = {
        "school": BAKKE,
        "course_id": course_id,
        "year_group": 4,
        "title": "x",
        "subjects": ["dansk"],
        "weeks": 1,
        "start_date": None,
        "end_date": None,
        "mandatory": False,
        "description_shared": False,
        "evaluation_done": False,
        "company_partner": None,
        "pupil_involvement": None,
        "competences": [],
        "username": "team",
    }
    with pytest.raises(QueryError):
        runner.write("update_leaps_course", TEAM, "team", [row])


def test_every_write_that_can_change_an_existing_row_names_the_query_that_finds_its_owner():
    for name in WRITES:
        spec = load_query(name)
        body = spec.sql.upper()
        if spec.guard == PUPIL_GUARD:  # keyed by the pupil: the guard checks the pupil's school that year
            assert "STUDENT_KEY" in body.split("ON CONFLICT", 1)[-1].split(")", 1)[0], name
            continue
        if "UPDATE" in body or "ON CONFLICT" in body:
            assert spec.owner, f"{name}: an UPDATE or upsert needs '-- owner:' (the row's school, not the caller's)"
            assert load_query(spec.owner).level == "owner", name


PUPIL_GUARD = "guard_pupil_in_year_group"
PUPIL_WRITES = {
    "upsert_pupil_assessment": {"term": "forår", "area": "dansk", "score": 1},
    "upsert_triangle_placement": {"subject": "matematik", "round": 1, "position": 1, "level": 1},
    "upsert_triangle_note": {"subject": "matematik", "round": 1, "body": "x", "body_internal": "x"},
}


def _pupil_rows(runner: Runner, pupil: str) -> list:
    return [
        ops_rows(runner, f"SELECT * FROM {table} WHERE student_key = ? ORDER BY 1, 2, 3, 4", [pupil])
        for table in ("pupil_assessment", "triangle_placement", "triangle_note")
    ]


def _pupil_of(runner: Runner, school: str, grade: int) -> str:
    cur = runner.import_cursor()
    try:
        return cur.execute(
            "SELECT student_key FROM student WHERE institution_no = ? AND school_year = '2025/26' AND grade = ?"
            " ORDER BY student_key LIMIT 1",
            [school, grade],
        ).fetchone()[0]
    finally:
        cur.close()


@pytest.mark.both_ops_backends
def test_a_team_cannot_write_the_assessment_or_triangle_of_another_schools_pupil_by_naming_its_own_school(store_copy):
    """The team's rows are keyed by pupil (operational store, no school column): the guard checks in
    DuckDB that the pupil is in the school and year group in scope that year, so a forged pupil id, a
    forged school or a pupil of another year group writes nothing."""
    runner = Runner(duckdb.connect(str(store_copy), read_only=True))
    foreign, older = _pupil_of(runner, OTHER, 5), _pupil_of(runner, BAKKE, 8)
    own = _pupil_of(runner, BAKKE, 5)
    before = {p: _pupil_rows(runner, p) for p in (foreign, older)}
    base = {"school": BAKKE, "school_year": "2025/26", "grade": 5, "username": "team"}
    for name, fields in PUPIL_WRITES.items():
        for forged in (
            {"student_key": foreign},  # another school's pupil under the team's own school
            {"student_key": foreign, "school": OTHER},  # the other school named outright
            {"student_key": older},  # the school's own pupil, of a grade the team does not have
            {"student_key": older, "grade": 8},
        ):
            with pytest.raises(QueryError):
                runner.write(name, TEAM, "team", [base | fields | forged])
        assert runner.write(name, TEAM, "team", [base | fields | {"student_key": own}]) == 1  # its own pupil: saved
    assert {p: _pupil_rows(runner, p) for p in (foreign, older)} == before
    assert ops_rows(runner, "SELECT count(*) FROM audit_log WHERE username = 'team'") == [(3,)]


# Keys of rows that belong to the other school, mixed with the caller's own.
KEYS = {
    "talk_id": st.sampled_from([f"T-{BAKKE}-2023", f"T-{OTHER}-2023", f"T-{OTHER}-2024", "T-x"]),
    "agreement_id": st.sampled_from([f"T-{OTHER}-2023-A1", f"T-{OTHER}-2023-A2", f"T-{BAKKE}-2023-A1", "new-1"]),
    "item_id": st.sampled_from([f"T-{OTHER}-2023-1", f"T-{BAKKE}-2023-1", f"T-{OTHER}-2024-2"]),
    "course_id": st.sampled_from([f"{OTHER}-2022-0-1", f"{BAKKE}-2022-0-1", f"{BAKKE}-2022-5-1"]),
    "criterion_id": st.sampled_from([f"P-{OTHER}-1", f"P-{BAKKE}-1"]),
    "effort_id": st.sampled_from([f"{OTHER}-indsats-demo-1", f"{BAKKE}-indsats-demo-1"]),
    "event_id": st.sampled_from([1, 30, 60]),  # the demo's events: each school's after the one before
    "school": st.sampled_from([BAKKE, OTHER]),
    "year_group": st.sampled_from([0, 4, 5]),
    "grade": st.sampled_from([4, 5, 8]),
    "school_year": st.sampled_from(["2024/25", "2025/26"]),
    "base_version": st.sampled_from([0, 1]),
    "position": st.sampled_from([1, 2, 99]),
}
DEFAULTS = {
    "text": "x",
    "owner": "x",
    "status": "i gang",
    "deadline": None,
    "carried_from": None,
    "username": "u",
    "title": "x",
    "subjects": ["dansk"],
    "weeks": 1,
    "start_date": None,
    "end_date": None,
    "mandatory": False,
    "description_shared": False,
    "evaluation_done": False,
    "company_partner": None,
    "pupil_involvement": None,
    "competences": [],
    "done": True,
    "due_date": None,
    "evidence": "x",
    "indicator": "inklusion",
    "target": 90.0,
    "body": "x",
    "body_internal": "x",
    "body_public": "x",
    "name": "x",
    "role": "andre",
    "questions": "x",
    "kind": "andet",
    "screen": None,
    "starts_at": "10:00",
    "ends_at": "10:30",
    "talk_date": date(2026, 12, 1),
    "place": "x",
    "template": "standard",
    "term": "efterår",
    "area": "dansk",
    "score": 3,
    "student_key": "x",
    "starts_on": date(2026, 1, 1),
    "ends_on": None,
    "indicators": ["wellbeing_generel"],
    "description": "x",
}


@st.composite
def write_calls(draw):
    name = draw(st.sampled_from(WRITES))
    scope = draw(st.sampled_from([LEADER, TEAM, KOMMUNE_OTHER]))
    params = {p: draw(KEYS[p]) if p in KEYS else DEFAULTS.get(p) for p in sorted(load_query(name).params)}
    return name, scope, params


@pytest.fixture(scope="module")
def write_runner(demo_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("writes") / "w.duckdb"
    copy_store(demo_store, path)
    runner = Runner(duckdb.connect(str(path)))
    yield runner
    runner._con.close()


@pytest.mark.filterwarnings("ignore")
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(call=write_calls())
def test_no_write_changes_a_row_outside_the_callers_scope(write_runner, call):
    name, scope, params = call
    before = fingerprint(write_runner, scope.schools)
    try:
        write_runner.write(name, scope, "fuzz", [params])
    except QueryError:
        pass
    assert fingerprint(write_runner, scope.schools) == before, (name, params)


@pytest.mark.parametrize("field, size", [("text", 2_000_000), ("owner", 10_000)])
def test_an_over_long_text_is_refused_before_anything_is_written(store_copy, field, size):
    runner = Runner(duckdb.connect(str(store_copy)))
    cur = runner.import_cursor()
    before = (ops_rows(runner, "SELECT count(*) FROM agreement"), ops_rows(runner, "SELECT count(*) FROM audit_log"))
    row = agreement_row("T-900001-2023-A9", f"T-{BAKKE}-2023") | {field: "x" * size}
    with pytest.raises(QueryError, match="for lang"):
        runner.write("upsert_agreement", LEADER, "leder", [row])
    assert (
        ops_rows(runner, "SELECT count(*) FROM agreement"),
        ops_rows(runner, "SELECT count(*) FROM audit_log"),
    ) == before
    cur.close()
