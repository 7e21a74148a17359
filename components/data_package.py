"""The data package the administration sends a school before the talk (after seed 004, Svendborg
and Stevns): per theme the key figures against municipality and country with the change since
last year and whether it is larger than the noise (queries.key_figures), the trend charts, the
school's participation indicators and LEAPS status, and reflection questions per theme.

It exists before any talk does, for one school or, as a zip of Word and PDF files, for every school
the caller may see. It is internal only: it holds the confidential national-test results
(folkeskoleloven § 55 b), so every page says "Fortroligt"."""

from __future__ import annotations

import io
import os
import pickle
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from components import charts, data_summary, documents
from components.documents import Block, Meta
from components.formatting import danish_date, format_change, format_value
from data.validation import PARTICIPATION_INDICATORS
from queries import efforts
from queries.key_figures import NOISE_RULE, SOCIO_SOURCE, KeyFigure, key_figures, previous_year
from queries.runner import QueryError, Runner, Scope, small_group

TREND_YEARS = 5
INTERNAL = (
    "Fortroligt – kun til intern brug. Datapakken indeholder resultater fra de nationale test, som er "
    "fortrolige (folkeskoleloven § 55 b); den må ikke offentliggøres eller sendes videre."
)
THEMES = [("Trivsel", "Trivsel"), ("Fravær", "Fravær"), ("Faglighed", "Faglighed"), ("LEAPS", "LEAPS")]
REFLECTION = {
    "Trivsel": [
        "Hvad fortæller trivselstallene om jeres elever, og hvor skiller skolen sig ud fra kommunen?",
        "Hvilke indsatser satte I i gang efter sidste trivselsmåling, og hvad har de givet?",
        "Hvilke elever trives mindst, og hvad ved I om hvorfor?",
    ],
    "Fravær": [
        "Hvordan har fraværet udviklet sig, og hvad ligger bag?",
        "Hvordan følger I op på elever med højt fravær, og hvornår inddrager I forældrene?",
    ],
    "Faglighed": [
        "Hvordan ligger karaktererne i forhold til den socioøkonomiske reference (skolens løfteevne)?",
        "Hvad viser de nationale test om de fagligt svageste elever, og hvad gør I for dem?",
        "Er der forskelle mellem piger og drenge, I vil arbejde med?",
    ],
    "Deltagelse": [
        "Hvilke elever deltager ikke fuldt ud i fællesskabet, og hvad gør I for, at de kan?",
        "Er skolens egne mål for deltagelse nået, og hvad gør I, hvis ikke?",
    ],
    "LEAPS": ["Hvordan er det gået med forløbene, og hvad mangler for at opfylde programmets regler?"],
    "Afrunding": [
        "Hvad får I øje på i data, og hvilke tre nedslag vil I tage op ved samtalen?",
        "Hvad er I stolte af, og hvad vil I gerne blive bedre til?",
        "Hvordan er det gået med sidste års aftaler?",
    ],
}
CHARTS = {
    "trivsel": ("figur-trivsel.png", "Generel trivsel (4.–9. klasse), skolen og kommunen over skoleårene"),
    "fravaer": ("figur-fravaer.png", "Samlet fravær i procent, skolen og kommunen over skoleårene"),
    "karakterer": ("figur-karakterer.png", "Karaktergennemsnit i de bundne prøver, skolen og kommunen"),
}
CHART_OF_THEME = {"Trivsel": "trivsel", "Fravær": "fravaer", "Faglighed": "karakterer"}


@dataclass
class Package:
    blocks: list[Block]
    images: dict[str, bytes]
    meta: Meta
    file_stem: str
    chart_frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    chart_efforts: dict[str, pl.DataFrame] = field(default_factory=dict)

    def docx(self) -> bytes:
        return documents.to_docx(self.blocks, self.images, self.meta)

    def pdf(self) -> bytes:
        return documents.to_pdf(self.blocks, self.images, self.meta)


# -- judging a difference ----------------------------------------------------------------------
def judgement(difference: float | None, significant: bool, higher_is_better: bool, judged: bool = True) -> str:
    """In words and an arrow, never colour alone: bedre / dårligere only beyond the noise."""
    if difference is None:
        return ""
    if not judged:
        return "ikke vurderet"
    if not significant:
        return "ikke sikker"
    return "▲ bedre" if (difference > 0) == higher_is_better else "▼ dårligere"


def _with(text: str, verdict: str) -> str:
    return f"{text} ({verdict})" if verdict and text != "–" else text


def figure_row(f: KeyFigure) -> list[str]:
    value = format_value(f.value, f.unit) if f.value is not None else (f.reason or "–")
    judged = f.basis == "elevdata" and f.unit != "count"
    change = _with(
        format_change(f.change, f.unit), judgement(f.change, f.change_significant, f.higher_is_better, judged)
    )
    comparisons = []
    for c in (f.municipality, f.country):
        text = format_value(c.value, f.unit) if c.value is not None else "–"
        comparisons.append(
            _with(text, judgement(c.difference, c.significant, f.higher_is_better, c.judged and f.unit != "count"))
        )
    n = f"{f.n} {f.n_unit}" if f.n else "–"
    if f.detail:
        value = f"{value} – {f.detail}"
    return [f.label, value, n, change, *comparisons]


def figure_header(school_year: str) -> list[str]:
    return ["Nøgletal", "Skolen", "n", f"Siden {previous_year(school_year)}", "Kommunen", "Landet"]


# -- the trend charts ------------------------------------------------------------------------------
def trend_years(runner: Runner, scope: Scope, school_year: str) -> list[str]:
    years = sorted(y for y in runner.run("school_years", scope)["school_year"].to_list() if y <= school_year)
    return years[-TREND_YEARS:]


def _series(frame: pl.DataFrame, value: str, name: str, deff: float = 1.0) -> pl.DataFrame:
    """School and municipality over the years, each mean with its 95 % interval (Nedre, Øvre: the
    standard error and design effect the cards' ▲/▼ are decided with), which the trend draws as a band."""
    from components.screen import with_interval

    rows = frame.filter(pl.col("level").is_in(["skole", "kommune"]))
    return (
        with_interval(rows, value, deff=deff)
        .select(
            pl.col("level").replace_strict({"skole": "Skolen", "kommune": "Kommunen"}).alias("Serie"),
            pl.col("school_year").alias("Skoleår"),
            pl.col(value).alias(name),
            "Nedre",
            "Øvre",
        )
        .sort("Skoleår", "Serie")
    )


def trend_frames(runner: Runner, scope: Scope, school: str, years: list[str]) -> dict[str, pl.DataFrame]:
    from queries.statistics import deff_for, design_effects

    effects = design_effects(runner, scope, max(years)) if years else {}
    wellbeing = runner.run(
        "wellbeing_indicators_school_and_municipality",
        scope,
        school=school,
        years=years,
        grade_from=4,
        grade_to=9,
        gender="alle",
    ).filter(pl.col("indicator") == "generel")
    absence = runner.run("absence_school_and_municipality", scope, school=school, years=years, grade_from=0, grade_to=9)
    exams = runner.run("exam_bound_average_school_and_municipality", scope, school=school, years=years)
    return {
        key: _series(frame, "mean", CHART_SPECS[key][0], deff_for(CHART_INDICATOR[key], effects))
        for key, frame in (("trivsel", wellbeing), ("fravaer", absence), ("karakterer", exams))
    }


# The indicator of each document chart (queries.efforts.INDICATORS), for the efforts drawn on it.
CHART_INDICATOR = {"trivsel": "wellbeing_generel", "fravaer": "absence_total_pct", "karakterer": "exam_bound_average"}


def chart_efforts(register: pl.DataFrame | None) -> dict[str, pl.DataFrame]:
    """Per document chart, the efforts aimed at its indicator (picklable, for the workers)."""
    out = {}
    for key, indicator in CHART_INDICATOR.items():
        aimed = efforts.for_indicator(register, indicator)
        if aimed is not None:
            out[key] = aimed.select("name", "starts_on", "Skoleår")
    return out


CHART_SPECS = {
    "trivsel": ("Gennemsnit", "Generel trivsel (1–5)", 2),
    "fravaer": ("Procent", "Fravær (%)", 1),
    "karakterer": ("Gennemsnit", "Karaktergennemsnit", 1),
}


def drawable(frames: dict[str, pl.DataFrame]) -> list[str]:
    """The charts that have something to show."""
    return [k for k, f in frames.items() if not f.filter(pl.col(CHART_SPECS[k][0]).is_not_null()).is_empty()]


def trend_charts(frames: dict[str, pl.DataFrame], aimed: dict[str, pl.DataFrame] | None = None) -> dict[str, bytes]:
    images = {}
    for key in drawable(frames):
        value, axis, decimals = CHART_SPECS[key]
        images[CHARTS[key][0]] = documents.chart_png(
            charts.trend(frames[key], value, axis, decimals, efforts=(aimed or {}).get(key))
        )
    return images


def _efforts(register: pl.DataFrame) -> list[Block]:
    """The school's effort register."""
    out = [Block("heading", "Skolens indsatser", level=2)]
    if register.is_empty():
        out.append(Block("paragraph", "Skolen har ikke registreret nogen indsatser."))
    else:
        shown = efforts.table(register)
        out += [
            Block(
                "paragraph",
                "Indsatserne er vist som lodrette streger på graferne over årene for de indikatorer, de sigter mod.",
            ),
            Block("table", rows=[shown.columns, *[list(r) for r in shown.iter_rows()]]),
        ]
    return out


# -- the sections ----------------------------------------------------------------------------------
def _participation(runner: Runner, scope: Scope, school: str, school_year: str) -> list[Block]:
    previous = previous_year(school_year)
    frame = runner.run(
        "participation_indicators",
        scope,
        school=school,
        years=[school_year, previous],
    ).filter(pl.col("unit_kind") == "skole")
    targets = runner.run("participation_targets", scope, school=school)
    rows = []
    for key, (label, unit, *_rest) in PARTICIPATION_INDICATORS.items():

        def value(year: str, key=key) -> float | None:
            r = frame.filter((pl.col("school_year") == year) & (pl.col("indicator") == key))
            return r["value"][0] if len(r) else None

        now, before = value(school_year), value(previous)
        target = targets.filter(pl.col("indicator") == key)
        rows.append(
            [
                label,
                format_value(now, unit) if now is not None else small_group(),
                format_change(now - before, unit) if now is not None and before is not None else "–",
                format_value(target["target"][0], unit) if len(target) else "intet mål sat",
            ]
        )
    return [
        Block("heading", "Deltagelsesmuligheder for alle", level=2),
        Block(
            "paragraph",
            "Skolens egne indikatorer for, om alle elever deltager i fællesskabet "
            "(Elevfravær, Trivselsmålingen 4.–9. klasse og elevregistret).",
        ),
        Block("table", rows=[["Indikator", school_year, f"Siden {previous}", "Skolens mål"], *rows]),
    ]


def _leaps(runner: Runner, scope: Scope, school: str, school_year: str, in_leaps: bool) -> list[Block]:
    if not in_leaps:
        return [Block("paragraph", "Skolen er ikke med i LEAPS.")]
    frame = runner.run("leaps_rule_status", scope, school=school, school_year=school_year)
    if frame.is_empty():
        return [Block("paragraph", f"Ingen årgange med LEAPS-forløb i {school_year}.")]
    rows = []
    for r in frame.iter_rows(named=True):
        missing = r["subjects_missing"] or []
        rows.append(
            [
                f"{r['grade']}. årgang",
                f"{r['courses']} af {r['courses_required']}",
                f"{r['company_courses']} af {r['company_required']}",
                ", ".join(missing) if missing else "alle fag er med",
            ]
        )
    met = sum(
        r["courses"] >= r["courses_required"]
        and r["company_courses"] >= r["company_required"]
        and not r["subjects_missing"]
        for r in frame.iter_rows(named=True)
    )
    return [
        Block(
            "paragraph",
            f"{met} af {len(rows)} årgange har de krævede forløb, virksomhedsforløb og fag "
            f"i {school_year} (Kilde: LEAPS-forløb registreret af skolen).",
        ),
        Block("table", rows=[["Årgang", "Forløb", "Virksomhedsforløb", "Fag der mangler"], *rows]),
    ]


def _socio(runner: Runner, scope: Scope, school: str, years: list[str]) -> list[Block]:
    """The exam average against the socio-economic reference over the years, with the ministry's own
    verdict as published (the key-figure table above has this year's, also from published figures)."""
    frame = runner.run("socio_reference_by_year", scope, school=school).filter(pl.col("school_year").is_in(years))
    if frame.is_empty():
        return []
    rows = [
        [r["school_year"], small_group(), "–", "–", "–"]
        if r["suppressed"]
        else [
            r["school_year"],
            format_value(r["expected_average"], "grade"),
            format_value(r["actual"], "grade"),
            format_change(r["difference"], "grade"),
            r["significance"] or "–",
        ]
        for r in frame.iter_rows(named=True)
    ]
    return [
        Block("heading", "Socioøkonomisk reference", level=3),
        Block(
            "paragraph",
            "Karaktergennemsnittet i de bundne prøver mod det gennemsnit, ministeriet forventer ud "
            "fra elevernes baggrund, med ministeriets egen vurdering af forskellen (Kilde: "
            f"{SOCIO_SOURCE}).",
        ),
        Block("table", rows=[["Skoleår", "Forventet", "Faktisk", "Forskel", "Ministeriets vurdering"], *rows]),
    ]


def _peers(runner: Runner, scope: Scope, school: str, school_year: str) -> list[Block]:
    """The school beside the most similar schools across the country (aggregates only)."""
    from components import peer_sections  # its Streamlit import is not used here

    try:
        frame = peer_sections.peer_group(runner, scope, school, school_year)
    except QueryError:
        return []
    profile = frame.filter(pl.col("kind") == "profile")
    if profile.is_empty() or profile["suppressed"][0] or not profile["peers"][0]:
        return []
    profile_table, figure_table = peer_sections.peer_tables(frame)
    return [
        Block("heading", "Sammenlignelige skoler i hele landet", level=2),
        Block("paragraph", peer_sections.rule_text(profile.row(0, named=True))),
        Block("table", rows=[list(profile_table.columns), *profile_table.astype(str).values.tolist()]),
        Block("table", rows=[list(figure_table.columns), *figure_table.astype(str).values.tolist()]),
    ]


def _questions(theme: str) -> list[Block]:
    return [
        Block("heading", f"Refleksionsspørgsmål: {theme.lower()}", level=3),
        *[Block("bullet", q) for q in REFLECTION[theme]],
    ]


def build(
    runner: Runner, scope: Scope, school: dict, school_year: str, as_of: date | None = None, with_charts: bool = True
) -> Package:
    institution = school["institution_no"]
    figures = key_figures(runner, scope, institution, school_year, as_of=as_of)
    years = trend_years(runner, scope, school_year)
    frames = trend_frames(runner, scope, institution, years)
    register = efforts.load(runner, scope, institution)
    aimed = chart_efforts(register)
    images = trend_charts(frames, aimed) if with_charts else {}
    shown = {CHARTS[k][0] for k in drawable(frames)}
    title = f"Datapakke til skoleudviklingssamtalen {school_year}: {school['name']}"
    blocks = [
        Block("heading", title, level=1),
        Block("paragraph", INTERNAL),
        Block(
            "paragraph",
            f"Udarbejdet {danish_date(as_of or date.today())}. Tallene sammenligner skolen med "
            "kommunen og landet. " + NOISE_RULE,
        ),
        Block(
            "paragraph",
            "»Ikke sikker« betyder, at forskellen er inden for den statistiske usikkerhed; "
            "»ikke vurderet«, at tallet er ministeriets offentliggjorte uden oplyst "
            "usikkerhed; »–«, at der ikke er et tal (for landet: ikke offentliggjort for "
            "skoleåret).",
        ),
    ]
    blocks += data_summary.blocks(data_summary.summarise(figures, school_year, previous_year(school_year)))
    header = figure_header(school_year)
    for theme, section in THEMES:
        chosen = [f for f in figures if f.section == section]
        if theme == "Faglighed":
            public = [f for f in chosen if not f.key.startswith("test_")]
            tests = [f for f in chosen if f.key.startswith("test_")]
        else:
            public, tests = chosen, []
        blocks.append(Block("heading", theme, level=2))
        if theme == "LEAPS":
            blocks += _leaps(runner, scope, institution, school_year, bool(school.get("in_leaps", True)))
        if public and theme != "LEAPS":
            blocks.append(Block("table", rows=[header, *map(figure_row, public)]))
        chart = CHART_OF_THEME.get(theme)
        if chart and CHARTS[chart][0] in shown:
            blocks.append(Block("image", CHARTS[chart][1], rows=[[CHARTS[chart][0]]]))
        if theme == "Faglighed":
            blocks += _socio(runner, scope, institution, years)
        if tests:
            blocks.append(Block("heading", "Nationale test (fortroligt)", level=3))
            blocks.append(Block("table", rows=[header, *map(figure_row, tests)]))
        blocks += _questions(theme)
        if theme == "Fravær":  # participation follows absence and well-being, as on the Deltagelse screen
            blocks += _participation(runner, scope, institution, school_year) + _questions("Deltagelse")
    blocks += _peers(runner, scope, institution, school_year)
    blocks += _efforts(register)
    blocks.append(Block("heading", "Afrunding", level=2))
    blocks += [Block("bullet", q) for q in REFLECTION["Afrunding"]]
    blocks.append(Block("heading", "Kilder", level=2))
    blocks += [Block("bullet", s) for s in sorted({f"{f.source} ({f.measured})" for f in figures})]
    meta = Meta(
        title=title,
        school=school["name"],
        date=danish_date(as_of or date.today()),
        confidential=True,
        subject="Datapakke til skoleudviklingssamtalen",
    )
    stem = f"datapakke_{safe_name(school['name'])}_{school_year.replace('/', '-')}"
    return Package(blocks, images, meta, stem, frames, aimed)


def safe_name(text: str) -> str:
    """A file name part from a school name: letters, digits, _ and - only."""
    return re.sub(r"[^\w-]+", "_", text).strip("_")[:80] or "skole"


def _render(job: tuple) -> tuple[str, bytes, bytes]:
    """One school's files from its blocks and chart data (runs in a worker process: no store)."""
    stem, blocks, frames, meta, aimed = job
    images = trend_charts(frames, aimed)
    return stem, documents.to_docx(blocks, images, meta), documents.to_pdf(blocks, images, meta)


def _in_workers(jobs: list[tuple], workers: int) -> list[tuple]:
    """Draw the jobs in `workers` fresh interpreters (`python -m components.data_package IN OUT`):
    a clean process each, so nothing of the app (its threads, its store connection) is copied.
    A worker that fails has its share drawn here instead."""
    root = Path(__file__).resolve().parent.parent
    shares = [jobs[i::workers] for i in range(workers)]
    with tempfile.TemporaryDirectory(prefix="datapakke-") as folder:
        running = []
        for i, share in enumerate(shares):
            source, target = Path(folder) / f"{i}.in", Path(folder) / f"{i}.out"
            source.write_bytes(pickle.dumps(share))
            running.append(
                (
                    share,
                    target,
                    subprocess.Popen(
                        [sys.executable, "-m", "components.data_package", str(source), str(target)],
                        cwd=root,
                        env={**os.environ, "PYTHONPATH": str(root)},
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    ),
                )
            )
        results = []
        for share, target, process in running:
            if process.wait() == 0 and target.exists():
                results += pickle.loads(target.read_bytes())  # written by our own worker just now
            else:
                results += [_render(job) for job in share]
    order = {job[0]: i for i, job in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r[0]])


def municipality_zip(
    runner: Runner, scope: Scope, schools: list[dict], school_year: str, as_of: date | None = None, workers: int = 2
) -> bytes:
    """Every school's package as Word and PDF in one zip (the schools the caller may see). The
    figures are read here (one store connection); charts, Word and PDF, where the time goes, are
    drawn by `workers` worker processes."""
    jobs, refused = [], []
    for school in schools:
        try:
            package = build(runner, scope, school, school_year, as_of, with_charts=False)
        except QueryError as refusal:
            refused.append((school, str(refusal)))
            continue
        jobs.append((package.file_stem, package.blocks, package.chart_frames, package.meta, package.chart_efforts))
    results = _in_workers(jobs, workers) if workers > 1 and len(jobs) > 1 else [_render(job) for job in jobs]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # .docx and .pdf are compressed already
        for stem, word, pdf in results:
            archive.writestr(f"{stem}.docx", word)
            archive.writestr(f"{stem}.pdf", pdf)
        for school, refusal in refused:
            archive.writestr(f"{safe_name(school['name'])}_ikke_dannet.txt", refusal)
    return buffer.getvalue()


if __name__ == "__main__":  # a worker of municipality_zip: jobs in, files out
    jobs_in, files_out = Path(sys.argv[1]), Path(sys.argv[2])
    files_out.write_bytes(pickle.dumps([_render(job) for job in pickle.loads(jobs_in.read_bytes())]))
