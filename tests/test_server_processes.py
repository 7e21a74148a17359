"""Several server processes on one store (issue 18, point 2): each opens the DuckDB file read-only,
and what is written while people work (login sessions, failed logins, the audit log) goes to the
operational store they share; the command line imports while they serve, as a new version of the
file that each process switches to without a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from tests.operational import copy_store, ops_rows

PUPILS = ROOT / "tests" / "fixtures" / "import" / "pupils.xlsx"

# A server process stand-in: the app's runner on the store, read-only as behind the proxy; it reads
# one line of Python at a time from stdin and answers with its value as one JSON line.
WORKER = """
import json, sys, time
import polars as pl
from components import auth
from queries.runner import Scope, runner_for
from data import store
runner = runner_for(store.store_path(), read_only=store.read_only_requested())
admin = Scope("admin", None)
print(json.dumps("ready"), flush=True)
for line in sys.stdin:
    try:
        value = eval(line)
    except Exception as exc:
        value = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(value, default=str), flush=True)
"""


class Worker:
    def __init__(self, env: dict):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=ROOT,
            text=True,
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._answer() == "ready"

    def _answer(self):
        line = self.proc.stdout.readline()
        assert line, f"the worker stopped (exit {self.proc.poll()})"
        return json.loads(line)

    def ask(self, expression: str):
        self.proc.stdin.write(expression + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@contextmanager
def read_only_processes(store: Path, n: int = 2):
    env = {"DATABLIK_DB": str(store), "DATABLIK_READ_ONLY": "1"}
    with ExitStack() as stack:
        workers = []
        for _ in range(n):
            worker = Worker(env)
            stack.callback(worker.close)
            workers.append(worker)
        yield workers


@pytest.fixture
def served_store(demo_store, tmp_path, ops_backend) -> Path:
    """A copy of the demo store; its operational store on the test's backend (the processes inherit
    $DATABLIK_OPS_URL when it is PostgreSQL)."""
    path = tmp_path / "datablik.duckdb"
    copy_store(demo_store, path)
    return path


@pytest.mark.both_ops_backends
def test_two_read_only_processes_share_login_sessions_failures_and_the_audit_log(served_store):
    with read_only_processes(served_store) as (first, second):
        expires = time.time() + 600
        opened = first.ask(
            f"runner.write('record_login_session', auth.SYSTEM, 'leder', "
            f"[{{'username': 'leder', 'expires': {expires!r}}}])"
        )
        assert opened == 1, opened
        assert second.ask(f"auth.session_is_live(runner, 'leder', {expires!r})") is True
        assert (
            second.ask(
                f"runner.write('revoke_login_session', auth.SYSTEM, 'leder', "
                f"[{{'username': 'leder', 'expires': {expires!r}}}])"
            )
            == 1
        )
        assert first.ask(f"auth.session_is_live(runner, 'leder', {expires!r})") is False  # a logout anywhere
        for worker in (first, second, first):
            worker.ask("runner.write('record_login_failure', auth.SYSTEM, 'leder2', [{'username': 'leder2'}])")
        assert second.ask("auth.recent_failures(runner, 'leder2')") == 3  # the lockout counts every process's
        first.ask("runner.audit('kommune', 'visning', 'Trivsel', 'skoleår 2024/25', '100001')")
    actions = [a for (a,) in ops_rows(served_store, "SELECT action FROM audit_log ORDER BY entry_id")]
    assert actions == ["logget ind", "logget ud"] + ["mislykket login"] * 3 + ["visning"]


@pytest.mark.both_ops_backends
def test_a_note_written_in_one_process_is_read_in_the_other_and_a_stale_save_changes_nothing(served_store):
    leader = "Scope('ledelse', frozenset(['900001']))"
    with read_only_processes(served_store) as (first, second):
        talk = first.ask(f"runner.run('talks_for_school', {leader}, school='900001')['talk_id'][0]")
        agenda = f"runner.run('talk_agenda', {leader}, school='900001', talk_id={talk!r})"
        item, version = second.ask(f"{agenda}.select('item_id', 'note_version').row(0)")
        note = "<b>Fravær</b> i 7. klasse; vi følger op i marts"
        save = (
            f"runner.write('save_note', {leader}, 'leder', [{{'school': '900001', 'item_id': {item!r}, "
            f"'body': {note!r}, 'base_version': {version}, 'username': 'leder'}}])"
        )
        assert first.ask(save) == 1
        assert second.ask(
            f"{agenda}.filter(pl.col('item_id') == {item!r}).select('note', 'note_version', 'note_by').row(0)"
        ) == [note, version + 1, "leder"]
        stale = second.ask(save)  # saved from the same version again: someone else saved meanwhile
        assert "intet er ændret" in stale["error"]
        assert first.ask(f"{agenda}.filter(pl.col('item_id') == {item!r})['note_version'][0]") == version + 1
    assert ops_rows(served_store, "SELECT count(*) FROM audit_log WHERE action = 'note gemt'") == [(1,)]


def test_a_read_only_process_refuses_an_import_of_the_duckdb_file_in_danish(served_store):
    with read_only_processes(served_store, 1) as (worker,):
        answer = worker.ask("runner.transaction(lambda cur: None)")
    assert "skrivebeskyttet" in answer["error"]


TEAM = "Scope('team', frozenset(['900001']), grades=frozenset([4, 5, 6]))"


@pytest.mark.both_ops_backends
def test_in_read_only_processes_a_team_saves_assessments_and_triangles_and_the_other_process_reads_them(
    served_store,
):
    """Issue 18, point 2: the team's 1-5 assessments, its triangle placements and the round's texts are
    edits made while people work: with the DuckDB file read-only they are saved in the operational
    store, another process reads them at once (joined with the pupils there), and they are audited."""
    with read_only_processes(served_store) as (first, second):
        grid = (
            "runner.run('year_group_assessments', {t}, school='900001', school_year='2025/26', "
            "previous_year='2024/25', grade=5)"
        )
        pupil = first.ask(grid.format(t=TEAM) + "['student_key'][0]")
        saved = first.ask(
            "__import__('queries.edits', fromlist=['x']).save_assessments(runner, "
            f"{TEAM}, 'team', '900001', '2025/26', 5, [{{'student_key': {pupil!r}, 'term': 'forår', "
            "'area': 'dansk', 'score': 1}, "
            f"{{'student_key': {pupil!r}, 'term': 'forår', 'area': 'matematik', 'score': 2}}])"
        )
        assert saved == []
        mine = (
            f".filter((pl.col('student_key') == {pupil!r}) & (pl.col('school_year') == '2025/26')"
            " & (pl.col('term') == 'forår')).sort('area').select('area', 'score', 'assessed_by').rows()"
        )
        assert second.ask(grid.format(t=TEAM) + mine)[:2] == [["dansk", 1, "team"], ["matematik", 2, "team"]]
        signs = (
            "runner.run('year_group_warning_signs', {t}, school='900001', school_year='2025/26', grade=5, "
            "min_signals=1).filter(pl.col('student_key') == {p!r})['low_assessment_areas'].to_list()"
        )
        [low] = second.ask(signs.format(t=TEAM, p=pupil))
        assert {"dansk", "matematik"} <= set(low)
        placed = first.ask(
            "__import__('queries.learning_triangle', fromlist=['x']).save_triangle(runner, "
            f"{TEAM}, 'team', '900001', '2025/26', 5, {pupil!r}, 'dansk', 3, {{1: 2, 2: 4}}, "
            "'Læser selv.', 'Stavning.')"
        )
        assert placed == []
        shown = (
            f"runner.run('triangle_placements', {TEAM}, school='900001', school_year='2025/26', grade=5, "
            f"student_key={pupil!r}, subject='dansk').filter(pl.col('round') == 3)"
            ".sort('position').select('position', 'level', 'progress').rows()"
        )
        assert second.ask(shown) == [[1, 2, "Læser selv."], [2, 4, "Læser selv."]]
    audited = ops_rows(served_store, "SELECT action FROM audit_log WHERE username = 'team' ORDER BY entry_id")
    assert [a for (a,) in audited].count("elevvurdering gemt") == 2
    assert len(audited) == 5  # two assessments, two placements and the round's texts


LEADER = "Scope('ledelse', frozenset(['900001']))"
DAY = "__import__('datetime').date"


def write(worker: Worker, name: str, row: str):
    """One write by the leader of 900001 in a worker; its value (rows written) or {'error': ...}."""
    from queries.runner import load_query

    user = "'username': 'leder', " if "username" in load_query(name).params else ""
    return worker.ask(f"runner.write({name!r}, {LEADER}, 'leder', [{{'school': '900001', {user}{row}}}])")


def read(worker: Worker, name: str, expression: str, **params: str):
    args = "".join(f", {k}={v}" for k, v in params.items())
    return worker.ask(f"runner.run({name!r}, {LEADER}, school='900001'{args}){expression}")


@pytest.mark.both_ops_backends
def test_in_read_only_processes_a_leader_adds_changes_and_removes_the_schools_own_work_and_the_other_reads_it(
    served_store,
):
    """Issue 18, point 2: efforts, the yearly wheel's own events, participation targets, project
    milestones, competence areas and LEAPS courses are edits made while people work: with the DuckDB file read-only
    they are saved, and another process reads them at once; a row of another school stays as it was."""
    with read_only_processes(served_store) as (first, second):
        effort = (
            "'name': 'Læsebånd', 'starts_on': {d}(2024, 9, 1), 'ends_on': None, "
            "'indicators': ['wellbeing_generel'], 'description': '<b>hver</b> morgen'"
        )
        assert write(first, "insert_effort", effort.format(d=DAY)) == 1
        efforts = ".filter(pl.col('name') == 'Læsebånd').select('effort_id', 'indicators', 'description').rows()"
        [(effort_id, indicators, description)] = read(second, "school_efforts", efforts)
        assert (indicators, description) == (["wellbeing_generel"], "<b>hver</b> morgen")
        changed = effort.format(d=DAY).replace("['wellbeing_generel']", "['wellbeing_faglig', 'wellbeing_social']")
        assert write(second, "update_effort", f"'effort_id': {effort_id!r}, {changed}") == 1
        assert read(first, "school_efforts", efforts)[0][1] == ["wellbeing_faglig", "wellbeing_social"]
        assert write(first, "delete_effort", f"'effort_id': {effort_id!r}") == 1
        assert read(second, "school_efforts", efforts) == []

        event = f"'school_year': '2025/26', 'title': 'Emneuge', 'starts_on': {DAY}(2026, 4, 13), "
        event += f"'ends_on': {DAY}(2026, 4, 17)"
        assert write(first, "insert_school_event", event) == 1
        events = ".filter(pl.col('title') == 'Emneuge')['event_id'].to_list()"
        [event_id] = read(second, "year_wheel", events, school_year="'2025/26'")
        outside = event.replace("(2026, 4, 17)", "(2026, 8, 17)")  # past the school year's end
        assert "intet er ændret" in write(second, "insert_school_event", outside)["error"]
        assert write(second, "delete_school_event", f"'event_id': {event_id}") == 1
        assert read(first, "year_wheel", events, school_year="'2025/26'") == []

        for target in (7.5, 6.0):
            assert write(first, "set_participation_target", f"'indicator': 'absence_over10', 'target': {target}") == 1
            targets = ".filter(pl.col('indicator') == 'absence_over10')['target'].to_list()"
            assert read(second, "participation_targets", targets) == [target]

        project = read(first, "school_projects", "['project_id'][0]")
        milestones = ".select('criterion_id', 'done', 'evidence').rows()"
        criterion = read(first, "project_milestones", milestones, project_id=repr(project))[0][0]
        done = f"'criterion_id': {criterion!r}, 'done': False, 'due_date': {DAY}(2026, 5, 1), 'evidence': 'Referat'"
        assert write(first, "update_project_milestone", done) == 1
        assert [criterion, False, "Referat"] in read(second, "project_milestones", milestones, project_id=repr(project))

        area = "'subject': 'dansk', 'stage': 'mellemtrin', 'position': 2, 'letter': 'Q', 'name': 'Quiz'"
        assert write(first, "upsert_competence_area", area) == 1
        assert write(second, "upsert_competence_area", area.replace("Quiz", "Skrivning")) == 1
        areas = ".filter(pl.col('position') == 2).select('letter', 'name', 'own').row(0)"
        shown = read(first, "competence_areas", areas, subject="'dansk'", stage="'mellemtrin'")
        assert shown == ["Q", "Skrivning", True]
        unknown = area.replace("'position': 2", "'position': 7")
        assert "intet er ændret" in write(first, "upsert_competence_area", unknown)["error"]

        fields = (
            "'year_group': 5, 'title': 'Bro over åen (test)', 'subjects': ['matematik', 'dansk'], 'weeks': 3, "
            f"'start_date': {DAY}(2026, 3, 2), 'end_date': {DAY}(2026, 3, 20), 'mandatory': True, "
            "'description_shared': False, 'evaluation_done': False, 'company_partner': 'Broværket', "
            "'pupil_involvement': None, 'competences': ['samarbejde']"
        )
        assert write(first, "insert_leaps_course", f"'school_year': '2025/26', {fields}") == 1
        found = ".filter(pl.col('title') == 'Bro over åen (test)').select('course_id', 'subjects', 'mandatory').rows()"
        [(course_id, subjects, mandatory)] = read(second, "leaps_courses", found, school_year="'2025/26'")
        assert (subjects, mandatory) == (["matematik", "dansk"], True)
        changed = fields.replace("'mandatory': True", "'mandatory': False")
        assert write(second, "update_leaps_course", f"'course_id': {course_id!r}, {changed}") == 1
        assert read(first, "leaps_courses", found, school_year="'2025/26'")[0][2] is False

        other = "runner.run('school_efforts', admin, school='900002')['effort_id'][0]"
        foreign = first.ask(other)
        refused = write(second, "delete_effort", f"'effort_id': {foreign!r}")  # 900002's row, as 900001
        assert "anden skole" in refused["error"]
        assert foreign in second.ask(other.replace("[0]", ".to_list()"))
    audited = ops_rows(served_store, "SELECT count(*) FROM audit_log WHERE username = 'leder'")
    assert audited == [(12,)]  # 3 effort, 2 event, 2 target, 1 milestone, 2 area and 2 course writes


@pytest.mark.both_ops_backends
def test_an_import_on_the_command_line_while_two_processes_serve_is_a_new_version_both_read_without_a_restart(
    served_store,
):
    with read_only_processes(served_store) as workers:
        before = [w.ask("runner.data_version()") for w in workers]
        batches = [w.ask("runner.run('import_batches', admin).height") for w in workers]
        old_file = served_store.stat().st_ino
        result = subprocess.run(
            [sys.executable, "-m", "data", "--path", str(served_store), "import", "--erstat", "pupils", str(PUPILS)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "DATABLIK_DB": str(served_store)},
        )
        assert result.returncode == 0, result.stderr
        assert served_store.stat().st_ino != old_file  # a new file took the store's name in one rename
        after = [w.ask("runner.data_version()") for w in workers]
        assert after[0] == after[1] != before[0] == before[1]
        assert [w.ask("runner.run('import_batches', admin).height") for w in workers] == [b + 1 for b in batches]
        assert workers[0].ask("runner.audit('admin', 'visning', 'Data', 'efter import')") is None
    assert not list(served_store.parent.glob("*.next-*")) and not list(served_store.parent.glob("*.reading-*"))
    (imported,) = ops_rows(served_store, "SELECT count(*) FROM audit_log WHERE action = 'import'")
    assert imported == (1,)


def test_a_refused_import_leaves_the_store_file_and_the_audit_log_as_they_were(served_store, tmp_path):
    bad = tmp_path / "pupils.csv"
    bad.write_text("noget;andet\n1;2\n", encoding="utf-8")
    with read_only_processes(served_store, 1):
        old_file = served_store.stat().st_ino
        result = subprocess.run(
            [sys.executable, "-m", "data", "--path", str(served_store), "import", "pupils", str(bad)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert served_store.stat().st_ino == old_file
    assert ops_rows(served_store, "SELECT count(*) FROM audit_log WHERE action = 'import'") == [(0,)]


@pytest.mark.both_ops_backends
def test_a_store_from_before_the_operational_store_keeps_its_audit_log_and_sessions(tmp_path, monkeypatch, ops_backend):
    from data import store

    path = tmp_path / "old.duckdb"
    everything = store.migrations()
    monkeypatch.setattr(store, "migrations", lambda: [m for m in everything if m[0] < store.MOVED_TO_OPERATIONAL])
    con = store.connect(path)
    con.execute("INSERT INTO audit_log (logged_at, username, action, target) VALUES (now(), 'admin', 'import', 'x')")
    con.execute("INSERT INTO login_session VALUES ('leder', 123.5, now(), NULL)")
    con.close()
    monkeypatch.setattr(store, "migrations", lambda: everything)
    store.connect(path).close()
    assert ops_rows(path, "SELECT username, action, target FROM audit_log") == [("admin", "import", "x")]
    assert ops_rows(path, "SELECT username, expires FROM login_session") == [("leder", 123.5)]
    con = duckdb.connect(str(path), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert not tables & {"audit_log", "login_session", "login_failure"}


@pytest.mark.both_ops_backends
def test_a_store_from_before_migrations_21_23_and_24_keeps_its_school_work_leaps_courses_and_team_rows(
    tmp_path, monkeypatch, ops_backend
):
    from data import store

    path = tmp_path / "old.duckdb"
    everything = store.migrations()
    monkeypatch.setattr(store, "migrations", lambda: [m for m in everything if m[0] < 21])
    con = store.connect(path)
    con.execute(
        "INSERT INTO effort VALUES ('e-1', '900001', 'Læsebånd', DATE '2024-09-01', NULL,"
        " ['wellbeing_generel', 'wellbeing_faglig'], NULL, 'leder', TIMESTAMP '2024-09-01 09:00:00')"
    )
    con.execute(
        "INSERT INTO school_event (institution_no, school_year, title, starts_on, ends_on, created_by, created_at)"
        " VALUES ('900001', '2025/26', 'Emneuge', DATE '2026-04-13', DATE '2026-04-17', 'leder', now())"
    )
    con.execute("INSERT INTO participation_target VALUES ('900001', 'stoette', 3.5, 'leder', now())")
    con.execute("INSERT INTO participation_target_history VALUES ('900001', 'stoette', 3.5, 'leder', now())")
    con.execute(
        "INSERT INTO school_project VALUES ('P-1', '900001', 'Projekt', 'Formål', DATE '2024-08-01',"
        " DATE '2026-06-30', NULL)"
    )
    con.execute(
        "INSERT INTO project_criterion VALUES ('P-1-1', 'P-1', 'milepæl', 'Standard', DATE '2025-01-01', true,"
        " 'Vedtaget', NULL, NULL, NULL, 'leder', now())"
    )
    con.execute("INSERT INTO competence_area VALUES ('900001', 'dansk', 'mellemtrin', 2, 'Q', 'Quiz', 'leder', now())")
    course = (
        "'900001', '2025/26', 5, 'Bro', ['matematik'], 3, DATE '2026-03-02', DATE '2026-03-20', true, false,"
        " false, NULL, NULL, ['samarbejde'], 'leder', TIMESTAMP '2026-01-05 10:00:00', 7"
    )
    con.execute(f"INSERT INTO leaps_course VALUES ('c-1', {course})")
    con.execute(f"INSERT INTO import_archive_leaps_course VALUES (8, 'c-0', {course})")  # replaced by batch 8
    con.execute("INSERT INTO pupil_assessment VALUES ('2025/26', 'forår', 'P-1', 'dansk', 4, 'team', now())")
    con.execute("INSERT INTO triangle_placement VALUES ('2025/26', 2, 'P-1', 'matematik', 3, 5, 'team', now())")
    con.execute("INSERT INTO triangle_note VALUES ('2025/26', 2, 'P-1', 'matematik', 'Frem', 'Fokus', 'team', now())")
    con.execute(
        "INSERT INTO import_archive_pupil_assessment SELECT 9, * REPLACE ('P-0' AS student_key) FROM pupil_assessment"
    )
    con.execute(
        "INSERT INTO import_archive_triangle_note SELECT 9, * REPLACE ('P-0' AS student_key) FROM triangle_note"
    )
    con.close()
    monkeypatch.setattr(store, "migrations", lambda: everything)
    store.connect(path).close()
    assert ops_rows(path, "SELECT effort_id, starts_on, indicators FROM effort") == [
        ("e-1", "2024-09-01", '["wellbeing_generel", "wellbeing_faglig"]')
    ]
    assert ops_rows(path, "SELECT event_id, title, ends_on FROM school_event") == [(1, "Emneuge", "2026-04-17")]
    assert ops_rows(path, "SELECT target FROM participation_target") == [(3.5,)]
    assert ops_rows(path, "SELECT count(*) FROM participation_target_history") == [(1,)]
    assert (
        ops_rows(path, "SELECT c.criterion_id, c.done FROM project_criterion c JOIN school_project USING (project_id)")[
            0
        ][0]
        == "P-1-1"
    )
    assert ops_rows(path, "SELECT letter, name FROM competence_area") == [("Q", "Quiz")]
    assert ops_rows(path, "SELECT course_id, subjects, batch_id FROM leaps_course") == [("c-1", '["matematik"]', 7)]
    assert ops_rows(path, "SELECT archived_by, course_id FROM import_archive_leaps_course") == [(8, "c-0")]
    con = duckdb.connect(str(path), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    con.close()
    assert not tables & {"effort", "school_event", "participation_target", "school_project", "competence_area"}
    assert not tables & {"leaps_course", "import_archive_leaps_course"}
    assert not tables & {"pupil_assessment", "triangle_placement", "triangle_note"}
    assert not {t for t in tables if t.startswith("import_archive_")} & {
        "import_archive_pupil_assessment",
        "import_archive_triangle_placement",
        "import_archive_triangle_note",
    }
    assert ops_rows(path, "SELECT term, student_key, area, score FROM pupil_assessment") == [
        ("forår", "P-1", "dansk", 4)
    ]  # migration 24: the team's rows arrive in the operational store
    assert ops_rows(path, "SELECT round, position, level FROM triangle_placement") == [(2, 3, 5)]
    assert ops_rows(path, "SELECT progress, next_focus FROM triangle_note") == [("Frem", "Fokus")]
    assert ops_rows(path, "SELECT archived_by, student_key, score FROM import_archive_pupil_assessment") == [
        (9, "P-0", 4)
    ]
    assert ops_rows(path, "SELECT archived_by, student_key FROM import_archive_triangle_note") == [(9, "P-0")]
