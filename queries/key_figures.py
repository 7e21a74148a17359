"""The Overblik key figures for one school and school year, each beside municipality and
country, with the change since last year and whether differences are larger than noise.

The Overblik screen and `python -m data figures` both call `key_figures`, so they cannot
disagree.

Each figure uses the pupil-level data where the store has them for that school and year
(`basis = "elevdata"`), otherwise the ministry's published figure (`basis = "offentliggjort"`:
school, municipality and country as published, with the attribution and retrieval date). Published
figures have no published uncertainty, so their differences are never judged against noise
(`Comparison.judged = False`); only the socio-economic reference carries the ministry's own
assessment ("Over / På / Under niveau", in `significance`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

import polars as pl

from components.formatting import danish_date  # a pure text helper (no Streamlit)
from data.reference import settings
from queries import indicators, statistics
from queries.runner import Runner, Scope, ScopeError, small_group
from queries.statistics import (  # noqa: F401  (is_significant, standard_error: kept for callers)
    EXACT,
    INDEPENDENT,
    NESTED,
    NOISE_RULE,
    Family,
    Test,
    compare,
    is_significant,
    rounding_half_width,
    standard_error,
)

WELLBEING = indicators.WELLBEING  # (code, name) of the well-being indicators
TEST_SUBJECTS = indicators.TEST_SUBJECTS  # (code, name) of the national tests' subjects
PUBLISHED_SOURCE = "Uddannelsesstatistik.dk"
BASIS = {
    "elevdata": "Beregnet ud fra skolens elevdata",
    "offentliggjort": "Ministeriets offentliggjorte tal – uden oplyst usikkerhed",
}
EXAM_RULE = (
    "kun elever med en karakter i alle 8 bundne prøver tæller med, som i ministeriets "
    "gennemsnit; elever i specialklasser er ikke med"
)
NOT_PUBLISHED = "ikke offentliggjort"


# The ministry's own suppression (its rule, not our [suppression] setting).
MINISTRY_SUPPRESSED = "udeladt af ministeriet (færre end 5 elever)"


@dataclass
class Comparison:
    value: float | None
    difference: float | None = None  # school minus this value
    significant: bool = False
    n: int | None = None
    source: str | None = None
    missing_reason: str | None = None
    judged: bool = True  # False: a published figure, no uncertainty to judge by
    test: Test | None = None  # the comparison as queries.statistics judges it


@dataclass
class KeyFigure:
    key: str
    section: str
    label: str
    unit: str  # score | pct | grade | count
    higher_is_better: bool
    value: float | None
    n: int | None
    suppressed: bool
    source: str
    measured: str
    reason: str | None = None  # why value is None
    previous_value: float | None = None
    change: float | None = None
    change_significant: bool = False
    municipality: Comparison = field(default_factory=lambda: Comparison(None))
    country: Comparison = field(default_factory=lambda: Comparison(None))
    detail: str | None = None
    n_unit: str = "elever"
    basis: str = "elevdata"  # elevdata | offentliggjort (see BASIS)
    significance: str | None = None  # the ministry's own assessment, e.g. "Over niveau"
    change_test: Test | None = None

    def tests(self) -> list[Test]:
        return [t for t in (self.municipality.test, self.country.test, self.change_test) if t is not None]

    def to_json(self) -> dict:
        return asdict(self)


def previous_year(school_year: str) -> str:
    start = int(school_year[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _row(frame: pl.DataFrame, **match) -> dict | None:
    """The first row whose columns equal `match`, as a dict; a null never matches. Looked up in
    Python: the frames are a few rows, and a polars filter per column cost the Overblik ~25 ms a run."""
    if not len(frame) or any(value is None for value in match.values()):
        return None
    wanted = tuple(match.values())
    columns = [frame.get_column(key).to_list() for key in match]
    for index, values in enumerate(zip(*columns, strict=True)):
        if values == wanted:
            return frame.row(index, named=True)
    return None


def _figure(
    key,
    section,
    label,
    unit,
    higher_is_better,
    source,
    measured,
    rows_now,
    row_prev,
    row_mun,
    value_col,
    sd_col,
    country: tuple[float, str] | None,
    year,
    deff: float = 1.0,
) -> KeyFigure:
    """Assemble one figure from its school row (this and last year) and municipality row, with its
    comparisons as undecided tests (`settle` decides a page's tests at once): the municipality holds
    the school's pupils (nested), last year's pupils are another sample (independent), a published
    country value is exact but rounded."""
    value = rows_now.get(value_col) if rows_now else None
    suppressed = bool(rows_now and rows_now.get("suppressed"))
    kind = "mean" if sd_col else "pct"  # a mean of pupils' values, or a share of pupils

    def se_of(row):
        return standard_error(kind, row.get(value_col), row.get(sd_col) if sd_col else None, row.get("n"), deff)

    se = se_of(rows_now) if rows_now else None
    fig = KeyFigure(
        key,
        section,
        label,
        unit,
        higher_is_better,
        value,
        rows_now.get("n") if rows_now else None,
        suppressed,
        source,
        measured,
    )
    if value is None:
        fig.reason = small_group() if suppressed else "ingen data for skoleåret"
    if row_prev and row_prev.get(value_col) is not None:
        prev = row_prev[value_col]
        fig.previous_value = prev
        if value is not None:
            fig.change = value - prev
            fig.change_test = compare(value, se, prev, se_of(row_prev), INDEPENDENT)
    if row_mun and row_mun.get(value_col) is not None:
        mun = row_mun[value_col]
        test = compare(value, se, mun, se_of(row_mun), NESTED)
        fig.municipality = Comparison(mun, test.difference, False, row_mun.get("n"), test=test)
    else:
        fig.municipality = Comparison(None, missing_reason="ingen data")
    if country is not None:
        test = compare(value, se, country[0], None, EXACT, rounding_half_width(country[0]))
        fig.country = Comparison(country[0], test.difference, False, source=country[1], test=test)
    else:
        fig.country = Comparison(None, missing_reason=f"landstal for {year} findes ikke i referencedata")
    return fig


def settle(figures: list[KeyFigure]) -> list[KeyFigure]:
    """Decide every comparison the figures show as one family (Benjamini–Hochberg, queries.statistics)
    and copy the verdicts onto the figures."""
    family = Family()
    for fig in figures:
        family.extend(fig.tests())
    family.decide()
    for fig in figures:
        fig.municipality.significant = bool(fig.municipality.test and fig.municipality.test.significant)
        fig.country.significant = bool(fig.country.test and fig.country.test.significant)
        fig.change_significant = bool(fig.change_test and fig.change_test.significant)
    return figures


def _not_judged(fig: KeyFigure) -> KeyFigure:
    """A figure with no spread to judge by (absence kinds, published figures): no tests."""
    fig.change_test = fig.municipality.test = fig.country.test = None
    return fig


def measurement_time(source: str, school_year: str) -> str:
    """When a source was measured in a school year, in Danish."""
    start = int(school_year[:4])
    return {
        "trivsel": f"januar–marts {start + 1}",
        "fravaer": f"august {start}–juni {start + 1}",
        "test": f"foråret {start + 1}" if start <= 2022 else f"august–oktober {start}",
        "proever": f"maj–juni {start + 1}",
        "leaps": f"skoleåret {school_year}",
    }[source]


def _country_lookup(runner: Runner, scope: Scope, school_year: str, comparable: bool):
    """The published national value of a measure, when the figure is comparable with it: the
    curated national figures (data/reference/national_figures.csv) first, then a country value the
    ministry published beside the school figures of an imported file. Never an estimate."""
    rows = runner.run("national_reference_values", scope, years=[school_year])
    imported = runner.run("published_country_values", scope, years=[school_year])

    def country(measure: str) -> tuple[float, str] | None:
        if not comparable:
            return None
        row = _row(rows, measure=measure)
        if row:
            return row["value"], f"{row['source']} ({row['note']})" if row.get("note") else row["source"]
        row = _row(imported, measure=measure)
        if row:
            return row["value"], f"{PUBLISHED_SOURCE}, landstal hentet {danish_date(row['retrieved_on'])}"
        return None

    return country


class _Published:
    """The school's published figures (whole-school rows) for a set of school years."""

    def __init__(self, runner: Runner, scope: Scope, school: str, years: list[str]):
        self.school = school
        self.frame = runner.run("published_school_figures", scope, school=school, years=years)

    def row(self, measure: str, school_year: str) -> dict | None:
        rows = self.frame.filter((pl.col("measure") == measure) & (pl.col("school_year") == school_year))
        if rows.is_empty():
            return None
        whole = rows.filter(pl.col("department_no") == self.school)
        if len(whole) or len(rows) == 1:
            return (whole if len(whole) else rows).row(0, named=True)
        return {"departments": len(rows)}  # published per department only: no figure for the school


def _n_unit(measure: str) -> str:
    # The well-being cube counts answers; the Skoletal overview publishes the school's pupil count.
    if measure.startswith("wellbeing_") and measure != "wellbeing_high_share":
        return "svar"
    return "elever på skolen (elevtal)"


def _published_source(row: dict) -> str:
    return f"{PUBLISHED_SOURCE}, hentet {danish_date(row['retrieved_on'])}"


def _with_published(fig: KeyFigure, published: _Published, measure: str, school_year: str, country) -> KeyFigure:
    """Fill a figure the store has no pupil-level data for from the ministry's published figure:
    school, municipality and country as published, the change since the previous published year,
    none of it judged against noise (no uncertainty is published)."""
    if fig.value is not None or fig.suppressed:
        return fig
    now = published.row(measure, school_year)
    if now is None:
        return fig
    if "departments" in now:
        fig.reason = f"offentliggjort for hver af skolens {now['departments']} afdelinger for sig (se Kommune)"
        return fig
    fig.basis, fig.source = "offentliggjort", _published_source(now)
    if fig.unit == "score":  # the ministry publishes means on the 1-5 scale with one decimal: show no more
        fig.unit = "decimal"
    fig.value, fig.n, fig.n_unit = now["value"], now["n"], _n_unit(measure)
    fig.reason = None if fig.value is not None else MINISTRY_SUPPRESSED
    fig.previous_value = fig.change = fig.change_test = None
    fig.change_significant = False
    before = published.row(measure, previous_year(school_year))
    if before and before.get("value") is not None:
        fig.previous_value = before["value"]
        fig.change = fig.value - before["value"] if fig.value is not None else None

    def compare(value: float | None, source: str, missing: str) -> Comparison:
        if value is None:
            return Comparison(None, missing_reason=missing, judged=False)
        diff = fig.value - value if fig.value is not None else None
        return Comparison(value, diff, False, source=source, judged=False)

    fig.municipality = compare(now["municipality_value"], fig.source, NOT_PUBLISHED)
    if now["country_value"] is not None:
        fig.country = compare(now["country_value"], fig.source, NOT_PUBLISHED)
    else:
        national = country(measure)
        fig.country = compare(
            national[0] if national else None,
            national[1] if national else "",
            f"landstal for {school_year} er ikke offentliggjort",
        )
    return fig


def wellbeing_figures(
    runner: Runner,
    scope: Scope,
    school: str,
    school_year: str,
    grades: tuple[int, int] = (4, 9),
    gender: str = "alle",
    decide: bool = True,
) -> list[KeyFigure]:
    """The four indicators, generel trivsel and the share with the highest well-being. `decide`:
    the figures are the page's family of comparisons (False: the caller settles a larger one)."""
    years, prev = [school_year, previous_year(school_year)], previous_year(school_year)
    cfg = settings()
    effects = statistics.design_effects(runner, scope, school_year)
    country = _country_lookup(runner, scope, school_year, grades == (4, 9) and gender == "alle")
    wb = runner.run(
        "wellbeing_indicators_school_and_municipality",
        scope,
        school=school,
        years=years,
        grade_from=grades[0],
        grade_to=grades[1],
        gender=gender,
    )
    src = f"Trivselsmålingen, {grades[0]}.–{grades[1]}. klasse" + ("" if gender == "alle" else f", {gender}e")
    measured = measurement_time("trivsel", school_year)

    def rows(indicator):
        return (
            _row(wb, level="skole", school_year=school_year, indicator=indicator),
            _row(wb, level="skole", school_year=prev, indicator=indicator),
            _row(wb, level="kommune", school_year=school_year, indicator=indicator),
        )

    figures = [
        _figure(
            f"wellbeing_{ind}",
            "Trivsel",
            label,
            "score",
            True,
            src,
            measured,
            *rows(ind),
            "mean",
            "sd",
            country(f"wellbeing_{ind}"),
            school_year,
            statistics.deff_for(f"wellbeing_{ind}", effects),
        )
        for ind, label in WELLBEING
    ]
    threshold = _fmt(cfg["wellbeing"]["high_wellbeing_above"])
    figures.append(
        _figure(
            "wellbeing_high_share",
            "Trivsel",
            "Andel med højest trivsel",
            "pct",
            True,
            src + f" (andel elever med generel trivsel over {threshold})",
            measured,
            *rows("generel"),
            "high_share",
            None,
            country("wellbeing_high_share"),
            school_year,
            statistics.deff_for("wellbeing_high_share", effects),
        )
    )
    if grades == (4, 9) and gender == "alle":  # the ministry publishes the whole school's 4.-9.
        published = _Published(runner, scope, school, years)
        figures = [_with_published(f, published, f.key, school_year, country) for f in figures]
    return settle(figures) if decide else figures


def absence_figures(
    runner: Runner,
    scope: Scope,
    school: str,
    school_year: str,
    grades: tuple[int, int] = (0, 9),
    with_kinds: bool = False,
    decide: bool = True,
) -> list[KeyFigure]:
    years, prev = [school_year, previous_year(school_year)], previous_year(school_year)
    cfg = settings()
    effects = statistics.design_effects(runner, scope, school_year)
    country = _country_lookup(runner, scope, school_year, grades == (0, 9))
    ab = runner.run(
        "absence_school_and_municipality", scope, school=school, years=years, grade_from=grades[0], grade_to=grades[1]
    )
    args = (
        _row(ab, level="skole", school_year=school_year),
        _row(ab, level="skole", school_year=prev),
        _row(ab, level="kommune", school_year=school_year),
    )
    src, measured = f"Elevfravær, {grades[0]}.–{grades[1]}. klasse", measurement_time("fravaer", school_year)
    over = _fmt(cfg["absence"]["high_absence_above_pct"])
    parts = [("absence_total_pct", indicators.label("absence_total_pct"), "mean", "sd", "absence_total_pct")]
    if with_kinds:  # no spread per kind is stored, so these changes are never judged significant
        parts += [
            ("absence_illness_pct", "Sygefravær", "illness_mean", None, None),
            ("absence_authorised_pct", "Fravær med tilladelse", "authorised_mean", None, None),
            ("absence_unauthorised_pct", "Ulovligt fravær", "unauthorised_mean", None, None),
        ]
    parts.append(
        ("absence_over10_share", f"Elever med over {over} % fravær", "over_share", None, "absence_over10_share")
    )
    if with_kinds:
        parts.append(("absence_over15_share", "Elever med over 15 % fravær", "over15_share", None, None))
    figures = []
    for key, label, col, sd_col, ref in parts:
        fig = _figure(
            key,
            "Fravær",
            label,
            "pct",
            False,
            src,
            measured,
            *args,
            col,
            sd_col,
            country(ref) if ref else None,
            school_year,
            statistics.deff_for(key, effects),
        )
        if col.endswith("_mean") and sd_col is None:
            fig = _not_judged(fig)
        figures.append(fig)
    if grades == (0, 9):  # the ministry publishes the total absence of the whole school
        published = _Published(runner, scope, school, years)
        figures = [_with_published(f, published, f.key, school_year, country) for f in figures]
    return settle(figures) if decide else figures


def key_figures(
    runner: Runner, scope: Scope, school: str, school_year: str, as_of: date | None = None
) -> list[KeyFigure]:
    years = [school_year, previous_year(school_year)]
    """Every key figure of the Overblik; their comparisons are one family (the page's)."""
    figures = wellbeing_figures(runner, scope, school, school_year, decide=False)
    figures += absence_figures(runner, scope, school, school_year, decide=False)
    figures.append(exam_figure(runner, scope, school, school_year, decide=False))
    figures.append(socio_figure(runner, scope, school, school_year))
    figures += test_figures(runner, scope, school, school_year, decide=False)
    figures.append(_leaps_figure(runner, scope, school, school_year, years, as_of or date.today()))
    return settle(figures)


def exam_figure(runner: Runner, scope: Scope, school: str, school_year: str, decide: bool = True) -> KeyFigure:
    """The bound-subjects average by the ministry's rule (EXAM_RULE), else the published one."""
    years, prev = [school_year, previous_year(school_year)], previous_year(school_year)
    country = _country_lookup(runner, scope, school_year, True)
    ex = runner.run("exam_bound_average_school_and_municipality", scope, school=school, years=years)
    fig = _figure(
        "exam_bound_average",
        "Faglighed",
        "Karaktergennemsnit, bundne prøver",
        "grade",
        True,
        f"Folkeskolens afgangsprøver, 9. klasse ({EXAM_RULE})",
        measurement_time("proever", school_year),
        _row(ex, level="skole", school_year=school_year),
        _row(ex, level="skole", school_year=prev),
        _row(ex, level="kommune", school_year=school_year),
        "mean",
        "sd",
        country("exam_bound_average"),
        school_year,
        statistics.deff_for("exam_bound_average", statistics.design_effects(runner, scope, school_year)),
    )
    fig = _with_published(fig, _Published(runner, scope, school, years), fig.key, school_year, country)
    return settle([fig])[0] if decide else fig


SOCIO_SOURCE = "Børne- og Undervisningsministeriet, socioøkonomisk reference"


def socio_figure(runner: Runner, scope: Scope, school: str, school_year: str) -> KeyFigure:
    """The exam average against the socio-economic reference (actual minus expected, grade points),
    with the ministry's own assessment of it: "Over / På / Under niveau"."""
    prev = previous_year(school_year)
    fig = KeyFigure(
        "socio_difference",
        "Faglighed",
        "Forskel til socioøkonomisk reference",
        "grade",
        True,
        None,
        None,
        False,
        SOCIO_SOURCE,
        measurement_time("proever", school_year),
        basis="offentliggjort",
    )
    fig.municipality = Comparison(None, missing_reason=NOT_PUBLISHED, judged=False)
    fig.country = Comparison(None, missing_reason=NOT_PUBLISHED, judged=False)
    stored = runner.run("socio_reference_by_year", scope, school=school)
    now, before = _row(stored, school_year=school_year), _row(stored, school_year=prev)
    if now is not None:
        fig.n, fig.suppressed = now["n"], bool(now["suppressed"])
        expected, fig.value, fig.significance = now["expected_average"], now["difference"], now["significance"]
    else:
        published = _Published(runner, scope, school, [school_year, prev])
        now, before = published.row("socio_difference", school_year), published.row("socio_difference", prev)
        if now is not None and "departments" in now:
            fig.reason = f"offentliggjort for hver af skolens {now['departments']} afdelinger for sig (se Kommune)"
            return fig
        if now is None:
            fig.reason = "ingen socioøkonomisk reference for skoleåret"
            return fig
        reference = published.row("socio_expected", school_year) or {}
        fig.source, fig.n, fig.n_unit = _published_source(now), now["n"], _n_unit("socio_difference")
        expected, fig.value = reference.get("value"), now["value"]
        fig.significance = now["note"] if fig.value is not None else None
    if fig.value is None:
        fig.reason = small_group() if fig.suppressed else MINISTRY_SUPPRESSED
        return fig
    fig.detail = f"Ministeriets vurdering: {fig.significance}" + (
        f" (forventet gennemsnit {_fmt(round(expected, 1))})" if expected is not None else ""
    )
    value_before = before.get("difference", before.get("value")) if before else None
    if value_before is not None:
        fig.previous_value, fig.change = value_before, fig.value - value_before
    return fig


def test_figures(runner: Runner, scope: Scope, school: str, school_year: str, decide: bool = True) -> list[KeyFigure]:
    """National-test shares per subject; roles without a right to school totals get the reason."""
    years, prev = [school_year, previous_year(school_year)], previous_year(school_year)
    effects = statistics.design_effects(runner, scope, school_year)
    country = _country_lookup(runner, scope, school_year, True)
    try:
        nt = runner.run("national_test_bands_school_and_municipality", scope, school=school, years=years)
    except ScopeError as refusal:
        nt, reason = None, str(refusal)
    figures = []
    for subject, label in TEST_SUBJECTS:
        rows = (
            (
                _row(nt, level="skole", school_year=school_year, subject=subject),
                _row(nt, level="skole", school_year=prev, subject=subject),
                _row(nt, level="kommune", school_year=school_year, subject=subject),
            )
            if nt is not None
            else (None, None, None)
        )
        src = "Nationale overgangstest (fortroligt)"
        for col, what, better, ref in (
            ("good_share", "andel gode", True, f"test_good_share_{subject}"),
            ("top_share", "andel dygtigste", True, None),
            ("bottom_share", "andel dårligste", False, None),
        ):
            fig = _figure(
                f"test_{col}_{subject}",
                "Faglighed",
                f"{label}: {what}",
                "pct",
                better,
                src,
                measurement_time("test", school_year),
                *rows,
                col,
                None,
                country(ref) if ref else None,
                school_year,
                statistics.deff_for(f"test_{col}_{subject}", effects),
            )
            if nt is None:
                fig.reason = reason
            figures.append(fig)
    return settle(figures) if decide else figures


def _leaps_figure(runner, scope, school, school_year, years, as_of) -> KeyFigure:
    lp = runner.run("leaps_courses_done_vs_required", scope, school=school, years=years, as_of=as_of)
    now = _row(lp, school_year=school_year)
    fig = KeyFigure(
        "leaps_courses_done",
        "LEAPS",
        "LEAPS-forløb gennemført",
        "count",
        True,
        None,
        None,
        False,
        "LEAPS-forløb registreret af skolen",
        measurement_time("leaps", school_year),
    )
    fig.country = Comparison(None, missing_reason="ingen landstal for LEAPS")
    fig.municipality = Comparison(None, missing_reason="sammenlignes ikke på tværs af skoler")
    if not now or not now["in_programme"]:
        fig.reason = "skolen er ikke med i LEAPS i skoleåret"
        return fig
    fig.value, fig.n, fig.n_unit = float(now["courses_done"]), now["year_groups"], "årgange"
    fig.detail = (
        f"af {now['courses_required']} krævede forløb "
        f"({now['year_groups']} årgange × {now['courses_required'] // max(now['year_groups'], 1)})"
    )
    before = _row(lp, school_year=years[1])
    if before and before["in_programme"]:
        fig.previous_value = float(before["courses_done"])
        fig.change = fig.value - fig.previous_value
    return fig


def _fmt(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def with_published_trend(
    runner: Runner, scope: Scope, school: str, years: list[str], measure: str, rows: pl.DataFrame, value: str
) -> tuple[pl.DataFrame, str]:
    """A trend chart's rows (Serie, Skoleår, `value`) with the ministry's published school,
    municipality and country values added for the years the store has no pupil-level figure for
    the school; and the attribution to add to the source line ("" when nothing was added)."""
    published = runner.run("published_school_figures", scope, school=school, years=years).filter(
        (pl.col("measure") == measure) & (pl.col("department_no") == school)
    )
    have = set(rows.filter((pl.col("Serie") == "Skolen") & pl.col(value).is_not_null())["Skoleår"])
    published = published.filter(~pl.col("school_year").is_in(sorted(have)))
    if published.is_empty():
        return rows, ""
    added = pl.concat(
        [
            published.select(
                pl.lit(serie).alias("Serie"), pl.col("school_year").alias("Skoleår"), pl.col(column).alias(value)
            )
            for serie, column in (("Skolen", "value"), ("Kommunen", "municipality_value"), ("Landet", "country_value"))
        ]
    ).drop_nulls(value)
    # Those years' school and municipality as published; a curated national figure stays as it is.
    published_years = sorted(published["school_year"].unique())
    kept = rows.filter(~(pl.col("Serie").is_in(["Skolen", "Kommunen"]) & pl.col("Skoleår").is_in(published_years)))
    added = added.join(kept.select("Serie", "Skoleår"), on=["Serie", "Skoleår"], how="anti")
    note = (
        f" · offentliggjorte tal for {', '.join(published_years)}: "
        f"Kilde: {PUBLISHED_SOURCE}, hentet {danish_date(published['retrieved_on'].max())}"
    )
    return pl.concat([kept, added.cast(kept.schema, strict=False)], how="diagonal_relaxed").sort("Skoleår"), note
