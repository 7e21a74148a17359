"""Uploads: only a logged-in admin's Data screen takes files; size, row, cell and unpacked-size limits
(data/reference/settings.toml [import]) refuse a file with a Danish message before it is parsed;
and a checked file is not kept in the session."""

from __future__ import annotations

import io
import tomllib
import zipfile

import pytest

from data.importers import engine, reading
from data.reference import settings
from tests import import_examples as examples
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def cur(demo_store):
    """A cursor on the demo store through the process's own connection (the app's tests share it)."""
    from queries.runner import runner_for

    cursor = runner_for(demo_store).import_cursor()
    yield cursor
    cursor.close()


def _refusal(prepared: engine.Prepared) -> str:
    assert not prepared.ok
    return " ".join(prepared.problems["message"].to_list())


def test_streamlits_upload_limit_matches_the_import_limit():
    with open(ROOT / ".streamlit" / "config.toml", "rb") as f:
        config = tomllib.load(f)
    assert config["server"]["maxUploadSize"] == settings()["import"]["max_file_mb"]


@pytest.mark.parametrize("user", ["leder", "kommune", "team", None])
def test_the_data_screen_takes_no_file_from_other_roles_or_a_logged_out_session(demo_store, user):
    from tests.test_app_pages import login, start

    at = login(user, f"demo-{user}") if user else start()
    try:
        at.switch_page("views/data.py")
    except ValueError as not_registered:  # the screen is not in this session's navigation at all
        assert "Could not find a navigation page" in str(not_registered)
        assert not at.file_uploader
        return
    at.run(timeout=60)
    assert not at.exception
    assert not at.file_uploader
    if user:
        assert "Du har ikke adgang til denne side." in [e.value for e in at.error]


def _bomb(unpacked_mb: int) -> bytes:
    """A valid workbook plus one part that unpacks to many megabytes of zeros."""
    good = examples.variants("pupils")["pupils.xlsx"]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        with dst.open("xl/worksheets/sheet2.xml", "w") as part:
            chunk = b"0" * (1 << 20)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return out.getvalue()


def test_an_excel_zip_bomb_is_refused_from_its_declared_sizes_before_openpyxl_opens_it(cur, monkeypatch):
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not parse a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    data = _bomb(64)
    assert len(data) < 1_000_000
    text = _refusal(engine.prepare(cur, "pupils", "elever.xlsx", data))
    assert "pakket ud" in text and "MB" in text, text


def test_a_10_mb_csv_field_gives_a_danish_message(cur):
    head, body = examples.table("pupils", 1, danish=True)
    body[2][4] = "A" * 10_000_000
    text = _refusal(engine.prepare(cur, "pupils", "elever.csv", examples.csv_bytes(head, body, ";", "cp1252")))
    assert "linje 4" in text and "tegn" in text, text[:500]


def test_a_file_over_the_size_or_row_limit_is_refused_before_it_is_read(cur, monkeypatch):
    monkeypatch.setitem(settings()["import"], "max_file_mb", 1)
    monkeypatch.setitem(settings()["import"], "max_rows", 50)
    head, body = examples.table("pupils", 1, danish=True)
    many = examples.csv_bytes(head, body * 6, ";", "cp1252")  # 60 rows
    text = _refusal(engine.prepare(cur, "pupils", "elever.csv", many))
    assert "50" in text and "rækker" in text, text
    big = examples.csv_bytes(head, [[*body[0][:4], "x" * 5000, *body[0][5:]]] * 300, ";", "cp1252")
    assert len(big) > 1_000_000
    text = _refusal(engine.prepare(cur, "pupils", "elever.csv", big))
    assert "1 MB" in text, text
    workbook = examples.xlsx_bytes(head, body * 6, "Elever")
    text = _refusal(engine.prepare(cur, "pupils", "elever.xlsx", workbook))
    assert "50" in text and "rækker" in text, text


def _pupils(n: int) -> bytes:
    head, body = examples.table("pupils", 1, danish=True)
    rows = [[*body[i % len(body)][:2], f"U-{i:04d}", *body[i % len(body)][3:]] for i in range(n)]
    return examples.csv_bytes(head, rows, ";", "cp1252")


def test_a_checked_upload_is_not_kept_in_the_session_and_still_imports(store_copy):
    from queries.runner import runner_for
    from tests.test_app_pages import login

    at = login("admin", "demo-admin")
    at.switch_page("views/data.py")
    at.run(timeout=60)
    at.checkbox(key="import_replace").check().run(timeout=60)
    at.file_uploader[0].set_value(("elever.csv", _pupils(60), "text/csv")).run(timeout=60)
    assert not at.exception
    for key, value in at.session_state.items():
        assert not isinstance(value, (bytes, bytearray, io.IOBase)), key
    checks = at.session_state["import_checks"]
    assert checks and all(p.frame.height <= 10 for p in checks.values())
    assert [p.rows for p in checks.values()] == [60]
    at.button(key="import_confirm").click().run(timeout=60)
    assert not at.exception
    cur = runner_for(store_copy).import_cursor()
    try:
        assert cur.execute("SELECT count(*) FROM student WHERE student_key LIKE 'U-%'").fetchall() == [(60,)]
    finally:
        cur.close()


def test_the_data_screen_refuses_an_upload_over_the_size_limit_without_reading_it(store_copy, monkeypatch):
    from tests.test_app_pages import login

    monkeypatch.setitem(settings()["import"], "max_file_mb", 1)
    at = login("admin", "demo-admin")
    at.switch_page("views/data.py")
    at.run(timeout=60)
    at.file_uploader[0].set_value(("stor.csv", b"a;b\n" + b"1;2\n" * 400_000, "text/csv")).run(timeout=60)
    assert not at.exception
    assert any("1 MB" in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.key == "import_confirm"]
    assert reading.limits()["max_file_mb"] == 1


def test_a_file_of_another_type_is_refused_in_danish_before_it_is_read(cur, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("a PDF must not be read as a table")

    monkeypatch.setattr(engine, "read_table", never)
    for name, kind in (("rapport.pdf", "filtypen .pdf"), ("elever", "en fil uden filtype")):
        text = _refusal(engine.prepare(cur, "pupils", name, b"%PDF-1.7\n" + b"x" * 100))
        assert f"{name}: Datablik læser CSV-filer (.csv, .txt) og Excel-filer (.xlsx), ikke {kind}" in text, text
    text = _refusal(engine.prepare(cur, "team-tests", "prøver.docx", b"PK\x03\x04"))
    assert "ikke filtypen .docx" in text, text
    assert _refusal(engine.prepare(cur, "pupils", "gammel.xls", b"x")).endswith("Gem filen som .xlsx eller CSV.")


def _data_screen():
    from tests.test_app_pages import login

    at = login("admin", "demo-admin")
    at.switch_page("views/data.py")
    at.run(timeout=60)
    return at


def test_the_uploaders_leave_the_file_type_and_size_to_datablik_so_every_refusal_is_danish(store_copy):
    """Streamlit's browser code refuses a type outside `type=` ("application/pdf files are not allowed.")
    and a file over max_upload_size ("File must be 200.0MB or smaller.") in English, before any Danish
    check runs: neither uploader gives it a type, and with the gate in front no size either."""
    from components import upload_gate

    at = _data_screen()
    [uploader] = at.file_uploader
    assert uploader.allowed_type == [] or not uploader.allowed_type
    before = upload_gate.ACTIVE
    try:
        upload_gate.ACTIVE = True
        at.run(timeout=60)
        assert at.file_uploader[0].proto.max_upload_size_mb == upload_gate.BROWSER_CEILING_MB
    finally:
        upload_gate.ACTIVE = before


def test_the_data_screen_refuses_another_file_type_in_danish_and_changes_nothing(store_copy):
    from queries.runner import runner_for

    runner = runner_for(store_copy)
    version = runner.data_version()
    at = _data_screen()
    at.file_uploader[0].set_value(("rapport.pdf", b"%PDF-1.7\n" + b"x" * 500, "application/pdf")).run(timeout=60)
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "ikke filtypen .pdf" in errors and "Intet er importeret" in errors, errors
    assert not [b for b in at.button if b.key == "import_confirm"]
    assert runner.data_version() == version


def test_a_file_the_upload_gate_kept_back_is_refused_in_danish_by_its_real_size(store_copy, monkeypatch):
    from components import upload_gate

    monkeypatch.setattr(upload_gate, "kept_back", lambda session, file_id: 250_400_000)
    at = _data_screen()
    at.file_uploader[0].set_value(("elever.csv", b"", "text/csv")).run(timeout=60)  # the gate passed it on empty
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "elever.csv: filen fylder 250,4 MB; Datablik tager højst 200 MB i én fil" in errors, errors
    assert not [b for b in at.button if b.key == "import_confirm"]


def test_the_word_template_refuses_another_type_and_a_large_file_in_danish(store_copy, monkeypatch):
    from components import upload_gate
    from tests.test_app_pages import login

    at = login("leder", "demo-leder")
    at.switch_page("views/samtale.py").run(timeout=60)
    next(b for b in at.button if b.label == "Forbered samtalen").click().run(timeout=60)
    at.session_state["samtale_tab"] = "Referat"  # the template is the minutes' (only the open tab is built)
    at.run(timeout=60)
    template = next(u for u in at.file_uploader if u.key == "municipal_template")
    template.set_value(("skabelon.pdf", b"%PDF-1.7", "application/pdf")).run(timeout=60)
    assert not at.exception
    assert any("skabelon.pdf er ikke et Word-dokument (.docx)" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    monkeypatch.setattr(upload_gate, "kept_back", lambda session, file_id: 12_300_000)
    template = next(u for u in at.file_uploader if u.key == "municipal_template")
    template.set_value(("skabelon.docx", b"", "application/octet-stream")).run(timeout=60)
    assert any("Skabelonen fylder 12,3 MB; den må højst fylde 5 MB." in e.value for e in at.error), [
        e.value for e in at.error
    ]


def test_a_problem_with_the_whole_file_names_the_file_once(cur):
    from data.importers import report

    prepared = engine.prepare(cur, "pupils", "rapport.pdf", b"%PDF-1.7")
    (line,) = [report.problem_line(r) for r in prepared.problems.iter_rows(named=True)]
    assert line.startswith("rapport.pdf: Datablik læser") and line.count("rapport.pdf") == 1, line
