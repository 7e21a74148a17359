"""The parts of the Kommune screen: all schools side by side, one indicator over the years and
exam results against the socio-economic reference (peer groups: components/peer_sections.py)."""
from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import polars as pl
import streamlit as st

from components import charts, exports, plain
from components.formatting import danish_date, format_value
from components.palette import MUNICIPALITY, SCHOOL, judgement_colour, verdict_scale
from components.screen import guarded
from components.session import audit_export
from queries.runner import Runner, Scope, small_group
from queries.statistics import (
    NESTED,
    Family,
    Test,
    Verdict,
    compare,
    deff_for,
    ministry_verdict,
    standard_error,
    verdict,
)

# key: (label, unit, higher is better, national reference measure)
INDICATORS = {
    "wellbeing_generel": ("Generel trivsel", "score", True, "wellbeing_generel"),
    "wellbeing_high_share": ("Højest trivsel", "pct", True, "wellbeing_high_share"),
    "absence_total_pct": ("Fravær", "pct", False, "absence_total_pct"),
    "absence_over10_share": ("Over 10 % fravær", "pct", False, "absence_over10_share"),
    "exam_bound_average": ("Karaktergennemsnit", "grade", True, "exam_bound_average"),
    "test_good_share_dansk_laesning": ("Læsning, andel gode", "pct", True, "test_good_share_dansk_laesning"),
    "test_good_share_matematik": ("Matematik, andel gode", "pct", True, "test_good_share_matematik"),
    "general_class_share": ("I almenklasser", "pct", True, None),
    "reduced_timetable_share": ("Nedsat skema", "pct", False, None),
    "leaps_done_share": ("LEAPS-forløb gennemført", "pct", True, None),
    # Published by the ministry only (imported from uddannelsesstatistik.dk):
    "pupils": ("Elevtal", "count", True, "pupils"),
    "class_size": ("Klassekvotient", "decimal", True, "class_size"),
    "socio_difference": ("Forskel til socioøk. reference", "grade", True, "socio_difference"),
    "competence_coverage": ("Kompetencedækning", "pct", True, "competence_coverage"),
    "transition_share": ("Overgang til ungdomsuddannelse", "pct", True, "transition_share"),
}
PUBLISHED_SOURCE = "Kilde: Uddannelsesstatistik.dk"
DEFAULT = ["wellbeing_generel", "absence_total_pct", "exam_bound_average", "socio_difference",
           "test_good_share_dansk_laesning", "leaps_done_share"]
SOURCE = ("Kilde: Trivselsmålingen, elevfravær, afgangsprøver, nationale test (fortroligt: kun til kommunen), "
          "LEAPS-registreringer · ")


def load(runner: Runner, scope: Scope, municipality: str, years: list[str]) -> pl.DataFrame:
    frame = runner.run("municipality_school_indicators", scope, municipality=municipality, years=years)
    leaps = []
    for year in years:
        status = runner.run("municipality_leaps_status", scope, municipality=municipality, school_year=year,
                            as_of=date.today())
        leaps.append(status.select(pl.lit(year).alias("school_year"), "institution_no", "school_name",
                                   pl.lit("leaps_done_share").alias("indicator"),
                                   (pl.col("courses_done") * 100.0 / pl.col("courses_required")).alias("value"),
                                   pl.lit(None, pl.Float64).alias("sd"), pl.col("courses_required").cast(pl.Int64)
                                   .alias("n"), pl.lit(False).alias("suppressed")))
    frame = pl.concat([frame, *leaps], how="diagonal_relaxed").with_columns(pl.lit(False).alias("published"))
    return with_published(frame, published(runner, scope, municipality, years))


def default_indicators(frame: pl.DataFrame, year: str, most: int = 6) -> list[str]:
    """The usual indicators that have figures this year, then any other indicator with figures
    (a municipality with only published figures gets the published measures)."""
    available = set(frame.filter((pl.col("school_year") == year) & pl.col("value").is_not_null())["indicator"])
    chosen = [k for k in DEFAULT if k in available]
    chosen += [k for k in INDICATORS if k in available and k not in chosen]
    return chosen[:most] or DEFAULT


def published(runner: Runner, scope: Scope, municipality: str, years: list[str]) -> pl.DataFrame:
    return runner.run("municipality_published_figures", scope, municipality=municipality, years=years)


def with_published(frame: pl.DataFrame, figures: pl.DataFrame) -> pl.DataFrame:
    """Add the ministry's published figures where the store has no pupil-level figure for that school,
    year and indicator (pupil-level figures carry their spread, so only they can be judged against noise)."""
    if figures.is_empty():
        return frame
    keys = ["school_year", "institution_no", "indicator"]
    have = frame.filter(pl.col("value").is_not_null() | pl.col("suppressed"))
    schools = figures.filter(pl.col("value").is_not_null()).join(
        have.filter(pl.col("institution_no").is_not_null()).select(keys), on=keys, how="anti").select(
        "school_year", "institution_no", "school_name", "indicator", "value", pl.lit(None, pl.Float64).alias("sd"),
        pl.col("n").cast(pl.Int64), pl.lit(False).alias("suppressed"), pl.lit(True).alias("published"),
        # the ministry's own assessment, published only for the socio-economic reference
        pl.when(pl.col("indicator") == "socio_difference").then(pl.col("note")).alias("significance"))
    municipality = figures.filter(pl.col("municipality_value").is_not_null()).group_by("school_year", "indicator").agg(
        pl.col("municipality_value").first().alias("value")).join(
        have.filter(pl.col("institution_no").is_null()).select("school_year", "indicator"),
        on=["school_year", "indicator"], how="anti").select(
        "school_year", pl.lit(None, pl.String).alias("institution_no"), pl.lit("Kommunen").alias("school_name"),
        "indicator", "value", pl.lit(None, pl.Float64).alias("sd"), pl.lit(None, pl.Int64).alias("n"),
        pl.lit(False).alias("suppressed"), pl.lit(True).alias("published"))
    return pl.concat([frame, schools, municipality], how="diagonal_relaxed")


def country_values(runner: Runner, scope: Scope, municipality: str, years: list[str]) -> pl.DataFrame:
    """National reference values; a published country value from an import fills a year the
    configured national figures do not cover."""
    country = runner.run("national_reference_values", scope, years=years)
    figures = published(runner, scope, municipality, years).filter(pl.col("country_value").is_not_null())
    if figures.is_empty():
        return country
    imported = figures.group_by("school_year", pl.col("indicator").alias("measure")).agg(
        pl.col("country_value").first().alias("value"), pl.col("retrieved_on").max())
    imported = imported.join(country.select("measure", "school_year"), on=["measure", "school_year"], how="anti")
    return pl.concat([country, imported.select(
        "measure", "school_year", "value", pl.lit(PUBLISHED_SOURCE.removeprefix("Kilde: ")).alias("source"),
        pl.format("hentet {}", pl.col("retrieved_on").dt.strftime("%d.%m.%Y")).alias("note"))], how="diagonal_relaxed")


def published_note(runner: Runner, scope: Scope, municipality: str, year: str) -> str:
    """The attribution the ministry requires, with the retrieval date, when its figures are shown."""
    figures = published(runner, scope, municipality, [year])
    if figures.is_empty():
        return ""
    retrieved = figures["retrieved_on"].max()
    return (f" {PUBLISHED_SOURCE}, hentet {danish_date(retrieved)} (offentliggjorte tal; de har ingen oplyst "
            "usikkerhed og markeres derfor ikke med ▲/▼).")


def cell_test(row: dict | None, municipality: dict | None, deff: float = 1.0) -> Test | None:
    """The school against its municipality (which holds the school's pupils: nested), undecided."""
    if (not row or not municipality or row.get("suppressed") or row.get("value") is None
            or municipality.get("value") is None or row.get("sd") is None or municipality.get("sd") is None):
        return None
    # Every cell carries the spread of its pupils' values (for a share: of their 0/100 values),
    # so one formula gives the standard error of means and shares alike.
    return compare(row["value"], standard_error("mean", row["value"], row["sd"], row["n"], deff),
                   municipality["value"], standard_error("mean", municipality["value"], municipality["sd"],
                                                         municipality["n"], deff), NESTED)


def _judge(test: Test | None, higher: bool) -> tuple[str, str]:
    """(marker, colour) from the decided test: only a difference larger than noise is marked."""
    said = verdict(test, higher)
    if said not in (Verdict.BETTER, Verdict.WORSE):
        return "", ""
    return (" ▲" if test.difference > 0 else " ▼"), judgement_colour(said)


def _shown_unit(unit: str, published: bool) -> str:
    """The ministry publishes means on the 1-5 scale with one decimal: a published one shows no more."""
    return "decimal" if published and unit == "score" else unit


def _cell(row: dict | None, test: Test | None, unit: str, higher: bool) -> tuple[str, str, float | None]:
    """(text, colour, number) of one school's cell."""
    if row is None:
        return "–", "", None
    unit = _shown_unit(unit, bool(row.get("published")))
    if row["suppressed"]:
        return row["suppressed_reason"], "", None
    if row.get("significance"):  # the ministry's assessment, in its words; coloured where it says over/under
        said = ministry_verdict(row["significance"])
        marker = {Verdict.BETTER: " ▲", Verdict.WORSE: " ▼"}.get(said, "")
        return (format_value(row["value"], unit) + marker + f" ({row['significance']})",
                judgement_colour(said) if marker else "", row["value"])
    marker, colour = _judge(test, higher)
    return format_value(row["value"], unit) + marker, colour, row["value"]


def _reference_value(key: str, year: str, municipality: dict, country: pl.DataFrame | None) -> float | None:
    if country is None:
        return municipality.get(key, {}).get("value")
    measure = INDICATORS[key][3]
    if measure is None:
        return None
    ref = country.filter((pl.col("measure") == measure) & (pl.col("school_year") == year))
    return ref["value"][0] if len(ref) else None


def school_table(frame: pl.DataFrame, country: pl.DataFrame, year: str, chosen: list[str],
                 sort_by: str, effects: dict[str, float] | None = None
                 ) -> tuple[pd.io.formats.style.Styler, pl.DataFrame]:
    """The display table (styled) and the plain numeric table for downloads: one row per school,
    sorted by `sort_by`, then the municipality and the country as reference rows. Every cell's
    comparison with the municipality is one family (queries.statistics), decided at once;
    `effects` are the design effects per indicator (statistics.design_effects)."""
    rows = frame.filter(pl.col("school_year") == year)
    municipality = {r["indicator"]: r for r in rows.filter(pl.col("institution_no").is_null()).iter_rows(named=True)}
    cells = {(r["school_name"], r["indicator"]): r for r in rows.filter(pl.col("institution_no").is_not_null())
             .iter_rows(named=True)}
    labels = [INDICATORS[k][0] for k in chosen]
    schools = sorted({name for name, _ in cells})
    family = Family()
    tests = {(school, k): family.add(cell_test(cells.get((school, k)), municipality.get(k),
                                               deff_for(k, effects or {})) or Test(None, None))
             for school in schools for k in chosen}
    family.decide()
    table = []
    for school in schools:
        triples = [_cell(cells.get((school, k)), tests[(school, k)], INDICATORS[k][1], INDICATORS[k][2])
                   for k in chosen]
        table.append((school, triples))
    sort_index = chosen.index(sort_by)
    table.sort(key=lambda t: (t[1][sort_index][2] is None, -(t[1][sort_index][2] or 0)))
    for name, source in (("Kommunen", None), ("Landet", country)):
        values = [_reference_value(k, year, municipality, source) for k in chosen]
        published = [source is not None or bool(municipality.get(k, {}).get("published")) for k in chosen]
        table.append((name, [(format_value(v, _shown_unit(INDICATORS[k][1], p)) if v is not None
                              else "ikke offentliggjort", "", v)
                             for k, v, p in zip(chosen, values, published, strict=True)]))
    text = pd.DataFrame([[name] + [t[0] for t in triples] for name, triples in table], columns=["Skole", *labels])
    colour = pd.DataFrame([[""] + [t[1] for t in triples] for _, triples in table], columns=["Skole", *labels])
    numeric = pl.DataFrame([[name] + [t[2] for t in triples] for name, triples in table],
                           schema=["Skole", *labels], orient="row", infer_schema_length=None)
    styled = text.style.apply(lambda _: colour.map(lambda c: f"color: {c}; font-weight: 700" if c else ""), axis=None)
    return styled, numeric


def downloads(numeric: pl.DataFrame, chosen: list[str], municipality_name: str, year: str) -> None:
    decimals = {INDICATORS[k][0]: (2 if INDICATORS[k][1] == "score" else 1) for k in chosen}
    title = f"Skolerne i {municipality_name} Kommune, skoleåret {year}"
    left, right = st.columns(2)
    left.download_button("Hent som Excel", exports.to_xlsx(numeric, "Skoler", title, SOURCE + year, decimals),
                         file_name=f"datablik_skoler_{year.replace('/', '-')}.xlsx", on_click=audit_export,
                         args=(f"datablik_skoler_{year}.xlsx",),
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    right.download_button("Hent som CSV", exports.to_csv(numeric, decimals),
                          file_name=f"datablik_skoler_{year.replace('/', '-')}.csv", mime="text/csv",
                          on_click=audit_export, args=(f"datablik_skoler_{year}.csv",))


@guarded
def across_years(frame: pl.DataFrame, indicator: str) -> None:
    label, unit, *_ = INDICATORS[indicator]
    rows = frame.filter(pl.col("indicator") == indicator)
    schools = rows.filter(pl.col("institution_no").is_not_null()).select(
        pl.col("school_name").alias("Skole"), pl.col("school_year").alias("Skoleår"), pl.col("value").alias("Værdi"))
    municipality = rows.filter(pl.col("institution_no").is_null()).select(
        "school_year", pl.col("value").alias("Kommunen"))
    data = schools.join(municipality, left_on="Skoleår", right_on="school_year", how="left")
    decimals = 2 if unit == "score" else 1
    base = alt.Chart(data).encode(x=alt.X("Skoleår:N", title=None, axis=alt.Axis(labelAngle=-45, labelFontSize=12)))
    lines = base.mark_line(point=True, color=SCHOOL, strokeWidth=3).encode(
        y=alt.Y("Værdi:Q", title=label, scale=alt.Scale(zero=False), axis=charts.number_axis(decimals)))
    reference = base.mark_line(color=MUNICIPALITY, strokeDash=[5, 4], strokeWidth=2).encode(y="Kommunen:Q")
    chart = alt.layer(lines, reference, data=data).properties(width=220, height=160).facet(
        facet=alt.Facet("Skole:N", title=None, header=alt.Header(labelFontSize=16)), columns=4)
    charts.draw(charts.not_from_zero(chart.configure_axis(labelFontSize=13, titleFontSize=14)), width="content")
    hidden = rows.filter(pl.col("suppressed") & pl.col("institution_no").is_not_null())
    hidden_names = [f"{r['school_name']} {r['school_year']}" for r in hidden.iter_rows(named=True)]
    note = (f" · Ikke vist, {small_group()}: " + ", ".join(hidden_names)) if hidden_names else ""
    st.caption("Blå: skolen · stiplet orange: kommunen · " + SOURCE + "alle skoleår" + plain.md(note))


@guarded
def socio_scatter(runner: Runner, scope: Scope, municipality: str, year: str) -> None:
    frame = runner.run("municipality_socio_reference", scope, municipality=municipality, school_year=year)
    published_rows = published_socio(runner, scope, municipality, year, frame)
    shown = pl.concat([frame.filter(~pl.col("suppressed")).select("school_name", "expected_average", "actual",
                                                                   "significance", "n"), published_rows],
                      how="diagonal_relaxed")
    if shown.is_empty():
        st.info("Ingen socioøkonomisk reference for skoleåret.")
        return
    data = shown.select(pl.col("school_name").alias("Skole"), pl.col("expected_average").alias("Forventet"),
                        pl.col("actual").alias("Faktisk"), pl.col("significance").alias("Vurdering"))
    low, high = float(min(data["Forventet"].min(), data["Faktisk"].min())) - 0.3, float(max(
        data["Forventet"].max(), data["Faktisk"].max())) + 0.3
    scale = alt.Scale(domain=[low, high])
    points = alt.Chart(data).mark_point(size=220, filled=True).encode(
        x=alt.X("Forventet:Q", title="Forventet gennemsnit (socioøkonomisk reference)", scale=scale,
                axis=charts.number_axis(1)),
        y=alt.Y("Faktisk:Q", title="Faktisk gennemsnit", scale=scale, axis=charts.number_axis(1)),
        color=alt.Color("Vurdering:N", title=None, scale=_ministry_scale()),
        tooltip=["Skole:N", "Vurdering:N"])
    labels = alt.Chart(data).mark_text(dx=10, align="left", fontSize=14).encode(
        x=alt.X("Forventet:Q", scale=scale), y=alt.Y("Faktisk:Q", scale=scale), text="Skole:N")
    line = alt.Chart(pd.DataFrame({"v": [low, high]})).mark_line(color="#1a1a1a", strokeDash=[6, 4]).encode(
        x=alt.X("v:Q", scale=scale), y=alt.Y("v:Q", scale=scale))
    charts.draw(charts.configure(line + points + labels, 460))
    hidden = frame.filter(pl.col("suppressed"))["school_name"].to_list()
    stored = shown.filter(pl.col("n").is_not_null())
    source = (f"Kilde: Børne- og Undervisningsministeriet, socioøkonomisk reference · maj–juni {int(year[:4]) + 1} · "
              f"n = {int(stored['n'].sum())} elever. " if len(stored) else "")
    st.caption(source + "Punkter over den stiplede linje klarer sig bedre end forventet; farven viser ministeriets "
               "vurdering af, om forskellen er større end usikkerheden."
               + (f" Ikke vist, {small_group()}: {plain.md(', '.join(hidden))}." if hidden else "")
               + (published_note(runner, scope, municipality, year) if len(published_rows) else ""))


def _ministry_scale() -> alt.Scale:
    domain, colours = verdict_scale({w: ministry_verdict(w) for w in ["Over niveau", "På niveau", "Under niveau"]})
    return alt.Scale(domain=domain, range=colours)


def published_socio(runner: Runner, scope: Scope, municipality: str, year: str, stored: pl.DataFrame) -> pl.DataFrame:
    """The published expected average, difference and the ministry's assessment for the schools the
    store holds no socio-economic reference for (Skoletal: Socioøkonomisk reference, Forskel, Signifikant forskel)."""
    figures = published(runner, scope, municipality, [year]).filter(
        pl.col("indicator").is_in(["socio_expected", "socio_difference"]) & pl.col("value").is_not_null())
    expected = figures.filter(pl.col("indicator") == "socio_expected").select(
        "institution_no", "school_name", pl.col("value").alias("expected_average"))
    difference = figures.filter(pl.col("indicator") == "socio_difference").select(
        "institution_no", "school_name", pl.col("value").alias("difference"), pl.col("note").alias("significance"))
    rows = expected.join(difference, on=["institution_no", "school_name"]).join(
        stored.select("institution_no"), on="institution_no", how="anti")
    return rows.select("school_name", "expected_average",
                       (pl.col("expected_average") + pl.col("difference")).alias("actual"), "significance",
                       pl.lit(None, pl.Int64).alias("n"))
