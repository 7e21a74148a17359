"""Synthetic source data for the demo pupils, calibrated to shared/DATA-SOURCES.md section 8.

Each function takes the `student` rows (one per pupil and year, with latent traits) and returns
the rows of one source table as a polars DataFrame.
"""

from __future__ import annotations

import numpy as np
import polars as pl

# Yearly national level shifts (keyed by the school year's start), so the trend follows the
# published figures: well-being dipped after 2021/22, absence peaked in 2021/22.
WB_YEAR_SHIFT = {2021: 0.05, 2022: 0.0, 2023: -0.025, 2024: -0.005, 2025: 0.0}
ABSENCE_YEAR_MEAN = {2021: 8.4, 2022: 7.45, 2023: 7.6, 2024: 7.7, 2025: 7.6}
EXAM_YEAR_SHIFT = {2021: 0.45, 2022: 0.1, 2023: 0.05, 2024: 0.0, 2025: 0.0}
READING_YEAR_SHIFT = {2022: 0.12, 2023: -0.04, 2024: -0.02, 2025: 0.0}

# Indicator levels relative to generel trivsel (DATA-SOURCES section 8).
INDICATOR_BASE = {"social": 4.03, "faglig": 3.68, "stoette": 3.38, "ro": 3.93}

# August..June: school days and the seasonal illness factor.
SCHOOL_DAYS = np.array([8, 21, 17, 21, 15, 20, 15, 21, 16, 17, 15])
ILLNESS_SEASON = np.array([0.6, 0.8, 1.0, 1.1, 1.2, 1.35, 1.3, 1.0, 0.9, 0.8, 0.75])
KIND_SHARES = np.array([0.53, 0.33, 0.14])  # illness, authorised, unauthorised

EXAM_SUBJECTS = [
    ("Dansk, mundtlig", True),
    ("Dansk, læsning", True),
    ("Dansk, retskrivning", True),
    ("Dansk, skriftlig fremstilling", True),
    ("Matematik uden hjælpemidler", True),
    ("Matematik med hjælpemidler", True),
    ("Engelsk, mundtlig", True),
    ("Fællesprøve i fysik/kemi, biologi og geografi", True),
    ("Engelsk, skriftlig", False),
]
SEVEN_POINT = np.array([-3, 0, 2, 4, 7, 10, 12])

TEST_GRADES = {"dansk_laesning": [2, 3, 4, 6, 8], "matematik": [2, 4, 6, 7, 8]}
TEST_AREAS = {
    "dansk_laesning": [("sprogforståelse", 14), ("afkodning", 13), ("tekstforståelse", 13)],
    "matematik": [("tal og algebra", 12), ("geometri og måling", 12), ("statistik og sandsynlighed", 12)],
}
TEST_LEVEL = {"dansk_laesning": 0.55, "matematik": 0.70}


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _school_effects(students: pl.DataFrame, schools: pl.DataFrame) -> pl.DataFrame:
    return students.join(
        schools.select("institution_no", "socio", "wb_effect", "absence_log_effect", "exam_true_diff", "kind"),
        on="institution_no",
    )


def wellbeing_answers(
    students: pl.DataFrame, schools: pl.DataFrame, questions: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    """Raw answers (option as printed) for every responding pupil and question."""
    s = _school_effects(students, schools)
    # About 92 % of pupils answer; a pupil skips a question now and then.
    s = s.filter(pl.Series(rng.random(len(s)) < 0.92))
    drift = rng.normal(0, 0.03, size=len(s))  # school-year drift shared within a school
    frames = []
    for band, grades in (("4-9", (4, 9)), ("0-3", (0, 3))):
        part = s.filter(pl.col("grade").is_between(*grades))
        qs = questions.filter(pl.col("grade_band") == band)
        n_p, n_q = len(part), len(qs)
        if n_p == 0:
            continue
        idx = s.with_row_index()["grade"].is_between(*grades).to_numpy()
        base = (
            part["wb_effect"].to_numpy()
            + drift[idx]
            + np.array([WB_YEAR_SHIFT.get(y, 0.0) for y in part["year_start"].to_list()])
        )
        wb = part["wb"].to_numpy()
        girl = part["girl"].to_numpy()
        q_off = np.random.default_rng(7).normal(0, 0.22, n_q)  # fixed per question
        n_opt = qs["n_options"].to_numpy()
        best_first = qs["first_option_best"].to_numpy()
        if band == "4-9":
            ind = qs["indicator"].fill_null("other").to_list()
            own = {k: rng.normal(0, 0.25, n_p) for k in (*INDICATOR_BASE, "other")}
            level = np.column_stack(
                [
                    INDICATOR_BASE.get(k, 3.7)
                    + base
                    + 0.5 * wb
                    + own[k]
                    - np.where(girl, 0.1 if k == "social" else 0.0, -0.1 if k == "social" else 0.0)
                    for k in ind
                ]
            )
            latent = level + q_off + rng.normal(0, 0.9, (n_p, n_q))
            score = np.clip(np.rint(latent), 1, 5)
        else:
            latent = 2.45 + (base + 0.35 * wb)[:, None] + q_off * 0.8 + rng.normal(0, 0.55, (n_p, n_q))
            score = np.clip(np.rint(latent), 1, 3)
        option = np.where(best_first, n_opt + 1 - score, score).astype(np.int8)
        answered = rng.random((n_p, n_q)) > 0.02
        rows_i, cols_i = np.nonzero(answered)
        frames.append(
            pl.DataFrame(
                {
                    "school_year": part["school_year"].to_numpy()[rows_i],
                    "student_key": part["student_key"].to_numpy()[rows_i],
                    "question_id": qs["question_id"].to_numpy()[cols_i],
                    "answer_option": option[rows_i, cols_i],
                }
            )
        )
    return pl.concat(frames)


def absence(students: pl.DataFrame, schools: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Whole days of absence per pupil, month and kind."""
    s = _school_effects(students, schools)
    n = len(s)
    year_mean = np.array([ABSENCE_YEAR_MEAN.get(y, 7.4) for y in s["year_start"].to_list()])
    grade_factor = 0.85 + 0.033 * s["grade"].to_numpy()
    special = s["special_class"].to_numpy()
    sigma = 0.68
    pupil = np.exp(sigma * s["absence_z"].to_numpy() - sigma**2 / 2)
    school = np.exp(s["absence_log_effect"].to_numpy() + rng.normal(0, 0.05, n))
    rate = year_mean / 100 * grade_factor * pupil * school * np.where(special, 1.9, 1.0)
    shares = rng.dirichlet(KIND_SHARES * 30, size=n)
    # Unauthorised absence concentrates among the pupils with the most absence.
    shares[:, 2] *= np.exp(0.5 * s["absence_z"].to_numpy())
    shares /= shares.sum(axis=1, keepdims=True)
    months = (8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6)
    year_start = s["year_start"].to_numpy()
    enrolled = s["months_enrolled"].to_numpy()
    frames = []
    for m in range(11):
        in_school = m >= 11 - enrolled  # late joiners miss the first months
        days = SCHOOL_DAYS[m]
        kinds = []
        for k in range(3):
            p = rate * shares[:, k] * (ILLNESS_SEASON[m] if k == 0 else 1.0)
            kinds.append(rng.binomial(days, np.clip(p, 0, 0.95)))
        total = kinds[0] + kinds[1] + kinds[2]
        over = total > days  # never more absent days than school days
        for k in range(3):
            kinds[k] = np.where(over, np.floor(kinds[k] * days / np.maximum(total, 1)), kinds[k])
        year = year_start + (m >= 5)
        frames.append(
            pl.DataFrame(
                {
                    "school_year": s["school_year"],
                    "student_key": s["student_key"],
                    "month": pl.select(pl.date(pl.Series(year), months[m], 1)).to_series(),
                    "school_days": np.full(n, days, dtype=np.int8),
                    "illness_days": kinds[0].astype(float),
                    "authorised_days": kinds[1].astype(float),
                    "unauthorised_days": kinds[2].astype(float),
                }
            ).filter(pl.Series(in_school))
        )
    return pl.concat(frames)


def national_tests(students: pl.DataFrame, schools: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Overgangstest results (from 2022/23) per profile area and in total."""
    s = _school_effects(students, schools).filter(pl.col("year_start") >= 2022)
    frames = []
    for subject, grades in TEST_GRADES.items():
        part = s.filter(pl.col("grade").is_in(grades) & ~pl.col("in_reception"))
        n = len(part)
        shift = np.array(
            [
                READING_YEAR_SHIFT.get(y, 0.0) if subject == "dansk_laesning" else 0.0
                for y in part["year_start"].to_list()
            ]
        )
        logit = TEST_LEVEL[subject] + 1.05 * part["ability"].to_numpy() + shift
        year_start = part["year_start"].to_numpy()
        # Until 2022/23 the tests were taken in spring; from 2023/24 in August-October.
        taken = [
            f"{y + 1}-02-15" if y == 2022 else f"{y}-09-{10 + d:02d}"
            for y, d in zip(year_start, rng.integers(0, 20, n), strict=True)
        ]
        total = np.zeros(n, dtype=np.int16)
        for area, max_points in TEST_AREAS[subject]:
            points = rng.binomial(max_points, _logistic(logit + rng.normal(0, 0.3, n)))
            total += points.astype(np.int16)
            frames.append(_test_frame(part, subject, area, points, max_points, taken))
        frames.append(_test_frame(part, subject, "samlet", total, sum(m for _, m in TEST_AREAS[subject]), taken))
    return pl.concat(frames)


def _test_frame(part, subject, area, points, max_points, taken) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school_year": part["school_year"],
            "student_key": part["student_key"],
            "subject": subject,
            "grade": part["grade"].cast(pl.Int8),
            "profile_area": area,
            "points": pl.Series(points).cast(pl.Int16),
            "max_points": max_points,
            "taken_on": pl.Series(taken).str.to_date(),
        }
    )


def expected_exam_average(socio: np.ndarray, year_start: np.ndarray) -> np.ndarray:
    """The socio-economic reference: what the school's pupils are expected to get."""
    return 7.2 + 0.67 * socio + np.array([EXAM_YEAR_SHIFT.get(y, 0.0) for y in year_start])


def exam_grades(students: pl.DataFrame, schools: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """9th-grade exam grades on the 7-point scale."""
    s = _school_effects(students, schools).filter(pl.col("grade") == 9)
    n = len(s)
    socio_school = s["socio"].to_numpy()
    target = expected_exam_average(socio_school, s["year_start"].to_numpy()) + s["exam_true_diff"].to_numpy()
    pupil_level = (
        target
        + 1.8 * (s["ability"].to_numpy() - 0.2 * socio_school)
        + np.where(s["girl"].to_numpy(), 0.4, -0.4)
        + 0.35 * s["wb"].to_numpy()
    )
    frames = []
    for subject, bound in EXAM_SUBJECTS:
        raw = pupil_level + rng.normal(0, 1.6, n)
        grade = SEVEN_POINT[np.abs(raw[:, None] - SEVEN_POINT[None, :]).argmin(axis=1)]
        frames.append(
            pl.DataFrame(
                {
                    "school_year": s["school_year"],
                    "student_key": s["student_key"],
                    "subject": subject,
                    "bound": bound,
                    "grade": pl.Series(grade).cast(pl.Int8),
                }
            )
        )
    # Some special-class pupils are exempt from the exams.
    exempt = s.filter(pl.col("special_class") & pl.Series(rng.random(n) < 0.4))["student_key"]
    return pl.concat(frames).filter(~pl.col("student_key").is_in(exempt.implode()))


def socio_reference(grades: pl.DataFrame, students: pl.DataFrame, schools: pl.DataFrame) -> pl.DataFrame:
    """Expected vs actual bound-subject average per school (general-class pupils, n >= 5)."""
    pupil_avg = (
        grades.filter("bound")
        .join(
            students.select("school_year", "student_key", "institution_no", "special_class", "year_start"),
            on=["school_year", "student_key"],
        )
        .filter(~pl.col("special_class"))
        .group_by("school_year", "year_start", "institution_no", "student_key")
        .agg(pl.col("grade").cast(pl.Float64).mean().alias("avg"))
    )
    per_school = (
        pupil_avg.group_by("school_year", "year_start", "institution_no")
        .agg(pl.col("avg").mean().alias("actual"), pl.col("avg").std().alias("sd"), pl.len().alias("n_pupils"))
        .filter(pl.col("n_pupils") >= 5)
        .join(schools.select("institution_no", "socio"), on="institution_no")
    )
    expected = expected_exam_average(per_school["socio"].to_numpy(), per_school["year_start"].to_numpy())
    diff = per_school["actual"].to_numpy() - expected
    se = per_school["sd"].fill_null(2.0).to_numpy() / np.sqrt(per_school["n_pupils"].to_numpy())
    significance = np.where(diff > 1.96 * se, "Over niveau", np.where(diff < -1.96 * se, "Under niveau", "På niveau"))
    return pl.DataFrame(
        {
            "school_year": per_school["school_year"],
            "institution_no": per_school["institution_no"],
            "expected_average": np.round(expected, 1),
            "difference": np.round(diff, 1),
            "significance": significance,
            "n_pupils": per_school["n_pupils"].cast(pl.Int32),
        }
    )


def pupil_assessments(students: pl.DataFrame, rng: np.random.Generator, years: list[str]) -> pl.DataFrame:
    """The team's 1-5 grid for grades 1-9 in the newest years, two terms a year."""
    s = students.filter(pl.col("school_year").is_in(years) & (pl.col("grade") >= 1))
    n = len(s)
    frames = []
    for term, month in (("efterår", 11), ("forår", 4)):
        for area, trait in (("dansk", "ability"), ("matematik", "ability"), ("social_trivsel", "wb")):
            score = np.clip(np.rint(3.3 + 0.95 * s[trait].to_numpy() + rng.normal(0, 0.55, n)), 1, 5)
            year = s["year_start"].to_numpy() + (month < 8)
            frames.append(
                pl.DataFrame(
                    {
                        "school_year": s["school_year"],
                        "term": term,
                        "student_key": s["student_key"],
                        "area": area,
                        "score": pl.Series(score).cast(pl.Int8),
                        "assessed_by": "demo-team",
                        "assessed_at": pl.Series([f"{y}-{month:02d}-20 15:00:00" for y in year]).str.to_datetime(),
                    }
                )
            )
    return pl.concat(frames)
