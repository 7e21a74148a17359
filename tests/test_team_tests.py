"""The team's own test spreadsheet (seed 003, Ullerup Bæk Skole): imported as it is kept (merged area
cells, signal words over task numbers, several tests as sheets, a CSV variant), broken variants
refused in Danish with the store unchanged, corrected files replacing one test, rollback."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from data import __main__ as cli
from data import operational_store
from data.importers import engine
from tests.operational import ops_rows
from tests.test_import import checksums as both_stores

SCHOOL = "900001"
YEAR = "2025/26"
# Two areas spanning several columns, signal words as in the catalogue's extract.
TASKS = [
    ("Matematik i anvendelse", "Vis", "1.1", 3),
    ("Matematik i anvendelse", "Hvor mange", "1.2", 2),
    ("Matematik i anvendelse", "Skriv", "1.3", 2),
    ("Matematik i anvendelse", "Hvor mange", "1.4", 3),
    ("Matematik i anvendelse", "Undersøg", "1.5", 2),
    ("Funktioner", "Hvilket", "2.1", 2),
    ("Funktioner", "Hvor stor", "2.2", 3),
    ("Funktioner", "Beskriv", "2.3", 2),
    ("Funktioner", "Undersøg", "2.4", 2),
]


def pupils(path: Path, grade: int = 5, n: int = 8, year: str = YEAR) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [
            r[0]
            for r in con.execute(
                "SELECT student_key FROM student WHERE institution_no = ? AND school_year = ? AND grade = ?"
                " ORDER BY student_key LIMIT ?",
                [SCHOOL, year, grade, n],
            ).fetchall()
        ]
    finally:
        con.close()


def points_for(keys: list[str], seed: int = 0) -> dict[str, list[float]]:
    """Points per pupil and task, never above the task's maximum; the third pupil struggles everywhere."""
    out = {}
    for i, key in enumerate(keys):
        out[key] = [
            0 if i == 2 else (mx if (i + j + seed) % 3 else max(mx - 1 - (j % 2), 0))
            for j, (_, _, _, mx) in enumerate(TASKS)
        ]
    return out


def sheet_rows(
    name: str,
    taken: str,
    rows: dict[str, list],
    with_max: bool = True,
    key_label: str = "Opgave nr./uni-login",
    tasks=TASKS,
) -> list[list]:
    out = [
        ["Prøve", name],
        ["Dato", taken],
        ["Fag", "Matematik"],
        ["Fagligt område"] + [a if k == 0 or tasks[k - 1][0] != a else None for k, (a, *_) in enumerate(tasks)],
        ["Signalord"] + [s for _, s, _, _ in tasks],
        [key_label] + [t for _, _, t, _ in tasks],
    ]
    if with_max:
        out.append(["Maks"] + [m for *_, m in tasks])
    out += [[key, *values] for key, values in rows.items()]
    return out


def workbook(sheets: list[tuple[str, list[list]]], merge: bool = True) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
        if merge:  # the area cells merged over the tasks they span, as teams keep them in Excel
            area_row = next(i for i, r in enumerate(rows, 1) if r[0] == "Fagligt område")
            start = 2
            for col in range(3, len(rows[area_row - 1]) + 2):
                value = rows[area_row - 1][col - 1] if col - 1 < len(rows[area_row - 1]) else "end"
                if value is not None:
                    if col - 1 > start:
                        ws.merge_cells(start_row=area_row, start_column=start, end_row=area_row, end_column=col - 1)
                    start = col
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list]) -> bytes:
    def cell(v):
        return "" if v is None else str(v).replace(".", ",") if isinstance(v, float) else str(v)

    return "\n".join(";".join(cell(v) for v in row) for row in rows).encode("utf-8")


def run_import(path: Path, tmp_path: Path, name: str, data: bytes, *args: str) -> int:
    file = tmp_path / name
    file.write_bytes(data)
    return cli.main(["--path", str(path), "import", "team-tests", str(file), *args])


def checksums(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return engine.table_checksums(con)
    finally:
        con.close()


def rows_in(path: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_a_workbook_with_merged_area_cells_and_two_tests_imports_every_pupil_and_task(store_copy, tmp_path, capsys):
    keys = pupils(store_copy)
    data = workbook(
        [
            ("September", sheet_rows("Matematik, september", "15.09.2025", points_for(keys))),
            ("Januar", sheet_rows("Matematik, januar", "2026-01-20", points_for(keys, 1))),
        ]
    )
    assert run_import(store_copy, tmp_path, "prøver.xlsx", data) == 0, capsys.readouterr()
    got = rows_in(
        store_copy,
        "SELECT test_name, task_no, area, signal_word, max_points, max_given, count(*),"
        " min(institution_no), min(grade), min(school_year) FROM team_test_result"
        " WHERE batch_id IS NOT NULL GROUP BY ALL ORDER BY 1, 2",
    )
    assert len(got) == 2 * len(TASKS)
    expected = {t: (a, s, m) for a, s, t, m in TASKS}
    for _name, task, area, signal, mx, given, n, school, grade, year in got:
        assert (area, signal, mx) == expected[task], (task, area)  # the merged cell covers every task under it
        assert given and n == len(keys) and (school, grade, year) == (SCHOOL, 5, YEAR)
    assert rows_in(
        store_copy,
        "SELECT sum(points) FROM team_test_result WHERE test_name = 'Matematik, januar' AND batch_id IS NOT NULL",
    )[0][0] == sum(sum(v) for v in points_for(keys, 1).values())


def test_the_csv_variant_imports_and_a_missing_maximum_is_the_best_points_a_pupil_got(store_copy, tmp_path, capsys):
    keys = pupils(store_copy)
    rows = points_for(keys)
    rows[keys[0]][4] = 1.5  # half points, written the Danish way
    data = csv_bytes(sheet_rows("Matematik, november", "12.11.2025", rows, with_max=False))
    assert run_import(store_copy, tmp_path, "prøve.csv", data) == 0, capsys.readouterr()
    got = dict(
        (t, (a, m, g))
        for t, a, m, g in rows_in(
            store_copy,
            "SELECT DISTINCT task_no, area, max_points, max_given FROM team_test_result WHERE batch_id IS NOT NULL",
        )
    )
    for j, (area, _, task, _) in enumerate(TASKS):
        best = max(v[j] for v in rows.values())
        assert got[task] == (area, best, False)
    assert (
        rows_in(
            store_copy,
            "SELECT points FROM team_test_result WHERE task_no = '1.5' AND student_key = ? AND batch_id IS NOT NULL",
            [keys[0]],
        )[0][0]
        == 1.5
    )


def test_a_sheet_keyed_by_uni_login_is_mapped_to_the_pseudonymous_key_and_the_login_is_never_kept(
    store_copy, tmp_path, capsys
):
    keys = pupils(store_copy, n=3)
    logins = "Institutionsnummer;Elevnøgle;UNI-login\n" + "".join(
        f"{SCHOOL};{key};elev{i}x42\n" for i, key in enumerate(keys)
    )
    assert (
        cli.main(
            ["--path", str(store_copy), "import", "uni-logins", str(_file(tmp_path, "logins.csv", logins.encode()))]
        )
        == 0
    )
    rows = {f"Elev{i}X42": v for i, v in enumerate(points_for(keys).values())}
    data = workbook([("Prøve", sheet_rows("Matematik, marts", "03.03.2026", rows))])
    assert run_import(store_copy, tmp_path, "uni.xlsx", data) == 0, capsys.readouterr()
    assert (
        sorted(
            r[0]
            for r in rows_in(store_copy, "SELECT DISTINCT student_key FROM team_test_result WHERE batch_id IS NOT NULL")
        )
        == keys
    )
    con = duckdb.connect(str(store_copy), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        dump = " ".join(
            str(con.execute(f'SELECT * FROM "{t}"').fetchall())
            for t in tables
            if not t.startswith(("wellbeing", "absence", "national_test", "exam"))
        )
        salt = con.execute("SELECT value FROM store_info WHERE key = 'login_salt'").fetchone()[0]
    finally:
        con.close()
    assert "elev0x42" not in dump.lower()  # neither the login nor its unsalted hash...
    assert hashlib.sha256(b"elev0x42").hexdigest() not in dump
    assert hashlib.sha256((salt + "elev0x42").encode()).hexdigest() in dump  # ...only the salted one
    unknown = {"Elev9X99": points_for(keys)[keys[0]]}
    capsys.readouterr()
    assert (
        run_import(
            store_copy,
            tmp_path,
            "ukendt.xlsx",
            workbook([("Prøve", sheet_rows("Matematik, april", "03.04.2026", unknown))]),
        )
        != 0
    )
    out = capsys.readouterr()
    assert "hverken som elevnøgle eller som UNI-login" in out.out + out.err


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _broken(keys: list[str]) -> dict[str, tuple[bytes, str, list[str]]]:
    good = points_for(keys)
    over = {k: list(v) for k, v in good.items()}
    over[keys[1]][1] = 5  # task 1.2 has max 2
    cpr = dict(good)
    cpr["010203-1234"] = good[keys[0]]
    del cpr[keys[0]]
    note = sheet_rows("Matematik", "15.09.2025", good)
    note[1] = ["Dato", "15.09.2025", None, None, None, None, None, None, None, None, None, "Lærer: 0102031234"]
    unknown = dict(good)
    unknown["E-FINDES-IKKE"] = good[keys[0]]
    twice = sheet_rows("Matematik", "15.09.2025", good) + [[keys[0], *good[keys[0]]]]
    no_signal = [r for r in sheet_rows("Matematik", "15.09.2025", good) if r[0] != "Signalord"]
    hole = sheet_rows("Matematik", "15.09.2025", good)
    hole[-1][3] = None
    word = sheet_rows("Matematik", "15.09.2025", good)
    word[-1][2] = "to"
    future = sheet_rows("Matematik", "15.09.2031", good)
    same_task = sheet_rows("Matematik", "15.09.2025", good)
    same_task[5][2] = "1.1"
    xlsx = lambda rows: workbook([("Ark1", rows)])  # noqa: E731
    return {
        "points over the maximum": (
            xlsx(sheet_rows("Matematik", "15.09.2025", over)),
            "xlsx",
            ["flere point end opgavens maksimum", "5 af 2"],
        ),
        "a CPR number as pupil": (
            csv_bytes(sheet_rows("Matematik", "15.09.2025", cpr)),
            "csv",
            ["CPR-nummer", "pseudonym"],
        ),
        "a CPR number in a note beside the table": (xlsx(note), "xlsx", ["celle L2", "CPR-nummer"]),
        "an unknown pupil": (
            xlsx(sheet_rows("Matematik", "15.09.2025", unknown)),
            "xlsx",
            ["findes ikke i elevregistret", "E-FINDES-IKKE"],
        ),
        "a pupil twice": (xlsx(twice), "xlsx", ["står også i linje 8"]),
        "no signal word row": (xlsx(no_signal), "xlsx", ["Signalord"]),
        "an empty points cell": (xlsx(hole), "xlsx", ["skal udfyldes"]),
        "a word as points": (csv_bytes(word), "csv", ["skal være et tal"]),
        "a date in a future school year": (xlsx(future), "xlsx", ["skoleåret ligger efter"]),
        "the same task number twice": (xlsx(same_task), "xlsx", ["samme opgavenummer", "1.1"]),
        "not a test sheet": (
            csv_bytes([["Elevnøgle", "Point"], [keys[0], "3"]]),
            "csv",
            ["ligner ikke teamets prøveark"],
        ),
    }


BROKEN_NAMES = [
    "points over the maximum",
    "a CPR number as pupil",
    "a CPR number in a note beside the table",
    "an unknown pupil",
    "a pupil twice",
    "no signal word row",
    "an empty points cell",
    "a word as points",
    "a date in a future school year",
    "the same task number twice",
    "not a test sheet",
]


@pytest.mark.parametrize("case", BROKEN_NAMES)
def test_a_broken_test_sheet_is_refused_in_danish_and_the_store_is_unchanged(store_copy, tmp_path, capsys, case):
    data, kind, fragments = _broken(pupils(store_copy))[case]
    before = checksums(store_copy)
    assert run_import(store_copy, tmp_path, f"prøve.{kind}", data) != 0
    out = capsys.readouterr()
    text = out.out + out.err
    for fragment in fragments:
        assert fragment in text, (fragment, text)
    assert "Traceback" not in text
    assert "010203-1234" not in text and "0102031234" not in text  # a CPR number is never echoed
    assert checksums(store_copy) == before


def test_a_formula_in_a_points_cell_is_never_evaluated_and_its_empty_value_is_refused(store_copy, tmp_path, capsys):
    keys = pupils(store_copy)
    rows = sheet_rows("Matematik", "15.09.2025", points_for(keys))
    rows[-1][1] = "=1+2"  # openpyxl writes a formula without a saved value; Datablik reads values only
    before = checksums(store_copy)
    assert run_import(store_copy, tmp_path, "formel.xlsx", workbook([("Ark1", rows)])) != 0
    out = capsys.readouterr()
    assert "skal udfyldes" in out.out + out.err
    assert checksums(store_copy) == before


def test_a_corrected_sheet_replaces_only_its_test_and_rolling_it_back_restores_the_old_rows(
    store_copy, tmp_path, capsys
):
    keys = pupils(store_copy)
    first = workbook(
        [
            ("Sep", sheet_rows("Matematik, september", "15.09.2025", points_for(keys))),
            ("Jan", sheet_rows("Matematik, januar", "20.01.2026", points_for(keys, 1))),
        ]
    )
    assert run_import(store_copy, tmp_path, "a.xlsx", first) == 0
    before = rows_in(store_copy, "SELECT * EXCLUDE (batch_id) FROM team_test_result ORDER BY ALL")
    corrected = points_for(keys, 2)
    assert (
        run_import(
            store_copy,
            tmp_path,
            "b.xlsx",
            workbook([("Jan", sheet_rows("Matematik, januar", "20.01.2026", corrected))]),
        )
        == 0
    )
    got = rows_in(
        store_copy,
        "SELECT test_name, sum(points) FROM team_test_result WHERE batch_id IS NOT NULL GROUP BY 1 ORDER BY 1",
    )
    assert got == [
        ("Matematik, januar", sum(sum(v) for v in corrected.values())),
        ("Matematik, september", sum(sum(v) for v in points_for(keys).values())),
    ]
    batch = rows_in(store_copy, "SELECT max(batch_id) FROM import_batch")[0][0]
    capsys.readouterr()
    assert cli.main(["--path", str(store_copy), "rollback", str(batch)]) == 0, capsys.readouterr()
    assert rows_in(store_copy, "SELECT * EXCLUDE (batch_id) FROM team_test_result ORDER BY ALL") == before


def test_a_pupil_register_that_drops_a_pupil_with_only_team_data_is_refused_unless_a_replacement(
    store_copy, tmp_path, capsys
):
    """The team's tests and triangles are data about the pupil like the assessments: a new register may
    not silently leave them behind, and an explicit replacement archives them (a rollback restores them)."""
    con = duckdb.connect(str(store_copy))
    con.execute(
        "INSERT INTO student (school_year, student_key, institution_no, grade, class_name, gender)"
        " VALUES (?, 'P-KUN-TEAM', ?, 5, '5.A', 'pige')",
        [YEAR, SCHOOL],
    )
    with operational_store.for_store(store_copy).transaction() as ocur:  # the triangles' store (migration 24)
        ocur.execute(
            "INSERT INTO triangle_placement VALUES (?, 1, 'P-KUN-TEAM', 'matematik', 1, 3, 'team', ?)",
            [YEAR, "2026-01-05 10:00:00.000000"],
        )
    con.execute(
        "INSERT INTO team_test_result SELECT * REPLACE ('P-KUN-TEAM' AS student_key) FROM team_test_result"
        " WHERE institution_no = ? AND school_year = ? LIMIT 3",
        [SCHOOL, YEAR],
    )
    register = con.execute(
        "SELECT school_year, institution_no, student_key, grade, class_name, gender FROM student"
        " WHERE institution_no = ? AND school_year = ? AND student_key <> 'P-KUN-TEAM'",
        [SCHOOL, YEAR],
    ).fetchall()
    con.close()
    lines = ["Skoleår;Institutionsnummer;Elevnøgle;Klassetrin;Klasse;Køn"] + [";".join(map(str, r)) for r in register]
    file = _file(tmp_path, "elever.csv", "\n".join(lines).encode())
    before = both_stores(store_copy)
    assert cli.main(["--path", str(store_copy), "import", "pupils", str(file)]) != 0
    assert both_stores(store_copy) == before
    capsys.readouterr()
    assert cli.main(["--path", str(store_copy), "import", "pupils", "--erstat", str(file)]) == 0

    def left() -> tuple[int, int]:
        placed = ops_rows(store_copy, "SELECT count(*) FROM triangle_placement WHERE student_key = 'P-KUN-TEAM'")
        tests = rows_in(store_copy, "SELECT count(*) FROM team_test_result WHERE student_key = 'P-KUN-TEAM'")
        return placed[0][0], tests[0][0]

    assert left() == (0, 0)
    batch = rows_in(store_copy, "SELECT max(batch_id) FROM import_batch")[0][0]
    assert cli.main(["--path", str(store_copy), "rollback", str(batch)]) == 0
    assert left() == (1, 3)


def test_a_new_uni_login_list_replaces_the_schools_list_and_rolling_it_back_restores_it(store_copy, tmp_path):
    keys = pupils(store_copy, n=2)
    first = "Institutionsnummer;Elevnøgle;UNI-login\n" + "".join(f"{SCHOOL};{k};gam{i}1\n" for i, k in enumerate(keys))
    second = "Institutionsnummer;Elevnøgle;UNI-login\n" + f"{SCHOOL};{keys[0]};ny01\n"
    hashes = "SELECT student_key, login_sha256 FROM pupil_login ORDER BY ALL"
    assert (
        cli.main(["--path", str(store_copy), "import", "uni-logins", str(_file(tmp_path, "a.csv", first.encode()))])
        == 0
    )
    before = rows_in(store_copy, hashes)
    assert len(before) == 2
    assert (
        cli.main(["--path", str(store_copy), "import", "uni-logins", str(_file(tmp_path, "b.csv", second.encode()))])
        == 0
    )
    assert [r[0] for r in rows_in(store_copy, hashes)] == [keys[0]]
    batch = rows_in(store_copy, "SELECT max(batch_id) FROM import_batch")[0][0]
    assert cli.main(["--path", str(store_copy), "rollback", str(batch)]) == 0
    assert rows_in(store_copy, hashes) == before


def test_a_test_sheet_over_the_size_limit_is_refused_before_it_is_opened(store_copy, tmp_path, capsys):
    before = checksums(store_copy)
    assert run_import(store_copy, tmp_path, "stor.xlsx", b"PK\x03\x04" + b"0" * 5_000_001) != 0
    out = capsys.readouterr()
    assert "fylder over 5 MB" in out.out + out.err and "Traceback" not in out.out + out.err
    assert checksums(store_copy) == before
