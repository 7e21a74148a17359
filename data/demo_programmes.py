"""Synthetic development work for the demo schools: LEAPS courses and survey, efforts, a school project
with success criteria, past talks with agenda and agreements (wording from shared/seeds/)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import numpy as np
import polars as pl

from data.validation import LEAPS_COMPETENCES as COMPETENCES

LEAPS_START = 2022
SUBJECT_GRADES = [
    (r["subject"], int(r["from_grade"]), int(r["to_grade"]))
    for r in pl.read_csv(Path(__file__).resolve().parent / "reference" / "leaps_subjects.csv", separator=";").iter_rows(
        named=True
    )
]
TITLES = [
    "Vores by om 100 år",
    "Vand i verden",
    "Fra jord til bord",
    "Byg en bro",
    "Lokalhistorisk podcast",
    "Affald er en ressource",
    "Vores skolegård",
    "Fremtidens energi",
    "Dyr i nærområdet",
    "Fortællinger fra krigen",
    "Start en virksomhed",
    "Sundhed i klassen",
    "Kunst i byrummet",
    "Madspild",
    "Robotter og mennesker",
    "Demokrati i praksis",
]
COMPANIES = [
    "Demodal Forsyning",
    "Bageriet på Torvet",
    "Fjordens Naturcenter",
    "Demodal Museum",
    "Grøn Energi A/S",
    "Byens Boligselskab",
    "Lokalavisen",
]
NOW = datetime(2026, 8, 15, 12, 0)


def leaps_courses(schools: pl.DataFrame, year_starts: list[int], rng: np.random.Generator) -> pl.DataFrame:
    rows = []
    for s in schools.filter("in_leaps").iter_rows(named=True):
        for y in (y for y in year_starts if y >= LEAPS_START):
            for year_group in range(10):
                # Most teams run the three required courses; a few fall short.
                n_courses = 3 if rng.random() < 0.85 else 2
                company = int(rng.integers(0, n_courses)) if rng.random() < 0.85 else -1
                plan = _subject_plan(year_group, n_courses, rng)
                for k in range(n_courses):
                    start = date(y, 9, 1) if k == 0 else date(y + 1, 1, 8) if k == 1 else date(y + 1, 4, 7)
                    weeks = int(rng.choice([6, 7, 8, 8, 8, 8])) if rng.random() > 0.05 else 5
                    subjects = sorted(plan[k]) or ["dansk"]
                    rows.append(
                        {
                            "course_id": f"{s['institution_no']}-{y}-{year_group}-{k + 1}",
                            "institution_no": s["institution_no"],
                            "school_year": f"{y}/{(y + 1) % 100:02d}",
                            "year_group": year_group,
                            "title": str(rng.choice(TITLES)),
                            "subjects": list(subjects),
                            "weeks": weeks,
                            "start_date": start,
                            "end_date": date.fromordinal(start.toordinal() + weeks * 7 - 3),
                            "mandatory": k < 3,
                            "description_shared": bool(rng.random() < 0.93),
                            "evaluation_done": bool(rng.random() < 0.9),
                            "company_partner": str(rng.choice(COMPANIES)) if k == company else None,
                            "pupil_involvement": str(
                                rng.choice(
                                    [
                                        "Eleverne formulerede det drivende spørgsmål",
                                        "Eleverne var med i evalueringen",
                                        "Ingen særlig elevinvolvering",
                                    ]
                                )
                            ),
                            "competences": list(rng.choice(COMPETENCES, size=int(rng.integers(2, 4)), replace=False)),
                            "updated_by": "demo",
                            "updated_at": NOW,
                        }
                    )
    return pl.DataFrame(rows)


def _subject_plan(grade: int, n_courses: int, rng: np.random.Generator) -> list[list[str]]:
    """The year group spreads its required subjects over its courses; now and then one is missed."""
    required = [s for s, low, high in SUBJECT_GRADES if low <= grade <= high]
    order = list(rng.permutation(required))
    if rng.random() < 0.3:
        order = order[1:]
    return [list(order[i::n_courses]) for i in range(n_courses)]


LEAPS_SURVEY = [
    ("medarbejdere", "opbakning", "Jeg bakker op om arbejdet med LEAPS", 0.72),
    ("medarbejdere", "tilfredshed", "Jeg er samlet set tilfreds med at arbejde med LEAPS", 0.64),
    ("medarbejdere", "virksomhed_besoeg", "Jeg har besøgt eller samarbejdet med en virksomhed", 0.35),
    ("medarbejdere", "laering", "Samarbejdet med virksomheder styrker elevernes læring", 0.70),
    ("elever", "virksomhed_besoeg", "Jeg har besøgt eller samarbejdet med en virksomhed", 0.40),
    ("elever", "positiv", "Det var godt at arbejde sammen med en virksomhed", 0.78),
    ("virksomheder", "udbytte", "Samarbejdet med skolen var værdifuldt for virksomheden", 0.80),
]

PROJECT_SURVEY = [
    ("forældre", "platform", "Jeg er tilfreds med skolens brug af den digitale læringsplatform", 0.52),
    ("forældre", "samtale", "Jeg er tilfreds med skole-hjem-samtalen", 0.61),
    ("elever", "platform", "Jeg kan bruge læringsplatformen til at se, hvad jeg skal lære", 0.58),
    ("elever", "samtale", "Skole-hjem-samtalen handler om min læring", 0.55),
    ("medarbejdere", "platform", "Vi har en fælles standard for brugen af læringsplatformen", 0.40),
    ("medarbejdere", "samtale", "Skole-hjem-samtalen er et godt redskab i mit arbejde", 0.63),
]
GROUP_SIZE = {"medarbejdere": 45, "elever": 180, "virksomheder": 7, "forældre": 140}


def surveys(
    schools: pl.DataFrame, year_starts: list[int], rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame]:
    survey_rows = [
        {
            "survey_id": "leaps_programme",
            "name": "LEAPS-programmets årlige survey",
            "source": "Kata Fonden, LEAPS-survey",
            "institution_no": None,
        }
    ]
    results = []
    for s in schools.filter("in_leaps").iter_rows(named=True):
        drift = rng.normal(0.02, 0.02)  # the programme matures: shares rise a little each year
        for i, y in enumerate(y for y in year_starts if y >= LEAPS_START):
            for group, qid, text, base in LEAPS_SURVEY:
                n = max(3, int(GROUP_SIZE[group] * s["size"] / 500 * rng.uniform(0.7, 1.1)))
                p = float(np.clip(base + i * drift + rng.normal(0, 0.04), 0.05, 0.93))
                results.append(
                    _survey_row(
                        "leaps_programme",
                        s["institution_no"],
                        y,
                        str(y + 1),
                        date(y + 1, 2, 1),
                        group,
                        qid,
                        text,
                        n,
                        rng,
                        p,
                    )
                )
    # The school-home project (seed 000) at the first school and at the general school with the
    # most bilingual pupils.
    general = schools.filter(pl.col("school_type") == "folkeskole")
    projects = pl.concat([general.head(1), general.slice(1).sort("socio").head(1)])
    for s in projects.iter_rows(named=True):
        survey_id = f"skolehjem_{s['institution_no']}"
        survey_rows.append(
            {
                "survey_id": survey_id,
                "name": "Skole-hjem-samarbejdet: før- og eftermåling",
                "source": f"{s['name']}, egen spørgeskemaundersøgelse",
                "institution_no": s["institution_no"],
            }
        )
        for wave, y, when, lift in (
            ("baseline", 2024, date(2024, 9, 20), 0.0),
            ("endline", 2025, date(2026, 5, 29), None),
        ):
            for group, qid, text, base in PROJECT_SURVEY:
                gain = lift if lift is not None else rng.uniform(0.0, 0.2)
                n = max(4, int(GROUP_SIZE[group] * s["size"] / 500 * rng.uniform(0.6, 1.0)))
                results.append(
                    _survey_row(survey_id, s["institution_no"], y, wave, when, group, qid, text, n, rng, base + gain)
                )
    return pl.DataFrame(survey_rows), pl.DataFrame(results)


def _survey_row(survey_id, institution_no, y, wave, when, group, qid, text, n, rng, p) -> dict:
    favourable = rng.binomial(n, float(np.clip(p, 0.01, 0.99)))
    return {
        "survey_id": survey_id,
        "institution_no": institution_no,
        "school_year": f"{y}/{(y + 1) % 100:02d}",
        "wave": wave,
        "measured_on": when,
        "respondent_group": group,
        "question_id": qid,
        "question_text": text,
        "n": n,
        "share_favourable": favourable / n,
        "mean": round(1 + 4 * favourable / n, 2),
    }


def projects(survey_frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    projects, criteria = [], []
    for row in survey_frame.filter(pl.col("institution_no").is_not_null()).iter_rows(named=True):
        pid = f"P-{row['institution_no']}"
        projects.append(
            {
                "project_id": pid,
                "institution_no": row["institution_no"],
                "title": "Styrket skole-hjem-samarbejde",
                "purpose": "At styrke skole-hjem-samarbejdet med fokus på forældrenes inddragelse i "
                "børnenes læring, faglige progression og trivsel.",
                "start_date": date(2024, 8, 1),
                "end_date": date(2026, 6, 30),
                "survey_id": row["survey_id"],
            }
        )
        milestones = [
            (
                "Der er udarbejdet en standard for brugen af den digitale læringsplatform",
                date(2024, 12, 1),
                True,
                "Standarden er vedtaget på pædagogisk rådsmøde",
            ),
            (
                "Der er udarbejdet en ny model for skole-hjem-samtalen",
                date(2025, 3, 1),
                True,
                "Modellen er beskrevet og delt på Aula",
            ),
            ("Der er udarbejdet informationsmateriale i form af en folder og en video", date(2025, 11, 1), False, None),
            (
                "Der er afprøvet mindst 1 skole-hjem-samtale med udgangspunkt i den nye model",
                date(2025, 6, 1),
                True,
                "Afprøvet i 4. og 7. årgang",
            ),
        ]
        for k, (text, due, done, evidence) in enumerate(milestones):
            criteria.append(_criterion(pid, k, "milepæl", text, due, done, evidence, None, None, None))
        measured = [
            ("Tilfredsheden med den digitale læringsplatform er steget hos forældre", "forældre", "platform"),
            ("Tilfredsheden med den digitale læringsplatform er steget hos elever", "elever", "platform"),
            ("Tilfredsheden med den digitale læringsplatform er steget hos medarbejdere", "medarbejdere", "platform"),
            ("Tilfredsheden med skole-hjem-samtalen er øget hos forældre", "forældre", "samtale"),
            ("Tilfredsheden med skole-hjem-samtalen er øget hos elever", "elever", "samtale"),
            ("Tilfredsheden med skole-hjem-samtalen er øget hos medarbejdere", "medarbejdere", "samtale"),
        ]
        for k, (text, group, qid) in enumerate(measured, start=len(milestones)):
            criteria.append(_criterion(pid, k, "måling", text, date(2026, 6, 1), None, None, group, qid, 0.10))
    return pl.DataFrame(projects), pl.DataFrame(criteria)


def _criterion(pid, k, kind, text, due, done, evidence, group, qid, target) -> dict:
    return {
        "criterion_id": f"{pid}-{k + 1}",
        "project_id": pid,
        "kind": kind,
        "text": text,
        "due_date": due,
        "done": done,
        "evidence": evidence,
        "respondent_group": group,
        "question_id": qid,
        "target_change": target,
        "updated_by": "demo",
        "updated_at": NOW,
    }


AGENDA_KINDS = ["velkomst", "opfølgning", "data", "skolens fokus", "pause", "skolens fokus", "test", "evaluering"]
AGENDA = [  # time slots and titles after the SUS minutes in shared/seeds/001
    ("13:00", "13:05", "Velkomst og præsentation", None, None, None),
    (
        "13:05",
        "13:15",
        "Opfølgning på sidste års aftaler",
        None,
        None,
        "Hvordan er det gået med aftalerne fra sidste år?",
    ),
    ("13:15", "13:25", "Indflyvning: Hvor vi kommer fra", "overblik", {}, "Hvad får I øje på i data?"),
    (
        "13:25",
        "14:55",
        "Nutid og fremtid: Deltagelsesmuligheder for alle?",
        "trivsel",
        {"grade_band": "4-6"},
        "Hvor lykkes I med deltagelsesmuligheder for alle?\nHvornår bliver det vanskeligt?",
    ),
    ("14:55", "15:05", "Pause", None, None, None),
    ("15:05", "15:25", "LEAPS: Status", "leaps", {}, "Hvad viser surveyen?"),
    ("15:25", "15:50", "Datablikket: læring og trivsel", "faglighed", {}, "Hvad får I øje på i data?"),
    ("15:50", "16:00", "Kort evaluering med afsæt i samtalens formål", None, None, None),
]
AGREEMENTS = [
    ("Skolen følger op på elevernes fravær med en fast procedure ved 10 % fravær", "Skoleleder"),
    ("Trivselshandleplanen opdateres og drøftes i skolebestyrelsen", "Ledelsen"),
    ("Virksomhedssamarbejdet i LEAPS udvides til alle årgange", "LEAPS-ressourcepersonteamet"),
]


def talks(schools: pl.DataFrame, rng: np.random.Generator) -> dict[str, pl.DataFrame]:
    """Held talks in 2023/24 and 2024/25 for every school, with agreements carried over; the
    2025/26 talk is prepared in the app."""
    out: dict[str, list[dict]] = {k: [] for k in ("talk", "talk_participant", "agenda_item", "agreement")}
    for s in schools.filter(pl.col("school_type") == "folkeskole").iter_rows(named=True):
        previous_ids: list[str] = []
        for y, talk_date in ((2023, date(2024, 3, 14)), (2024, date(2025, 3, 13))):
            tid = f"T-{s['institution_no']}-{y}"
            out["talk"].append(
                {
                    "talk_id": tid,
                    "institution_no": s["institution_no"],
                    "school_year": f"{y}/{(y + 1) % 100:02d}",
                    "talk_date": talk_date,
                    "place": s["name"],
                    "status": "afholdt",
                }
            )
            out.setdefault("note", [])
            out["note"].append(
                {
                    "item_id": f"{tid}-3",
                    "body": "Fraværet er steget i udskolingen; trivslen er stabil. Skolen vil se nærmere på 8. årgang.",
                    "version": 1,
                    "updated_by": "demo",
                    "updated_at": NOW,
                }
            )
            for name, role in (
                ("Skoleleder (demo)", "skoleleder"),
                ("Viceskoleleder (demo)", "ledelse"),
                ("Skolechef (demo)", "forvaltning"),
                ("Udvalgsformand (demo)", "politisk udvalg"),
                ("Forældrerepræsentant (demo)", "skolebestyrelse"),
            ):
                out["talk_participant"].append({"talk_id": tid, "name": name, "role": role})
            for pos, (start, end, title, screen, filters, questions) in enumerate(AGENDA, start=1):
                out["agenda_item"].append(
                    {
                        "item_id": f"{tid}-{pos}",
                        "talk_id": tid,
                        "position": pos,
                        "starts_at": start,
                        "ends_at": end,
                        "title": title,
                        "screen": screen,
                        "filters": json.dumps(filters) if filters is not None else None,
                        "questions": questions,
                        "kind": AGENDA_KINDS[pos - 1],
                    }
                )
            ids = []
            for k, (text, owner) in enumerate(AGREEMENTS):
                aid = f"{tid}-A{k + 1}"
                status = (
                    "gennemført"
                    if y == 2023 and rng.random() < 0.6
                    else ("i gang" if rng.random() < 0.7 else "ikke startet")
                )
                out["agreement"].append(
                    {
                        "agreement_id": aid,
                        "talk_id": tid,
                        "text": text,
                        "owner": owner,
                        "deadline": date(y + 1, 12, 31),
                        "status": status,
                        "carried_from": previous_ids[k] if previous_ids else None,
                        "updated_by": "demo",
                        "updated_at": NOW,
                    }
                )
                ids.append(aid)
            previous_ids = ids
    return {k: pl.DataFrame(v) for k, v in out.items()}


def participation_targets(schools: pl.DataFrame) -> pl.DataFrame:
    """Targets the demo leaderships have set for their participation indicators."""
    targets = {
        "absence_over10": 20.0,
        "low_social": 10.0,
        "stoette": 3.2,
        "general_class": 95.0,
        "reduced_timetable": 1.0,
    }
    rows = [
        {
            "institution_no": s["institution_no"],
            "indicator": k,
            "target": v,
            "set_by": "Skoleleder (demo)",
            "set_at": datetime(2025, 9, 15, 14, 0),
        }
        for s in schools.filter(pl.col("school_type") == "folkeskole").iter_rows(named=True)
        for k, v in targets.items()
    ]
    return pl.DataFrame(rows)


def efforts(schools: pl.DataFrame, year_starts: list[int]) -> pl.DataFrame:
    """A few efforts per folkeskole, as a leadership would register them: a new talk model for the
    pupils' well-being, the LEAPS start (schools in LEAPS), and a one-year reading effort. Start dates
    differ between schools and all fall within the store's school years, so the trend charts of the
    indicators they aim at show them (queries/efforts.INDICATORS)."""
    rows = []
    first, last = year_starts[0], year_starts[-1]
    for k, s in enumerate(schools.filter(pl.col("school_type") == "folkeskole").iter_rows(named=True)):
        school = s["institution_no"]
        talk_year = min(first + 1 + k % 2, last)
        reading_year = min(first + 2 + k % 3 // 2, last)
        plan = [
            (
                "Samtalemodel for trivsel",
                date(talk_year, 8, 15 + k % 10),
                None,
                ["wellbeing_generel", "wellbeing_social", "absence_over10_share"],
                "Faste trivselssamtaler med alle elever to gange om året; klasselærer og AKT-vejleder "
                "følger op på elever med lav trivsel.",
            ),
            (
                "Læseindsats i indskolingen og på mellemtrinnet",
                date(reading_year, 9, 1 + k % 14),
                date(reading_year + 1, 6, 20),
                ["test_good_share_dansk_laesning", "wellbeing_faglig"],
                "Læsebånd hver morgen og læsevejlederens forløb for elever, der læser under alderssvarende niveau.",
            ),
        ]
        if s["in_leaps"] and first <= LEAPS_START <= last:
            plan.append(
                (
                    "LEAPS-start",
                    date(LEAPS_START, 8, 22),
                    None,
                    ["wellbeing_faglig", "wellbeing_stoette", "test_good_share_matematik"],
                    "Skolen begynder i LEAPS: tre projektforløb om året på hver årgang, med virksomheder "
                    "fra lokalområdet.",
                )
            )
        for n, (name, starts, ends, aims, description) in enumerate(plan):
            rows.append(
                {
                    "effort_id": f"{school}-indsats-demo-{n + 1}",
                    "institution_no": school,
                    "name": name,
                    "starts_on": starts,
                    "ends_on": ends,
                    "indicators": aims,
                    "description": description,
                    "updated_by": "Skoleleder (demo)",
                    "updated_at": datetime(starts.year, starts.month, 1, 9),
                }
            )
    return pl.DataFrame(rows, schema_overrides={"ends_on": pl.Date, "indicators": pl.List(pl.String)})
