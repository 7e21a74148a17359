"""Operations: users managed from the command line without echoing passwords, and a backup that
round-trips the store."""
from __future__ import annotations

import io
import shutil

import pytest
import yaml

from data.__main__ import main


def test_users_are_added_changed_and_disabled_without_echoing_the_password(demo_store, tmp_path, monkeypatch,
                                                                          capsys):
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
    shutil.copy(demo_store, source)
    assert main(["--path", str(source), "backup", str(tmp_path / "backups")]) == 0
    folder = next((tmp_path / "backups").iterdir())
    target = tmp_path / "restored.duckdb"
    assert main(["--path", str(target), "restore", str(folder)]) == 0
    assert main(["--path", str(target), "restore", str(folder)]) == 2  # never over an existing store
    checks = ("SELECT count(*), sum(hash(student_key)) FROM student",
              "SELECT count(*), sum(answer_option) FROM wellbeing_answer",
              "SELECT count(*) FROM audit_log", "SELECT max(version) FROM schema_version",
              "SELECT value FROM store_info WHERE key = 'data_version'")
    results = []
    for path in (source, target):
        con = duckdb.connect(str(path), read_only=True)
        results.append([con.execute(q).fetchone() for q in checks])
        con.close()
    assert results[0] == results[1]


@pytest.mark.parametrize("bad", ["no-such-folder"])
def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path, bad):
    assert main(["--path", str(tmp_path / "x.duckdb"), "restore", str(tmp_path / bad)]) == 2
