"""The team's own data in the demo municipality (seed 003): the mathematics tests task by task (three
a year in grades 3-9, the newest two school years), learning-triangle placements and the schools' own
events of the year. Drawn from the pupils' latent ability with a generator of its own, so the
calibrated sources drawn before and after are unchanged."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import polars as pl

# Ullerup Bæk Skole's extract: two subject areas, the signal words above the task numbers.
TASKS = [
    ("1.1", "Matematik i anvendelse", "Vis", 3),
    ("1.2", "Matematik i anvendelse", "Hvor mange", 2),
    ("1.3", "Matematik i anvendelse", "Skriv", 2),
    ("1.4", "Matematik i anvendelse", "Hvor mange", 3),
    ("1.5", "Matematik i anvendelse", "Undersøg", 2),
    ("2.1", "Funktioner", "Hvilket", 2),
    ("2.2", "Funktioner", "Hvor stor", 3),
    ("2.3", "Funktioner", "Beskriv", 2),
    ("2.4", "Funktioner", "Undersøg", 2),
    ("3.1", "Geometri og måling", "Tegn", 2),
    ("3.2", "Geometri og måling", "Hvor stor", 3),
    ("3.3", "Geometri og måling", "Undersøg", 3),
]
# "Undersøg" is hard for every pupil and "Funktioner" harder than "Matematik i anvendelse" (seed 003).
EASE = {
    "Vis": 0.9,
    "Hvor mange": 0.6,
    "Skriv": 0.3,
    "Undersøg": -1.0,
    "Hvilket": 0.4,
    "Hvor stor": 0.1,
    "Beskriv": -0.3,
    "Tegn": 0.5,
}
AREA_EASE = {"Matematik i anvendelse": 0.4, "Funktioner": -0.5, "Geometri og måling": 0.0}
TESTS = [("Matematik, september", 9, 15), ("Matematik, januar", 1, 20), ("Matematik, maj", 5, 12)]
GRADES = range(3, 10)


def team_tests(students: pl.DataFrame, years: list[str], seed: int) -> pl.DataFrame:
    rng = np.random.default_rng([seed, 3])
    s = students.filter(pl.col("school_year").is_in(years) & pl.col("grade").is_in(list(GRADES))).sort(
        "school_year", "institution_no", "student_key"
    )
    if s.is_empty():
        return pl.DataFrame()
    ability = s["ability"].to_numpy()
    frames = []
    for k, (name, month, day) in enumerate(TESTS):
        taken = pl.select(pl.date(s["year_start"] + int(month < 8), month, day)).to_series()
        present = rng.random(len(s)) > 0.05  # a few pupils miss each test
        growth = 0.25 * k
        for order, (task, area, signal, mx) in enumerate(TASKS, start=1):
            logit = 1.3 * ability + EASE[signal] + AREA_EASE[area] + growth + rng.normal(0, 0.5, len(s))
            points = rng.binomial(mx, 1 / (1 + np.exp(-logit)))
            frames.append(
                pl.DataFrame(
                    {
                        "school_year": s["school_year"],
                        "institution_no": s["institution_no"],
                        "grade": s["grade"],
                        "test_name": name,
                        "taken_on": taken,
                        "subject": "Matematik",
                        "task_no": task,
                        "task_order": order,
                        "area": area,
                        "signal_word": signal,
                        "max_points": float(mx),
                        "max_given": True,
                        "student_key": s["student_key"],
                        "points": points.astype(float),
                    }
                ).filter(pl.Series(present))
            )
    return pl.concat(frames).sort("school_year", "institution_no", "taken_on", maintain_order=True)


TRIANGLE_GRADES = range(3, 7)
ROUND_DATES = {1: (10, 25), 2: (1, 25), 3: (5, 25)}
AREA_EFFECT = [0.0, -0.3, -0.4, 0.2, 0.3, 0.4]  # problem solving, modelling and reasoning are harder
PROGRESS = [
    "Bruger tegninger til at forklare sin løsning.",
    "Løser flere trin i træk uden hjælp.",
    "Forklarer sin tankegang højt for makkeren.",
    "Vælger selv et passende hjælpemiddel.",
    "Er blevet sikrere i brøker og decimaltal.",
]
FOCUS = [
    "Undersøgende opgaver: eleven skriver sine forslag ned; hjemme: tal om matematik i hverdagen.",
    "Ræsonnement: begrunde et svar med et eksempel; skolen giver faste makkeropgaver.",
    "Modellering: oversætte en tekst til en regning; forældre læser opgaveteksten med eleven.",
    "Kommunikation: bruge fagord; eleven laver sin egen ordliste.",
]


def triangles(students: pl.DataFrame, years: list[str], seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Placements in mathematics (six areas, three rounds a year) for grades 3-6, with the round's texts."""
    rng = np.random.default_rng([seed, 16])
    s = students.filter(pl.col("school_year").is_in(years) & pl.col("grade").is_in(list(TRIANGLE_GRADES)))
    if s.is_empty():
        return pl.DataFrame(), pl.DataFrame()
    ability, start = s["ability"].to_numpy(), s["year_start"].to_numpy()
    placements, notes = [], []
    for round_, (month, day) in ROUND_DATES.items():
        when = [f"{int(y) + (month < 8)}-{month:02d}-{day:02d} 14:00:00" for y in start]
        for position, effect in enumerate(AREA_EFFECT, start=1):
            level = np.clip(
                np.rint(2.9 + 1.1 * ability + effect + 0.25 * (round_ - 1) + rng.normal(0, 0.6, len(s))), 1, 5
            )
            placements.append(
                pl.DataFrame(
                    {
                        "school_year": s["school_year"],
                        "round": round_,
                        "student_key": s["student_key"],
                        "subject": "matematik",
                        "position": position,
                        "level": level.astype(np.int8),
                        "placed_by": "demo-team",
                        "placed_at": pl.Series(when).str.to_datetime(),
                    }
                )
            )
        notes.append(
            pl.DataFrame(
                {
                    "school_year": s["school_year"],
                    "round": round_,
                    "student_key": s["student_key"],
                    "subject": "matematik",
                    "progress": [PROGRESS[i] for i in rng.integers(0, len(PROGRESS), len(s))],
                    "next_focus": [FOCUS[i] for i in rng.integers(0, len(FOCUS), len(s))],
                    "written_by": "demo-team",
                    "written_at": pl.Series(when).str.to_datetime(),
                }
            )
        )
    return pl.concat(placements), pl.concat(notes)


EVENTS = [
    ("Skolestart og forældremøder", 8, 12, 8, 30),
    ("Temauge: fællesskab og trivsel", 10, 6, 10, 10),
    ("Skole-hjem-samtaler", 11, 10, 11, 21),
    ("Forældremøde om læringsplatformen", 1, 14, 1, 14),
    ("Ordblindetest (3. og 7. klasse)", 3, 1, 5, 31),
    ("Matematikprøver: teamets egne", 5, 5, 5, 16),
]


def school_events(schools: pl.DataFrame, years: list[str]) -> pl.DataFrame:
    """The schools' own events of the year (seed 003: Munkevængets Skole's wheel)."""
    rows = []
    for school in schools["institution_no"]:
        for year in years:
            start = int(year[:4])
            for title, m1, d1, m2, d2 in EVENTS:
                rows.append(
                    {
                        "institution_no": school,
                        "school_year": year,
                        "title": title,
                        "starts_on": date(start + (m1 < 8), m1, d1),
                        "ends_on": date(start + (m2 < 8), m2, d2),
                        "created_by": "demo-leder",
                        "created_at": datetime(start, 8, 1, 9, 0),
                    }
                )
    return pl.DataFrame(rows)
