"""Operations: users managed from the command line without echoing passwords, and a backup that
round-trips the store."""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from data.__main__ import main
from tests.conftest import ROOT
from tests.operational import copy_store, ops_rows

FIXTURES = ROOT / "tests" / "fixtures" / "import"


def test_users_are_added_changed_and_disabled_without_echoing_the_password(demo_store, tmp_path, monkeypatch, capsys):
    users_file = tmp_path / "users.yaml"
    monkeypatch.setenv("DATABLIK_USERS", str(users_file))
    monkeypatch.setattr("sys.stdin", io.StringIO("hemmelig-kode-1\n"))
    assert main(["users", "add", "lise", "--role", "ledelse", "--school", "900001", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("ny-hemmelig-kode\n"))
    assert main(["users", "passwd", "lise", "--password-stdin"]) == 0
    assert main(["users", "disable", "lise"]) == 0
    out = capsys.readouterr()
    assert "hemmelig" not in out.out + out.err
    record = yaml.safe_load(users_file.read_text())["users"]["lise"]
    assert record["password"].startswith("$2") and "hemmelig" not in users_file.read_text()
    assert record["disabled"] is True and record["role"] == "ledelse"
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert main(["users", "add", "bo", "--role", "admin", "--password-stdin"]) == 2
    assert "mindst 10 tegn" in capsys.readouterr().err


def test_a_disabled_user_cannot_log_in(demo_store, tmp_path, monkeypatch):
    from data import users
    from tests.test_app_pages import login

    copy = tmp_path / "users.yaml"
    shutil.copy(users.users_path(), copy)
    monkeypatch.setenv("DATABLIK_USERS", str(copy))
    users.disable_user(copy, "leder")
    assert login("leder", "demo-leder").error[0].value == "Brugernavn eller adgangskode er forkert."


def test_a_backup_restores_to_the_same_store(demo_store, tmp_path):
    import duckdb

    source = tmp_path / "source.duckdb"
    copy_store(demo_store, source)
    from data import audit, operational_store

    with operational_store.for_store(source).transaction() as cur:  # the audit log is backed up too
        audit.record(cur, "admin", "eksport", "fil.xlsx")
    assert main(["--path", str(source), "backup", str(tmp_path / "backups")]) == 0
    folder = next((tmp_path / "backups").iterdir())
    target = tmp_path / "restored.duckdb"
    assert main(["--path", str(target), "restore", str(folder)]) == 0
    assert main(["--path", str(target), "restore", str(folder)]) == 2  # never over an existing store
    checks = (
        "SELECT count(*), sum(hash(student_key)) FROM student",
        "SELECT count(*), sum(answer_option) FROM wellbeing_answer",
        "SELECT max(version) FROM schema_version",
        "SELECT value FROM store_info WHERE key = 'data_version'",
    )
    results = []
    for path in (source, target):
        con = duckdb.connect(str(path), read_only=True)
        results.append(
            [con.execute(q).fetchone() for q in checks]
            + ops_rows(path, "SELECT count(*), max(entry_id) FROM audit_log")
            + ops_rows(path, "SELECT count(*) FROM note")
            + ops_rows(path, "SELECT count(*), sum(score) FROM pupil_assessment")  # the team's rows (migration 24)
            + ops_rows(path, "SELECT count(*), sum(level) FROM triangle_placement")
            + ops_rows(path, "SELECT count(*) FROM triangle_note")
        )
        con.close()
    assert results[0] == results[1] and results[0][-5][0] == 1 and results[0][-4][0] > 0
    assert all(found[0] > 0 for found in results[0][-3:])


@pytest.mark.parametrize("bad", ["no-such-folder"])
def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path, bad):
    assert main(["--path", str(tmp_path / "x.duckdb"), "restore", str(tmp_path / bad)]) == 2


# -- A real store in three commands (issue 15) -------------------------------------------------


def _cli(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m data ...` in its own process, started with the usual umask 022."""
    return subprocess.run(
        [sys.executable, "-m", "data", *args],
        cwd=ROOT,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        preexec_fn=lambda: os.umask(0o022),
    )


def _real_institutions(tmp_path: Path) -> Path:
    """The fixture register with its schools placed in a real municipality (København, 101)."""
    frame = pl.read_csv(FIXTURES / "institutions-utf8-bom-komma.csv", infer_schema=False)
    path = tmp_path / "institutionsregister.csv"
    frame.with_columns(pl.lit("101").alias("Beliggenhedskommune")).write_csv(path, separator=";")
    return path


def test_init_makes_an_empty_migrated_store_and_never_touches_an_existing_one(tmp_path):
    from data import store

    path = tmp_path / "kommune" / "datablik.duckdb"
    assert main(["--path", str(path), "init"]) == 0
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == store.migrations()[-1][0]
    assert con.execute("SELECT count(*) FROM school").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM wellbeing_question").fetchone()[0] > 0  # reference tables
    assert not store.is_demo(con)
    con.close()
    before = path.read_bytes()
    assert main(["--path", str(path), "init"]) == 2
    assert path.read_bytes() == before


def test_users_add_refuses_a_leader_of_a_school_that_is_not_in_the_store(demo_store, tmp_path, monkeypatch, capsys):
    users_file = tmp_path / "users.yaml"
    monkeypatch.setenv("DATABLIK_USERS", str(users_file))
    monkeypatch.setattr("sys.stdin", io.StringIO("hemmelig-kode-1\n"))
    assert main(["users", "add", "bo", "--role", "ledelse", "--school", "123456", "--password-stdin"]) == 2
    assert "skolen '123456' findes ikke" in capsys.readouterr().err
    assert not users_file.exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("hemmelig-kode-1\n"))
    assert (
        main(["users", "add", "bo", "--role", "team", "--school", "900001", "--grades", "4,5", "--password-stdin"]) == 0
    )


def test_secrets_writes_a_random_private_cookie_key_and_never_overwrites(tmp_path, monkeypatch):
    import tomllib

    monkeypatch.setenv("DATABLIK_USERS", str(tmp_path / "users.yaml"))
    target = tmp_path / "streamlit" / "secrets.toml"
    assert main(["secrets", "--file", str(target)]) == 0
    first = tomllib.loads(target.read_text())["auth"]
    assert len(first["cookie_key"]) >= 60 and first["users_file"] == str(tmp_path / "users.yaml")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert main(["secrets", "--file", str(target)]) == 2
    assert tomllib.loads(target.read_text())["auth"] == first
    other = tmp_path / "other.toml"
    assert main(["secrets", "--file", str(other)]) == 0
    assert tomllib.loads(other.read_text())["auth"]["cookie_key"] != first["cookie_key"]


def test_demo_refuses_a_store_holding_imported_data_unless_told_to_replace(store_copy, tmp_path, monkeypatch, capsys):
    from data.importers import engine

    monkeypatch.setenv("DATABLIK_USERS", str(tmp_path / "users.yaml"))
    assert main(["--path", str(store_copy), "import", "pupils", "--erstat", str(FIXTURES / "pupils.xlsx")]) == 0

    def checksums():
        con = duckdb.connect(str(store_copy), read_only=True)
        try:
            return engine.table_checksums(con)
        finally:
            con.close()

    before = checksums()
    assert main(["--path", str(store_copy), "demo"]) == 2
    assert "indeholder importerede data (1 importpartier)" in capsys.readouterr().err
    assert checksums() == before
    assert main(["--path", str(store_copy), "demo", "--replace"]) == 0
    con = duckdb.connect(str(store_copy), read_only=True)
    assert con.execute("SELECT count(*) FROM import_batch").fetchone()[0] == 0
    con.close()
    own = tmp_path / "own.duckdb"
    assert main(["--path", str(own), "init"]) == 0
    assert main(["--path", str(own), "demo"]) == 2  # an empty store of the municipality's own is no demo
    assert "er ikke en demodatabase" in capsys.readouterr().err


def test_the_demo_banner_follows_the_demo_rows_school_by_school(store_copy, tmp_path):
    from data import store
    from queries.runner import Runner, Scope

    admin = Scope("admin", None)
    assert (
        main(["--path", str(store_copy), "import", "institutions", str(FIXTURES / "institutions-utf8-bom-komma.csv")])
        == 0
    )
    runner = Runner(store.connect(store_copy, read_only=True))
    demo = set(runner.run("demo_schools", admin)["institution_no"])
    every = set(runner.run("schools", admin)["institution_no"])
    # 900001 (Bakkeskolen) came in the register too but keeps its demo pupils; 101001 is real only.
    assert "101001" in every and "101001" not in demo and "900001" in demo and len(demo) == 12
    assert runner.run("demo_schools", Scope("ledelse", frozenset({"101001"}))).is_empty()
    own = tmp_path / "own.duckdb"
    assert main(["--path", str(own), "init"]) == 0
    assert main(["--path", str(own), "import", "institutions", str(_real_institutions(tmp_path))]) == 0
    assert Runner(store.connect(own, read_only=True)).run("demo_schools", admin).is_empty()


def _own_store_app(tmp_path, monkeypatch, imports: tuple[str, ...] = ()) -> AppTest:
    """A store made by init + users add (+ imports), the app logged in as its admin."""
    import secrets

    path = tmp_path / "own.duckdb"
    users_file = tmp_path / "users.yaml"
    monkeypatch.setenv("DATABLIK_DB", str(path))
    monkeypatch.setenv("DATABLIK_USERS", str(users_file))
    assert main(["--path", str(path), "init"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("en-lang-adgangskode\n"))
    assert main(["users", "add", "dataansvarlig", "--role", "admin", "--password-stdin"]) == 0
    for source in imports:
        assert main(["--path", str(path), "import", source, str(_real_institutions(tmp_path))]) == 0
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = {"cookie_key": secrets.token_urlsafe(48)}
    at.run()
    at.text_input[0].input("dataansvarlig")
    at.text_input[1].input("en-lang-adgangskode")
    at.button[0].click()
    at.run()
    at.run()
    return at


def test_an_admin_on_a_new_store_sees_what_to_import_next_and_no_demo_banner(tmp_path, monkeypatch):
    at = _own_store_app(tmp_path, monkeypatch)
    assert not at.exception
    page = "\n".join(m.value for m in at.markdown)
    assert "Demodata" not in page and "ingen skoler" not in page
    assert [h.value for h in at.header] == ["Datablik er klar til kommunens data"]
    assert "1. Institutionsregistret" in page and "3. Elevregistret" in page
    assert "python -m data import institutions institutionsregister.csv" in [c.value for c in at.code]


def test_after_the_register_alone_the_checklist_ticks_it_off_and_nothing_breaks(tmp_path, monkeypatch):
    """Schools but no school year yet (no figures): the screens would have nothing to show."""
    at = _own_store_app(tmp_path, monkeypatch, imports=("institutions",))
    assert not at.exception
    page = "\n".join(m.value for m in at.markdown)
    assert "✅ **1. Institutionsregistret**" in page and "⬜ **2. Offentliggjorte tal" in page
    assert "Demodata" not in page


def test_a_configured_store_that_does_not_exist_guides_to_init(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABLIK_DB", str(tmp_path / "ingen.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception and not at.error
    assert "python -m data init" in at.code[0].value
    assert not (tmp_path / "ingen.duckdb").exists()


# -- Backup while the store is held, and private files (issue 15 item 4, issue 14 item 9a) -------


def test_a_backup_taken_through_the_holding_connection_restores_every_table(store_copy, tmp_path):
    """What the Data screen's button does: the export runs through the connection that holds the
    store (here a runner in this process, as in the app), while it stays open and writable."""
    from components.backup_sections import take_backup
    from data import backup, store
    from data.importers import engine
    from queries.runner import Runner

    holder = Runner(store.connect(store_copy))
    other = subprocess.run(
        [sys.executable, "-c", f"from data import store; store.connect({str(store_copy)!r}, True)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert other.returncode != 0 and "StoreHeld" in other.stderr  # another process cannot open it now ...
    cur = holder.import_cursor()
    before = engine.table_checksums(cur)
    cur.close()
    folder = take_backup(holder, "admin", tmp_path / "backups")
    restored = tmp_path / "restored.duckdb"
    backup.restore(folder, restored)  # ... and the backup restores from the folder it names
    con = duckdb.connect(str(restored), read_only=True)
    after = engine.table_checksums(con)
    con.close()
    assert len(before) > 30 and after == before
    with pytest.raises(FileExistsError):
        backup.restore(folder, restored)
    assert ops_rows(holder, "SELECT target FROM audit_log WHERE action = 'sikkerhedskopi'") == [(str(folder),)]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_store_its_wal_and_backups_are_private_files(tmp_path):
    store_file = tmp_path / "ny" / "datablik.duckdb"
    assert _cli("--path", str(store_file), "init").returncode == 0
    assert _mode(store_file) == 0o600 and _mode(store_file.parent) == 0o700
    wal = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import os, stat; from data import store\n"
                f"con = store.connect({str(store_file)!r})\n"
                "con.execute(\"INSERT INTO store_info VALUES ('x', 'y')\")\n"
                f"print(oct(stat.S_IMODE(os.stat({str(store_file)!r} + '.wal').st_mode)))"
            ),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert wal.stdout.strip() == "0o600", wal.stderr
    result = _cli("--path", str(store_file), "backup", str(tmp_path / "kopier"))
    assert result.returncode == 0, result.stderr
    folder = next((tmp_path / "kopier").iterdir())
    assert _mode(tmp_path / "kopier") == 0o700 and _mode(folder) == 0o700
    assert {_mode(f) for f in folder.iterdir()} == {0o600}
    restored = tmp_path / "genskabt" / "datablik.duckdb"
    assert _cli("--path", str(restored), "restore", str(folder)).returncode == 0
    assert _mode(restored) == 0o600 and _mode(restored.parent) == 0o700


def test_an_old_store_readable_by_everyone_is_made_private_when_opened(tmp_path):
    from data import store

    path = tmp_path / "gammel.duckdb"
    duckdb.connect(str(path)).close()
    path.chmod(0o644)
    store.connect(path).close()
    assert _mode(path) == 0o600


def test_with_postgresql_a_backup_holds_its_rows_and_restores_only_into_an_empty_database(
    demo_store, tmp_path, monkeypatch, capsys
):
    """The operational rows live in PostgreSQL: the backup carries them (operational.sqlite, one
    snapshot) and a restore loads them into the configured database only while its tables are empty."""
    from data import audit, operational_store
    from tests.operational import drop_postgresql_schema, postgresql_schema

    live, empty = postgresql_schema(), postgresql_schema()
    try:
        monkeypatch.setenv("DATABLIK_OPS_URL", live)
        source = tmp_path / "source.duckdb"
        copy_store(demo_store, source)
        with operational_store.for_store(source).transaction() as cur:
            audit.record(cur, "admin", "eksport", "<b>fil</b>.xlsx")
        count = "SELECT count(*), max(entry_id), min(target) FROM audit_log"
        notes = "SELECT count(*), min(body), max(updated_at) FROM note"
        expected = ops_rows(source, count) + ops_rows(source, notes)
        assert expected[0][0] == 1 and expected[1][0] > 0
        capsys.readouterr()
        assert main(["--path", str(source), "backup", str(tmp_path / "backups")]) == 0
        assert "driftsdatabasens rækker" in capsys.readouterr().out  # says what the backup holds, and from where
        folder = next((tmp_path / "backups").iterdir())
        assert sorted(p.name for p in folder.glob("operational*")) == ["operational.sqlite"]
        shutil.copy(folder / "operational.sqlite", tmp_path / "look.sqlite")  # looked at in a copy
        kept = operational_store.OperationalStore(tmp_path / "look.sqlite")
        assert kept.rows(count) + kept.rows(notes) == expected  # the rows are in the backup file
        kept.close()

        target = tmp_path / "restored.duckdb"
        capsys.readouterr()
        assert main(["--path", str(target), "restore", str(folder)]) == 2  # the live database holds rows
        assert "Driftsdatabasen har allerede data" in capsys.readouterr().err
        assert not target.exists() and ops_rows(source, count) == expected[:1]

        monkeypatch.setenv("DATABLIK_OPS_URL", empty)
        assert main(["--path", str(target), "restore", str(folder)]) == 0
        assert ops_rows(target, count) + ops_rows(target, notes) == expected
        with operational_store.for_store(target).transaction() as cur:
            audit.record(cur, "admin", "visning", "Data")
        assert ops_rows(target, "SELECT max(entry_id) FROM audit_log") == [(expected[0][1] + 1,)]
    finally:
        drop_postgresql_schema(live)
        drop_postgresql_schema(empty)


def test_with_postgresql_a_demo_build_never_replaces_talks_of_schools_that_are_not_the_demos(
    tmp_path, monkeypatch, capsys
):
    """Every store shares the PostgreSQL database, so a demo built anywhere would replace its talks."""
    from data import operational_store
    from tests.operational import drop_postgresql_schema, postgresql_schema

    url = postgresql_schema()
    try:
        monkeypatch.setenv("DATABLIK_OPS_URL", url)
        monkeypatch.setenv("DATABLIK_USERS", str(tmp_path / "users.yaml"))
        ops = operational_store.for_store(tmp_path / "real.duckdb")
        with ops.transaction() as cur:
            cur.execute("INSERT INTO talk VALUES ('rigtig', '101001', '2025/26', '2026-03-01', NULL, 'planlagt', NULL)")
        demo = ["--path", str(tmp_path / "demo.duckdb"), "demo", "--schools", "2", "--pupils-per-school", "0.2"]
        assert main(demo) == 2
        assert "PostgreSQL) har samtaler for 1 skole, der ikke er demoens" in capsys.readouterr().err
        assert not (tmp_path / "demo.duckdb").exists()
        assert ops.rows("SELECT talk_id FROM talk") == [("rigtig",)]
        assert main(demo + ["--replace"]) == 0
        assert ("rigtig",) not in ops.rows("SELECT talk_id FROM talk")
        assert main(demo) == 0  # a demo over the demo's own talks needs no --replace
    finally:
        drop_postgresql_schema(url)


def test_a_backup_while_postgresql_cannot_be_reached_says_so_in_danish_and_leaves_no_half_backup(
    demo_store, tmp_path, monkeypatch, capsys
):
    source = tmp_path / "source.duckdb"
    copy_store(demo_store, source)
    monkeypatch.setenv("DATABLIK_OPS_URL", "postgresql://datablik@127.0.0.1:1/datablik")  # nothing listens there
    capsys.readouterr()
    assert main(["--path", str(source), "backup", str(tmp_path / "backups")]) == 2
    assert "Fejl: Driftsdatabasen (PostgreSQL) kan ikke nås" in capsys.readouterr().err
    assert not list((tmp_path / "backups").glob("datablik-*"))
