"""The team's own data in the demo municipality (seed 003): the mathematics tests task by task (three
a year in grades 3-9, the newest two school years), learning-triangle placements and the schools' own
events of the year. Drawn from the pupils' latent ability with a generator of its own, so the
calibrated sources drawn before and after are unchanged."""
from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

# Ullerup Bæk Skole's extract: two subject areas, the signal words above the task numbers.
TASKS = [("1.1", "Matematik i anvendelse", "Vis", 3), ("1.2", "Matematik i anvendelse", "Hvor mange", 2),
         ("1.3", "Matematik i anvendelse", "Skriv", 2), ("1.4", "Matematik i anvendelse", "Hvor mange", 3),
         ("1.5", "Matematik i anvendelse", "Undersøg", 2), ("2.1", "Funktioner", "Hvilket", 2),
         ("2.2", "Funktioner", "Hvor stor", 3), ("2.3", "Funktioner", "Beskriv", 2),
         ("2.4", "Funktioner", "Undersøg", 2),
         ("3.1", "Geometri og måling", "Tegn", 2), ("3.2", "Geometri og måling", "Hvor stor", 3),
         ("3.3", "Geometri og måling", "Undersøg", 3)]
# "Undersøg" is hard for every pupil and "Funktioner" harder than "Matematik i anvendelse" (seed 003).
EASE = {"Vis": 0.9, "Hvor mange": 0.6, "Skriv": 0.3, "Undersøg": -1.0, "Hvilket": 0.4, "Hvor stor": 0.1,
        "Beskriv": -0.3, "Tegn": 0.5}
AREA_EASE = {"Matematik i anvendelse": 0.4, "Funktioner": -0.5, "Geometri og måling": 0.0}
TESTS = [("Matematik, september", 9, 15), ("Matematik, januar", 1, 20), ("Matematik, maj", 5, 12)]
GRADES = range(3, 10)


def team_tests(students: pl.DataFrame, years: list[str], seed: int) -> pl.DataFrame:
    rng = np.random.default_rng([seed, 3])
    s = students.filter(pl.col("school_year").is_in(years) & pl.col("grade").is_in(list(GRADES))).sort(
        "school_year", "institution_no", "student_key")
    if s.is_empty():
        return pl.DataFrame()
    ability = s["ability"].to_numpy()
    frames = []
    for k, (name, month, day) in enumerate(TESTS):
        start = s["year_start"].to_numpy()
        taken = [date(int(y) + (month < 8), month, day) for y in start]
        present = rng.random(len(s)) > 0.05  # a few pupils miss each test
        growth = 0.25 * k
        for order, (task, area, signal, mx) in enumerate(TASKS, start=1):
            logit = 1.3 * ability + EASE[signal] + AREA_EASE[area] + growth + rng.normal(0, 0.5, len(s))
            points = rng.binomial(mx, 1 / (1 + np.exp(-logit)))
            frames.append(pl.DataFrame({
                "school_year": s["school_year"], "institution_no": s["institution_no"], "grade": s["grade"],
                "test_name": name, "taken_on": taken, "subject": "Matematik", "task_no": task,
                "task_order": order, "area": area, "signal_word": signal, "max_points": float(mx),
                "max_given": True, "student_key": s["student_key"], "points": points.astype(float),
            }).filter(pl.Series(present)))
    return pl.concat(frames).sort("school_year", "institution_no", "taken_on", maintain_order=True)
