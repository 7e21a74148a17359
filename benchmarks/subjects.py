"""Who the benchmark plays: a typical school (median size), a typical municipality (median number of
schools), the largest municipality, and the country (admin). Users for them go in a users file of
the benchmark's own, beside the store's demo users."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

PASSWORD = "benchmark-only-password"


@dataclass(frozen=True)
class Subjects:
    school: str
    school_name: str
    school_pupils: int
    municipality: str
    municipality_name: str
    municipality_schools: int
    largest_municipality: str
    largest_schools: int


def store_and_folder(store: str | None, prefix: str) -> tuple[Path, Path]:
    """(the store to measure, a scratch folder): the given store, or a fresh demo store in the folder."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if store:
        return Path(store).resolve(), folder
    from data import demo

    demo.build(folder / "demo.duckdb")
    return folder / "demo.duckdb", folder


def pick(store: Path) -> Subjects:
    con = duckdb.connect(str(store), read_only=True)
    try:
        newest = con.execute("SELECT max(school_year) FROM student").fetchall()[0][0]
        schools = con.execute(
            """
            SELECT s.institution_no, s.name, count(*) AS pupils FROM student st JOIN school s USING (institution_no)
            WHERE st.school_year = ? AND s.school_type = 'folkeskole' GROUP BY ALL ORDER BY pupils, 1""",
            [newest],
        ).fetchall()
        municipalities = con.execute("""
            SELECT m.code, m.name, count(*) AS schools
            FROM school s JOIN municipality m ON m.code = s.municipality_code
            WHERE s.institution_no IN (SELECT institution_no FROM student)
            GROUP BY ALL ORDER BY schools, 1""").fetchall()
    finally:
        con.close()
    school = schools[len(schools) // 2]
    municipality = municipalities[len(municipalities) // 2]
    largest = municipalities[-1]
    return Subjects(
        school[0], school[1], school[2], municipality[0], municipality[1], municipality[2], largest[0], largest[2]
    )


def write_users(store: Path, folder: Path, subjects: Subjects) -> Path:
    from data import users

    path = users.write_demo_users(store, folder / "users.yaml")
    users.add_user(path, "bench-leder", "Benchmark, skole", "ledelse", PASSWORD, school=subjects.school)
    users.add_user(path, "bench-kommune", "Benchmark, kommune", "kommune", PASSWORD, municipality=subjects.municipality)
    users.add_user(
        path,
        "bench-storkommune",
        "Benchmark, største kommune",
        "kommune",
        PASSWORD,
        municipality=subjects.largest_municipality,
    )
    users.add_user(path, "bench-admin", "Benchmark, land", "admin", PASSWORD)
    return path


# (label, username, role) of each level the benchmark measures.
LEVELS = [
    ("skole", "bench-leder", "ledelse"),
    ("kommune", "bench-kommune", "kommune"),
    ("største kommune", "bench-storkommune", "kommune"),
    ("land (admin)", "bench-admin", "admin"),
]
