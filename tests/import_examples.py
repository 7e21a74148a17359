"""The example import files in tests/fixtures/import/: per source a CSV in UTF-8 with BOM and
commas, a CSV in Windows-1252 with semicolons and decimal commas, and an Excel workbook with a title
row and a notes row, plus broken files. They are templates for a municipality's own exports too.

They describe one small school year at the demo school 900002 (Fjordskolen), 2025/26, so they
import into the demo store. Regenerate with: python -m tests.import_examples
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from data.importers.fields import fields

FOLDER = Path(__file__).resolve().parent / "fixtures" / "import"
SCHOOL, YEAR = "900002", 2025
PUPILS = [(f"P-{i:04d}", 4 if i <= 5 else 9, "pige" if i % 2 else "dreng") for i in range(1, 11)]


def _questions() -> list[str]:
    with open(
        Path(__file__).resolve().parent.parent / "data" / "reference" / "wellbeing_questions.csv", encoding="utf-8"
    ) as f:
        return [r["question_id"] for r in csv.DictReader(f, delimiter=";") if r["grade_band"] == "4-9"]


def rows(source: str) -> list[dict]:
    """The example rows of a source, by store field, as Python values."""
    year = f"{YEAR}/{YEAR + 1}"
    if source == "pupils":
        return [
            {
                "school_year": year,
                "institution_no": SCHOOL,
                "student_key": key,
                "grade": grade,
                "class_name": f"{grade}.A",
                "gender": gender,
                "bilingual": i % 4 == 0,
                "special_class": False,
                "reception_class": False,
                "reduced_timetable": i == 3,
                "months_enrolled": 11 if i != 7 else 6,
            }
            for i, (key, grade, gender) in enumerate(PUPILS, start=1)
        ]
    if source == "wellbeing":
        questions = _questions()
        return [
            {
                "school_year": year,
                "institution_no": SCHOOL,
                "student_key": key,
                **{q: 1 + (i + j) % 5 if (i + j) % 11 else None for j, q in enumerate(questions)},
            }
            for i, (key, _, _) in enumerate(PUPILS)
        ]
    if source == "absence":
        return [
            {
                "school_year": year,
                "institution_no": SCHOOL,
                "student_key": key,
                "month": date(YEAR, m, 1),
                "school_days": 21,
                "illness_days": (i % 3) * 1.5,
                "authorised_days": float(i % 2),
                "unauthorised_days": 0.5 if i == 4 else 0.0,
            }
            for i, (key, _, _) in enumerate(PUPILS)
            for m in (9, 10)
        ]
    if source == "tests":
        return [
            {
                "school_year": year,
                "institution_no": SCHOOL,
                "student_key": key,
                "subject": subject,
                "grade": grade,
                "profile_area": None,
                "points": 20 + 3 * i,
                "max_points": 50,
                "taken_on": date(YEAR, 9, 15 + i),
            }
            for i, (key, grade, _) in enumerate(PUPILS)
            if grade == 4
            for subject in ("Dansk, læsning", "Matematik")
        ]
    if source == "exams":
        return [
            {"school_year": year, "institution_no": SCHOOL, "student_key": key, "subject": subject, "grade": mark}
            for i, (key, grade, _) in enumerate(PUPILS)
            if grade == 9
            for subject, mark in (
                ("Dansk, læsning", [7, 10, 4, 12, 2][i % 5]),
                ("Matematik uden hjælpemidler", [4, 7, 10, 0, 12][i % 5]),
                ("Engelsk, skriftlig", [10, 7, 7, 4, -3][i % 5]),
            )
        ]
    if source == "surveys":
        return [
            {
                "survey_id": "trivsel_personale",
                "survey_name": "Personaletrivsel",
                "survey_source": "Skolens egen",
                "institution_no": SCHOOL,
                "school_year": year,
                "wave": "baseline",
                "measured_on": date(YEAR, 10, 1),
                "respondent_group": group,
                "question_id": qid,
                "question_text": text,
                "n": n,
                "share_favourable": share,
                "mean": mean,
            }
            for group, n in (("medarbejdere", 41), ("forældre", 118))
            for qid, text, share, mean in (
                ("q1", "Jeg er glad for samarbejdet", 72.5, 3.9),
                ("q2", "Jeg får den information, jeg har brug for", 61.0, 3.5),
            )
        ]
    if source == "leaps":
        return [
            {
                "course_id": f"{SCHOOL}-eks-{g}",
                "institution_no": SCHOOL,
                "school_year": year,
                "year_group": g,
                "title": title,
                "subjects": "dansk, matematik",
                "weeks": 8,
                "start_date": date(YEAR, 9, 1),
                "end_date": date(YEAR, 10, 27),
                "mandatory": True,
                "description_shared": True,
                "evaluation_done": g == 4,
                "company_partner": "Havnens Bådebyggeri" if g == 9 else None,
                "pupil_involvement": "Eleverne valgte problemet",
                "competences": "samarbejde, effektiv kommunikation",
            }
            for g, title in ((4, "Vores havn"), (9, "Fremtidens både"))
        ]
    if source == "school-figures":
        return [
            {
                "institution_no": f"9000{n:02d}",
                "institution_name": name,
                "department_no": f"9000{n:02d}",
                "department_name": name,
                "municipality": "Demodal",
                "school_year": f"{y}/{y + 1}",
                "pupils": 300 + 10 * n + y - 2023,
                "pupils@kommune": 4100,
                "pupils@land": 514000,
                "class_size": 21.5,
                "class_size@kommune": 20.9,
                "class_size@land": 21.3,
                "absence_total_pct": 7.1 + n / 10,
                "absence_total_pct@kommune": 7.4,
                "absence_total_pct@land": 7.5,
                "exam_bound_average": None if n == 3 else 7.0 + n / 10,
                "exam_bound_average@kommune": 7.2,
                "exam_bound_average@land": 7.3,
                "wellbeing_high_share": 86.0 + n,
                "wellbeing_high_share@kommune": 87.0,
                "wellbeing_high_share@land": 87.1,
            }
            for y in (2023, 2024)
            for n, name in ((1, "Bakkeskolen"), (2, "Fjordskolen"), (3, "Skovvangskolen"))
        ]
    if source == "institutions":
        base = {f.name: None for f in fields("institutions")}
        return [
            base
            | {
                "main_institution": no,
                "institution_no": no,
                "name": name,
                "unit_kind": "Institution",
                "street": street,
                "postcode": postcode,
                "post_district": district,
                "municipality": municipality,
                "region": "Region Hovedstaden",
                "phone": "33171717",
                "email": "skole@example.dk",
                "type_no": type_no,
                "type_name": type_name,
                "p_number": "1025634817",
                "cvr": "29189846",
                "active_no": "1",
                "active_name": "Aktiv",
                "updated_on": date(2026, 11, 1),
                "created_month": "01-2008",
            }
            for no, name, street, postcode, district, municipality, type_no, type_name in (
                ("900001", "Bakkeskolen", "Bakkeskolevej 1", "9999", "Demodal", "999", "1012", "Folkeskoler"),
                (
                    "101001",
                    "Havneskolen",
                    "Havnegade 3",
                    "1058",
                    "København K",
                    "Københavns Kommune",
                    "1012",
                    "Folkeskoler",
                ),
                (
                    "101900",
                    "Havnens Gymnasium",
                    "Havnegade 9",
                    "1058",
                    "København K",
                    "Københavns Kommune",
                    "1121",
                    "Almene gymnasier",
                ),
            )
        ]
    raise ValueError(source)


def headers(source: str, variant: int) -> dict[str, str]:
    """Field -> header; variant 0 uses the first known spelling, variant 1 the second (where there is one)."""
    layout = {"school-figures": "school_figures"}.get(source, source)
    result = {f.name: f.headers[min(variant, len(f.headers) - 1)] for f in fields(layout) if not f.name.startswith("*")}
    if source == "wellbeing":
        result |= {q: (q if variant == 0 else f"{q} spørgsmål") for q in _questions()}
    return result


def _text(value, danish: bool, missing: str = "") -> str:
    if value is None:
        return missing
    if isinstance(value, bool):
        return ("ja" if value else "nej") if danish else ("1" if value else "0")
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if danish else text
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y") if danish else value.isoformat()
    if isinstance(value, str) and "/" in value and value[:4].isdigit() and danish:
        return value[:5] + value[-2:]  # 2025/2026 -> 2025/26
    return str(value)


def table(source: str, variant: int, danish: bool) -> tuple[list[str], list[list[str]]]:
    names = headers(source, variant)
    data = rows(source)
    used = [f for f in names if any(f in r for r in data)]
    missing = ".." if danish and source == "school-figures" else ""
    return [names[f] for f in used], [[_text(r.get(f), danish, missing) for f in used] for r in data]


def csv_bytes(head: list[str], body: list[list[str]], delimiter: str, encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(head)
    writer.writerows(body)
    return out.getvalue().encode(encoding)


def xlsx_bytes(head: list[str], body: list[list], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append([title])
    sheet.append(head)
    for row in body:
        sheet.append(row)
    sheet.append([])
    sheet.append(["Note: tomme celler er ikke besvaret / ikke oplyst."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def variants(source: str) -> dict[str, bytes]:
    """File name -> bytes of each supported variant of a source."""
    head0, body0 = table(source, 0, danish=False)
    head1, body1 = table(source, 1, danish=True)
    xlsx_head, _ = table(source, 0, danish=True)
    names = list(headers(source, 0))
    data = rows(source)
    used = [f for f in names if any(f in r for r in data)]
    typed = [[r.get(f) for f in used] for r in data]
    return {
        f"{source}-utf8-bom-komma.csv": b"\xef\xbb\xbf" + csv_bytes(head0, body0, ",", "utf-8"),
        f"{source}-cp1252-semikolon.csv": csv_bytes(head1, body1, ";", "cp1252"),
        f"{source}.xlsx": xlsx_bytes(xlsx_head, typed, f"Datablik eksempel: {source}"),
    }


SOURCES = ["institutions", "pupils", "wellbeing", "absence", "tests", "exams", "surveys", "leaps", "school-figures"]


def broken() -> dict[str, bytes]:
    """Broken pupil files, one fault each."""
    head, body = table("pupils", 1, danish=True)
    good = csv_bytes(head, body, ";", "cp1252")

    def edit(row: int, column: str, value: str) -> bytes:
        changed = [list(r) for r in body]
        changed[row][head.index(column)] = value
        return csv_bytes(head, changed, ";", "cp1252")

    return {
        "forkert-tegnsaet-utf16.csv": good.decode("cp1252").encode("utf-16"),
        "mangler-kolonne.csv": csv_bytes(head[:4] + head[5:], [r[:4] + r[5:] for r in body], ";", "cp1252"),
        "ekstra-kolonne.csv": csv_bytes(head + ["Yndlingsfarve"], [r + ["blå"] for r in body], ";", "cp1252"),
        "tom.csv": b"",
        "kun-overskrift.csv": csv_bytes(head, [], ";", "cp1252"),
        "uden-for-skala.csv": edit(2, head[3], "14"),
        "dobbelt-raekke.csv": csv_bytes(head, body + [body[4]], ";", "cp1252"),
        "ukendt-skole.csv": edit(3, head[1], "999999"),
        "cpr-nummer.csv": edit(5, head[2], "010203-1234"),
    }


# Made by the tests when they need it, never committed: no file in git holds a CPR-shaped value.
GENERATED_ONLY = {"cpr-nummer.csv"}


def write_all(folder: Path = FOLDER) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for source in SOURCES:
        for name, data in variants(source).items():
            (folder / name).write_bytes(data)
    (folder / "real").mkdir(exist_ok=True)
    for name, data in real_layouts().items():
        (folder / "real" / name).write_bytes(data)
    (folder / "fejl").mkdir(exist_ok=True)
    for name, data in broken().items():
        if name not in GENERATED_ONLY:
            (folder / "fejl" / name).write_bytes(data)


REGISTER_HEADER = (
    "Hovedinstitution;Institutionsnummer;Institutionsnavn;Enhedsart;Adresse;Postnummer;Postdistrikt;"
    "Vejkode;Beliggenhedskommune;Beliggenhedsregion;Geokode: Breddegrad;Geokode: Længdegrad;"
    "Institutionsleder;Telefonnummer;E-mail adresse;Webadresse;Institutionstype, nr;"
    "Institutionstype, navn;Undervisningsniveau;Ressortministerium;CVR-nummer;P-nummer;Ejerkode, nr;"
    "Ejerkode, navn;Administrativ kommune;Aktivkode, nr;Aktivkode, navn;Ajourdato;Oprettelsesmåned;"
    "Nedlæggelsesdato"
)


def national_schools(count: int = 1100) -> list[tuple[str, str, str]]:
    """(institution number, name, municipality name) for a country's worth of fictional schools,
    spread over the 98 municipalities (the first ones get more, as the big cities do)."""
    with open(
        Path(__file__).resolve().parent.parent / "data" / "reference" / "municipalities.csv", encoding="utf-8"
    ) as f:
        municipalities = [(r["kommunekode"], r["kommune"]) for r in csv.DictReader(f, delimiter=";")]
    schools = []
    for i in range(count):
        code, name = municipalities[(i * 37) % len(municipalities)] if i % 3 else municipalities[i % 10]
        schools.append(
            (f"{code}{i % 1000:03d}" if i < 1000 else f"{int(code) + 1:03d}{i % 1000:03d}", f"Skole {i + 1:04d}", name)
        )
    return schools


def national_register(count: int = 1100) -> bytes:
    """The institution register export in its real layout, with other institution types and a closed school."""
    lines = [REGISTER_HEADER]
    for i, (no, name, municipality) in enumerate(national_schools(count)):
        kind, kind_name = ("1012", "Folkeskoler") if i % 25 else ("1121", "Almene gymnasier")
        closed = "31/07/2020" if i % 97 == 5 else ""
        genitive = municipality if municipality.endswith("s") else municipality + "s"
        lines.append(
            ";".join(
                [
                    no,
                    no,
                    name,
                    "Institution",
                    f"Skolevej {i + 1}",
                    f"{1000 + i % 8000}",
                    "Byen",
                    "1234",
                    f"{genitive} Kommune" if i % 2 else f"{municipality} Kommune",
                    "Region Midtjylland",
                    "56,15",
                    "10,21",
                    "Leder Lederesen",
                    "12345678",
                    "skole@example.dk",
                    "www.example.dk",
                    kind,
                    kind_name,
                    "Grundskole",
                    "Børne- og Undervisningsministeriet",
                    "12345678",
                    f"10{i:08d}",
                    "50",
                    "Kommunal",
                    "751",
                    "1",
                    "Aktiv",
                    "01/11/2026",
                    "01-2000",
                    closed,
                ]
            )
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def national_school_figures(count: int = 1100, years: tuple[int, ...] = (2023, 2024)) -> bytes:
    """The "Skoletal" overview as exported: a title row, Danish numbers, '..' for suppressed cells,
    a notes row under the table; semicolon-separated Windows-1252."""
    head = [
        "Institutionsnummer",
        "Institution",
        "Afdelingsnummer",
        "Afdeling",
        "Beliggenhedskommune",
        "Skoleår",
        "Elevtal",
        "Elevtal - Kommune",
        "Elevtal - Land",
        "Samlet elevfravær",
        "Samlet elevfravær - Kommune",
        "Samlet elevfravær - Land",
        "Karaktergennemsnit",
        "Karaktergennemsnit - Kommune",
        "Karaktergennemsnit - Land",
        "Andel med højest trivsel",
        "Andel med højest trivsel - Kommune",
        "Andel med højest trivsel - Land",
    ]
    lines = ["Skoletal - folkeskoler;;;;;", ";".join(head)]
    for y in years:
        for i, (no, name, municipality) in enumerate(national_schools(count)):
            if not i % 25 or i % 97 == 5:  # not a folkeskole, or closed
                continue
            pupils = 90 + (i * 37) % 1300
            absence = f"{6 + (i % 30) / 10:.1f}".replace(".", ",")
            exam = ".." if i % 13 == 0 else f"{6.2 + (i % 21) / 10:.1f}".replace(".", ",")
            lines.append(
                ";".join(
                    [
                        no,
                        name,
                        no,
                        name,
                        municipality,
                        f"{y}/{y + 1}",
                        f"{pupils:,}".replace(",", "."),
                        "12.345",
                        "514.000",
                        f"{absence} %",
                        "7,4 %",
                        "7,5 %",
                        exam,
                        "7,2",
                        "7,3",
                        f"{84 + i % 6},0 %",
                        "87,0 %",
                        "87,1 %",
                    ]
                )
            )
    lines.append("Kilde: Uddannelsesstatistik.dk. Celler med færre end 5 elever er blanke.;;;;;")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


# Files in the layouts the ministry's portals really export (shared/DATA-SOURCES.md, section 5), for
# three fictional schools in Aarhus: a title row, notes under the table, Danish numbers, and the
# suppression marks ('..', '-', '*', '<5', empty) in any column, the text columns included.
REAL_SCHOOLS = [
    ("751901", "Åbyskolen Eksempel"),
    ("751902", "Skovvangskolen Eksempel"),
    ("751903", "Tilst Skole Eksempel"),
]


def real_layouts() -> dict[str, bytes]:
    register = [REGISTER_HEADER]
    for i, (no, name) in enumerate(REAL_SCHOOLS):
        register.append(
            ";".join(
                [
                    no,
                    no,
                    name,
                    "Institution",
                    f"Skolevej {i + 1}",
                    "8210",
                    "Aarhus V",
                    "..",
                    "Aarhus Kommune",
                    "Region Midtjylland",
                    "56,15",
                    "10,21",
                    "..",
                    "87 13 00 00",
                    "skole@example.dk",
                    "..",
                    "1012",
                    "Folkeskoler",
                    "Grundskole",
                    "Børne- og Undervisningsministeriet",
                    "55133018",
                    f"10256348{i:02d}",
                    "..",
                    "Kommunal",
                    "..",
                    "1",
                    "Aktiv",
                    "01/11/2026",
                    "..",
                    "",
                ]
            )
        )
    register.append(
        ";".join(
            [
                f"751{9 * 100 + 50}",
                "751950",
                "Aarhus Gymnasium Eksempel",
                "Institution",
                "Gymnasievej 1",
                "8000",
                "Aarhus C",
                "",
                "Aarhus Kommune",
                "Region Midtjylland",
                "",
                "",
                "",
                "",
                "",
                "",
                "1121",
                "Almene gymnasier",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "1",
                "Aktiv",
                "01/11/2026",
                "",
                "",
            ]
        )
    )
    head = [
        "Institutionsnummer",
        "Institution",
        "Afdelingsnummer",
        "Afdeling",
        "Beliggenhedskommune",
        "Skoleår",
        "Elevtal",
        "Elevtal - Kommune",
        "Elevtal - Land",
        "Klassekvotient",
        "Klassekvotient - Kommune",
        "Klassekvotient - Land",
        "Samlet elevfravær",
        "Samlet elevfravær - Kommune",
        "Samlet elevfravær - Land",
        "Karaktergennemsnit",
        "Karaktergennemsnit - Kommune",
        "Karaktergennemsnit - Land",
        "Socioøkonomisk reference",
        "Forskel",
        "Signifikant forskel",
        "Andel med højest trivsel",
        "Andel med højest trivsel - Kommune",
        "Andel med højest trivsel - Land",
        "Kompetencedækning",
        "Kompetencedækning - Kommune",
        "Kompetencedækning - Land",
        "Overgang til ungdomsuddannelse",
        "Overgang til ungdomsuddannelse - Kommune",
        "Overgang til ungdomsuddannelse - Land",
    ]
    rows = {
        "751901": [
            "1.204",
            "24.512",
            "514.000",
            "22,1",
            "21,4",
            "21,3",
            "6,9 %",
            "7,6 %",
            "7,5 %",
            "7,4",
            "7,3",
            "7,3",
            "7,0",
            "0,4",
            "Over niveau",
            "88,5 %",
            "87,0 %",
            "87,1 %",
            "89,0 %",
            "88,2 %",
            "88,5 %",
            "91,0 %",
            "90,1 %",
            "89,6 %",
        ],
        "751902": [
            "412",
            "24.512",
            "514.000",
            "19,5",
            "21,4",
            "21,3",
            "8,4 %",
            "7,6 %",
            "7,5 %",
            "..",
            "7,3",
            "7,3",
            "..",
            "..",
            "..",
            "*",
            "87,0 %",
            "87,1 %",
            "-",
            "88,2 %",
            "88,5 %",
            "<5",
            "90,1 %",
            "89,6 %",
        ],
        "751903": [
            "2.351",
            "24.512",
            "514.000",
            "23,0",
            "21,4",
            "21,3",
            "7,3 %",
            "7,6 %",
            "7,5 %",
            "6,8",
            "7,3",
            "7,3",
            "7,1",
            "-0,3",
            "..",
            "86,0 %",
            "87,0 %",
            "87,1 %",
            "",
            "88,2 %",
            "88,5 %",
            "..",
            "90,1 %",
            "89,6 %",
        ],
    }
    skoletal = ["Skoletal - folkeskoler, Aarhus Kommune, 2024/2025" + ";" * (len(head) - 1), ";".join(head)]
    for no, name in REAL_SCHOOLS:
        department = ".." if no == "751902" else name
        skoletal.append(
            ";".join([no, name, no, department, "Aarhus" if no != "751903" else "..", "2024/2025", *rows[no]])
        )
    skoletal += [
        "Kilde: Uddannelsesstatistik.dk, hentet 24. november 2026." + ";" * (len(head) - 1),
        "Celler med færre end 5 elever er skjult (..), * = diskretioneret, - = ikke oplyst." + ";" * (len(head) - 1),
    ]
    wb_head = [
        "Institutionsnummer",
        "Institution",
        "Afdelingsnummer",
        "Afdeling",
        "Beliggenhedskommune",
        "Skoleår",
        "Trivselsindikator",
        "Klassetrin",
        "Køn",
        "Indikatorsvar",
        "Indikatorsvar - Kommune",
        "Indikatorsvar - Land",
        "Antal svar",
    ]
    wellbeing = ["Trivselsmålingen 2024/2025 - indikatorer pr. skole", ";".join(wb_head)]
    for i, (no, name) in enumerate(REAL_SCHOOLS):
        for j, indicator in enumerate(
            ("Generel trivsel", "Social trivsel", "Faglig trivsel", "Støtte og inspiration", "Ro og orden")
        ):
            value = ".." if (no, j) == ("751902", 4) else f"{3.6 + (i + j) % 4 / 10:.1f}".replace(".", ",")
            wellbeing.append(
                ";".join(
                    [
                        no,
                        name,
                        no,
                        ".." if i == 1 else name,
                        "Aarhus",
                        "2024/2025",
                        indicator,
                        "I alt",
                        ".." if j == 2 else "I alt",
                        value,
                        "3,9",
                        "3,9",
                        "<5" if value == ".." else f"{300 + 10 * i}",
                    ]
                )
            )
        wellbeing.append(
            ";".join(
                [
                    no,
                    name,
                    no,
                    name,
                    "Aarhus",
                    "2024/2025",
                    "Social trivsel",
                    "4. klasse",
                    "Piger",
                    "*",
                    "4,0",
                    "4,0",
                    "<5",
                ]
            )
        )
    wellbeing.append("Kilde: Styrelsen for It og Læring, trivselsmålingen. .. = færre end 5 besvarelser.")
    return {
        "institutionsregister.csv": ("\ufeff" + "\r\n".join(register) + "\r\n").encode("utf-8"),
        "skoletal.csv": ("\r\n".join(skoletal) + "\r\n").encode("cp1252"),
        "trivselsindikatorer.csv": ("\r\n".join(wellbeing) + "\r\n").encode("cp1252"),
    }


if __name__ == "__main__":
    write_all()
    print(f"Eksempelfiler skrevet i {FOLDER}")
