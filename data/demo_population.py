"""The demo municipality's schools and pupils: who is where, in which grade and class, each year.

Everything is drawn from one seeded generator, so the same parameters give the same store.
Pupils carry latent traits (well-being, ability, absence propensity) that the source generators
in demo_sources.py turn into answers, absence days, test points and grades, so that the sources
go together the way they do in real data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import polars as pl

DEMO_MUNICIPALITY_CODE = "999"
DEMO_MUNICIPALITY_NAME = "Demodal"

# name, pupils (0.-9.), socio-economic profile (z), in LEAPS, kind
# kind: "large" has special and reception classes; "special" is a special school.
DEFAULT_SCHOOLS = [
    ("Bakkeskolen", 900, -0.3, True, "large"),
    ("Fjordskolen", 520, 0.5, True, "normal"),
    ("Skovvangskolen", 450, 1.0, False, "normal"),
    ("Engparkens Skole", 380, -1.2, True, "normal"),
    ("Lindehøj Skole", 610, 0.3, False, "normal"),
    ("Møllebakkeskolen", 300, -0.5, True, "normal"),
    ("Strandvejens Skole", 700, 1.4, False, "normal"),
    ("Kirkebyskolen", 240, -0.2, False, "normal"),
    ("Nørremarkskolen", 420, 0.0, True, "normal"),
    ("Ådalens Skole", 42, -0.6, False, "normal"),  # a small village school: tiny grades
    ("Havnebyens Skole", 550, -0.9, False, "normal"),
    ("Kildeskolen (specialskole)", 70, -1.0, False, "special"),
]
_EXTRA_NAMES = [
    "Vest",
    "Øster",
    "Nord",
    "Syd",
    "Bøge",
    "Ege",
    "Birke",
    "Hede",
    "Sø",
    "Mark",
    "Vang",
    "Holm",
    "Dal",
    "Høj",
    "Lunde",
    "Rosen",
    "Tofte",
    "Kær",
]
CLASS_SIZE = 24


@dataclass(frozen=True)
class DemoParams:
    schools: int = 12
    municipalities: int = 1
    pupils_per_school: float = 1.0  # multiplies each school's size
    years: int = 5
    last_year_start: int = 2025  # 2025/26 is the newest school year
    seed: int = 2026


def school_year_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def year_starts(p: DemoParams) -> list[int]:
    return list(range(p.last_year_start - p.years + 1, p.last_year_start + 1))


def national() -> DemoParams:
    """About the country's size: 1,100 schools in 98 municipalities, 550,000 pupils a year."""
    return DemoParams(schools=1100, municipalities=98, pupils_per_school=1.2, years=5)


def municipalities(p: DemoParams) -> pl.DataFrame:
    """The first municipality is always Demodal (999), where the named schools and demo users are."""
    codes = [DEMO_MUNICIPALITY_CODE] + [f"{900 + i:03d}" for i in range(p.municipalities - 1)]
    names = [DEMO_MUNICIPALITY_NAME] + [f"Demodal {i + 2}" for i in range(p.municipalities - 1)]
    return pl.DataFrame({"code": codes, "name": names})


def _municipality_of_school(p: DemoParams, rng: np.random.Generator) -> list[str]:
    """Schools per municipality in contiguous blocks (institution numbers cluster by municipality,
    as old municipality numbers make them do), sizes skewed like the country's: 1 to ~70."""
    codes = municipalities(p)["code"].to_list()
    if len(codes) == 1:
        return codes * p.schools
    weights = rng.lognormal(0, 0.8, len(codes))
    sizes = np.maximum(1, np.floor(weights / weights.sum() * p.schools)).astype(int)
    sizes[0] = max(sizes[0], min(len(DEFAULT_SCHOOLS), p.schools))
    while sizes.sum() > p.schools:
        sizes[int(np.argmax(sizes))] -= 1
    sizes[int(np.argmax(sizes))] += p.schools - sizes.sum()
    return [code for code, size in zip(codes, sizes, strict=True) for _ in range(size)]


def schools(p: DemoParams, rng: np.random.Generator) -> pl.DataFrame:
    """The demo schools; beyond the twelve named ones, sizes follow the national spread."""
    rows = []
    mun = _municipality_of_school(p, rng) if p.municipalities > 1 else [DEMO_MUNICIPALITY_CODE] * p.schools
    for i in range(p.schools):
        if i < len(DEFAULT_SCHOOLS):
            name, size, socio, leaps, kind = DEFAULT_SCHOOLS[i]
        else:
            name = f"{_EXTRA_NAMES[i % len(_EXTRA_NAMES)]}skolen {i // len(_EXTRA_NAMES) + 1}"
            size = int(np.clip(rng.lognormal(np.log(400), 0.55), 60, 1400))
            socio, leaps = float(rng.normal()), bool(rng.random() < 0.3)
            kind = "special" if rng.random() < 0.03 else ("large" if size > 800 else "normal")
        rows.append(
            {
                "institution_no": f"9{(i + 1) // 10000:01d}{(i + 1) % 10000:04d}",
                "name": name,
                "municipality_code": mun[i],
                "school_type": "specialskole" if kind == "special" else "folkeskole",
                "in_leaps": leaps,
                "address": f"{name.split(' (')[0]}vej {i + 1}, 9999 Demodal",
                "size": int(round(size * p.pupils_per_school)),
                "socio": socio,
                "kind": kind,
            }
        )
    frame = pl.DataFrame(rows)
    # School-level latent effects: well-being partly follows the socio-economic profile,
    # absence goes the other way; both drift a little from year to year (mostly noise).
    n = len(frame)
    socio = frame["socio"].to_numpy()
    return frame.with_columns(
        pl.Series("wb_effect", 0.19 * (0.7 * socio + 0.714 * rng.normal(size=n))),
        pl.Series("absence_log_effect", 0.26 * (-0.3 * socio + 0.95 * rng.normal(size=n))),
        pl.Series("exam_true_diff", rng.normal(0, 0.15, size=n)),
    )


_KEY_ALPHABET = "abcdefghjkmnpqrstuvwxyz"  # no digits: a key can never look like a CPR number


def _pupil_keys(seed: int, start: int, count: int) -> list[str]:
    """Pseudonymous keys: a keyed hash of a counter, never derived from a person."""
    salt = f"datablik-demo-{seed}".encode()
    keys = []
    for i in range(count):
        value = int.from_bytes(hashlib.blake2b(str(start + i).encode(), key=salt, digest_size=8).digest(), "big")
        chars = []
        for _ in range(12):
            value, rest = divmod(value, len(_KEY_ALPHABET))
            chars.append(_KEY_ALPHABET[rest])
        keys.append("E" + "".join(chars))
    return keys


def pupils(p: DemoParams, school_frame: pl.DataFrame, rng: np.random.Generator, key_offset: int = 0) -> pl.DataFrame:
    """Every pupil who attends these demo schools in any of the years, with latent traits. Keys
    are numbered from `key_offset`, so schools built in chunks never share a key."""
    years = year_starts(p)
    first_cohort, last_cohort = years[0] - 9, years[-1]
    parts = []
    for s in school_frame.iter_rows(named=True):
        per_grade = s["size"] / 10
        for cohort in range(first_cohort, last_cohort + 1):
            n = max(1, int(round(per_grade * np.exp(rng.normal(0, 0.08)))))
            parts.append((s["institution_no"], cohort, n, s["socio"], s["kind"]))
    total = sum(part[2] for part in parts)
    school_col = np.repeat([part[0] for part in parts], [part[2] for part in parts])
    cohort_col = np.repeat([part[1] for part in parts], [part[2] for part in parts])
    socio_col = np.repeat([part[3] for part in parts], [part[2] for part in parts])
    kind_col = np.repeat([part[4] for part in parts], [part[2] for part in parts])

    # Correlated pupil traits: well-being, ability, absence propensity.
    cov = np.array([[1.0, 0.3, -0.3], [0.3, 1.0, -0.3], [-0.3, -0.3, 1.0]])
    traits = rng.multivariate_normal(np.zeros(3), cov, size=total)
    girl = rng.random(total) < 0.49
    bilingual = rng.random(total) < 1 / (1 + np.exp(2.2 + 0.8 * socio_col))
    special = np.where(kind_col == "special", True, (kind_col == "large") & (rng.random(total) < 0.045))
    # Reception-class pupils are newly arrived: they join late and start in a reception class.
    reception = (kind_col == "large") & ~special & (rng.random(total) < 0.03)
    joins = np.where(rng.random(total) < 0.9, cohort_col, cohort_col + rng.integers(1, 9, total))
    joins = np.where(reception, cohort_col + rng.integers(1, 8, total), joins)
    leaves = np.where(rng.random(total) < 0.93, cohort_col + 9, joins + rng.integers(0, 6, total))
    ability = traits[:, 1] - 0.35 * bilingual - 0.9 * special + 0.2 * socio_col
    return pl.DataFrame(
        {
            "student_key": _pupil_keys(p.seed, key_offset, total),
            "institution_no": school_col,
            "cohort": cohort_col,
            "girl": girl,
            "bilingual": bilingual,
            "special_class": special,
            "reception": reception,
            "joins": joins,
            "leaves": leaves,
            "wb": traits[:, 0] - 0.4 * special,
            "ability": ability,
            "absence_z": traits[:, 2],
            "class_slot": rng.random(total),
        }
    )


def students_by_year(
    p: DemoParams, pupil_frame: pl.DataFrame, school_frame: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    """The `student` table: one row per pupil and school year, with grade and class."""
    frames = []
    for start in year_starts(p):
        year = (
            pupil_frame.with_columns(grade=(start - pl.col("cohort")))
            .filter(pl.col("grade").is_between(0, 9) & (pl.col("joins") <= start) & (pl.col("leaves") >= start))
            .with_columns(school_year=pl.lit(school_year_label(start)), year_start=pl.lit(start))
        )
        frames.append(year)
    rows = pl.concat(frames)
    # General classes: a grade's general pupils split into classes of at most CLASS_SIZE.
    in_reception = pl.col("reception") & (pl.col("year_start") - pl.col("joins") < 1)
    general = ~pl.col("special_class") & ~in_reception
    counts = rows.filter(general).group_by("school_year", "institution_no", "grade").len("n_general")
    rows = rows.join(counts, on=["school_year", "institution_no", "grade"], how="left")
    n_classes = ((pl.col("n_general").fill_null(1) + CLASS_SIZE - 1) // CLASS_SIZE).clip(1, 8)
    letter = (pl.col("class_slot") * n_classes).floor().cast(pl.Int32)
    letters = pl.lit("ABCDEFGH").str.slice(letter, 1)
    class_name = (
        pl.when(pl.col("special_class") & (pl.col("grade") <= 3))
        .then(pl.lit("Spec. indskoling"))
        .when(pl.col("special_class") & (pl.col("grade") <= 6))
        .then(pl.lit("Spec. mellemtrin"))
        .when(pl.col("special_class"))
        .then(pl.lit("Spec. udskoling"))
        .when(in_reception)
        .then(pl.lit("Modtagehold"))
        .otherwise(pl.col("grade").cast(pl.String) + pl.lit(".") + letters)
    )
    n = len(rows)
    reduced = rng.random(n) < np.where(rows["special_class"].to_numpy(), 0.12, 0.008)
    months = np.where(rng.random(n) < 0.96, 11, rng.integers(2, 11, n))
    return rows.with_columns(
        class_name=class_name,
        in_reception=in_reception,
        reduced_timetable=pl.Series(reduced),
        months_enrolled=pl.Series(months),
    ).drop("n_general")
