"""The Kommune screen's sections (views/kommune.py): all schools side by side, one indicator over the
years and exam results against the socio-economic reference. Its figures come from
queries/municipality.py, its charts from components/charts.py, its captions from components/screen.py;
the peer groups are components/peer_sections.py."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import pandas as pd
import polars as pl
import streamlit as st

from components import charts, download, exports, on_open, peer_sections, screen, tables
from components.formatting import format_value
from components.palette import judgement_colour
from components.screen import guarded
from queries import indicators
from queries import municipality as figures
from queries.runner import Runner, Scope
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

# The Kommune table's indicators (queries/indicators.py): key: (heading, unit, higher is better,
# the measure of its country value or None).
INDICATORS = {i.key: (i.short, i.unit, i.higher_is_better, i.key if i.national else None) for i in indicators.KOMMUNE}
DEFAULT = indicators.KOMMUNE_DEFAULT
# A municipality with more schools than this gets its small multiples when it asks for them: the
# largest one's 132 small charts cost the browser 0,4 s on every visit to Kommune (0,6 s the first).
FACETS_DRAWN_UP_TO = 24
NAMED_DEVIATING = "Navnene står ved skolerne over og under niveau; alle skoler står i tabellen øverst. "

SOURCE = (
    "Kilde: Trivselsmålingen, elevfravær, afgangsprøver, nationale test (fortroligt: kun til kommunen), "
    "LEAPS-registreringer · "
)
# The figures, for the screen (queries/municipality.py)
load, country_values, default_indicators = figures.load, figures.country_values, figures.default_indicators


def published_note(runner: Runner, scope: Scope, municipality: str, year: str) -> str:
    """The attribution the ministry requires, with the retrieval date, when its figures are shown."""
    published = figures.published(runner, scope, municipality, [year])
    return screen.published_note(published["retrieved_on"].max()) if len(published) else ""


def cell_test(row: dict | None, municipality: dict | None, deff: float = 1.0) -> Test | None:
    """The school against its municipality (which holds the school's pupils: nested), undecided."""
    if (
        not row
        or not municipality
        or row.get("suppressed")
        or row.get("value") is None
        or municipality.get("value") is None
        or row.get("sd") is None
        or municipality.get("sd") is None
    ):
        return None
    # Every cell carries the spread of its pupils' values (for a share: of their 0/100 values),
    # so one formula gives the standard error of means and shares alike.
    return compare(
        row["value"],
        standard_error("mean", row["value"], row["sd"], row["n"], deff),
        municipality["value"],
        standard_error("mean", municipality["value"], municipality["sd"], municipality["n"], deff),
        NESTED,
    )


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
        return (
            format_value(row["value"], unit) + marker + f" ({row['significance']})",
            judgement_colour(said) if marker else "",
            row["value"],
        )
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


_tables: OrderedDict[str, tuple] = OrderedDict()  # school_table's results by their inputs (below)
_tables_lock = threading.Lock()


def school_table(*args, **kwargs) -> tuple[pd.io.formats.style.Styler, pl.DataFrame]:
    """`build_school_table`, once per figures and choices: the same inputs (frames by a digest of their
    contents, so a new data version with other figures builds anew) give the kept table; a rerun or
    another user of the same municipality decides its family of comparisons once."""
    parts = [
        hashlib.blake2b(v.write_ipc(None, compression="uncompressed").getvalue()).hexdigest()
        if isinstance(v, pl.DataFrame)
        else repr(v)
        for v in (*args, *sorted(kwargs.items()))
    ]
    key = hashlib.blake2b("\x1f".join(parts).encode()).hexdigest()
    with _tables_lock:
        if (hit := _tables.get(key)) is not None:
            _tables.move_to_end(key)
            return hit
    out = build_school_table(*args, **kwargs)
    with _tables_lock:
        _tables[key] = out
        while len(_tables) > 64:
            _tables.popitem(last=False)
    return out


def build_school_table(
    frame: pl.DataFrame,
    country: pl.DataFrame,
    year: str,
    chosen: list[str],
    sort_by: str,
    effects: dict[str, float] | None = None,
) -> tuple[pd.io.formats.style.Styler, pl.DataFrame]:
    """The display table (coloured, tables.coloured) and the plain numeric table for downloads: one row per school,
    sorted by `sort_by`, then the municipality and the country as reference rows. Every cell's
    comparison with the municipality is one family (queries.statistics), decided at once;
    `effects` are the design effects per indicator (statistics.design_effects)."""
    rows = frame.filter(pl.col("school_year") == year)
    municipality = {r["indicator"]: r for r in rows.filter(pl.col("institution_no").is_null()).iter_rows(named=True)}
    cells = {
        (r["school_name"], r["indicator"]): r
        for r in rows.filter(pl.col("institution_no").is_not_null()).iter_rows(named=True)
    }
    labels = [INDICATORS[k][0] for k in chosen]
    schools = sorted({name for name, _ in cells})
    family = Family()
    tests = {
        (school, k): family.add(
            cell_test(cells.get((school, k)), municipality.get(k), deff_for(k, effects or {})) or Test(None, None)
        )
        for school in schools
        for k in chosen
    }
    family.decide()
    table = []
    for school in schools:
        triples = [
            _cell(cells.get((school, k)), tests[(school, k)], INDICATORS[k][1], INDICATORS[k][2]) for k in chosen
        ]
        table.append((school, triples))
    sort_index = chosen.index(sort_by)
    table.sort(key=lambda t: (t[1][sort_index][2] is None, -(t[1][sort_index][2] or 0)))
    for name, source in (("Kommunen", None), ("Landet", country)):
        values = [_reference_value(k, year, municipality, source) for k in chosen]
        published = [source is not None or bool(municipality.get(k, {}).get("published")) for k in chosen]
        table.append(
            (
                name,
                [
                    (
                        format_value(v, _shown_unit(INDICATORS[k][1], p)) if v is not None else "ikke offentliggjort",
                        "",
                        v,
                    )
                    for k, v, p in zip(chosen, values, published, strict=True)
                ],
            )
        )
    text = pd.DataFrame([[name] + [t[0] for t in triples] for name, triples in table], columns=["Skole", *labels])
    colour = pd.DataFrame([[""] + [t[1] for t in triples] for _, triples in table], columns=["Skole", *labels])
    numeric = pl.DataFrame(
        [[name] + [t[2] for t in triples] for name, triples in table],
        schema=["Skole", *labels],
        orient="row",
        infer_schema_length=None,
    )
    return tables.coloured(text, colour), numeric


def downloads(numeric: pl.DataFrame, chosen: list[str], municipality_name: str, year: str) -> None:
    decimals = {INDICATORS[k][0]: (2 if INDICATORS[k][1] == "score" else 1) for k in chosen}
    title = f"Skolerne i {municipality_name} Kommune, skoleåret {year}"
    left, right = st.columns(2)
    stem = f"datablik_skoler_{year.replace('/', '-')}"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    download.button(
        left,
        "Hent som Excel",
        lambda: exports.to_xlsx(numeric, "Skoler", title, SOURCE + year, decimals),
        f"{stem}.xlsx",
        xlsx,
        "mun_xlsx",
    )
    download.button(
        right, "Hent som CSV", lambda: exports.to_csv(numeric, decimals), f"{stem}.csv", "text/csv", "mun_csv"
    )


@st.fragment
def one_indicator(frame: pl.DataFrame, chosen: list[str]) -> None:
    """One indicator over the years with its own choice, as a fragment: choosing another reruns this
    part only, not the table of all schools above it."""
    indicator = st.selectbox(
        "Indikator", chosen, format_func=lambda k: INDICATORS[k][0], key="mun_one", placeholder="Vælg en mulighed"
    )
    across_years(frame, indicator)


@st.fragment
@guarded
def peers(runner: Runner, scope: Scope, schools: list[dict], year: str) -> None:
    """Comparable schools across the country for the school chosen here (a fragment, as above)."""
    school = st.selectbox(
        "Skole", schools, format_func=lambda r: r["school_name"], key="peer_school", placeholder="Vælg en mulighed"
    )
    peer_sections.section(runner, scope, school["institution_no"], year, school["school_name"])


@guarded
def across_years(frame: pl.DataFrame, indicator: str) -> None:
    label, unit, *_ = INDICATORS[indicator]
    rows = frame.filter(pl.col("indicator") == indicator)
    schools = rows.filter(pl.col("institution_no").is_not_null()).select(
        pl.col("school_name").alias("Skole"), pl.col("school_year").alias("Skoleår"), pl.col("value").alias("Værdi")
    )
    municipality = rows.filter(pl.col("institution_no").is_null()).select(
        "school_year", pl.col("value").alias("Kommunen")
    )
    data = schools.join(municipality, left_on="Skoleår", right_on="school_year", how="left")
    count = data["Skole"].n_unique()
    box = st.container()
    if count > FACETS_DRAWN_UP_TO:
        box = on_open.expander(f"Vis alle {count} skoler, én lille graf pr. skole", indicator, count)
        if box is None:  # closed: nothing built
            return
    with box:
        charts.draw(charts.school_facets(data, label, 2 if unit == "score" else 1), width="content")
        hidden = rows.filter(pl.col("suppressed") & pl.col("institution_no").is_not_null())
        st.caption(
            "Blå: skolen · stiplet orange: kommunen · "
            + SOURCE
            + "alle skoleår"
            + screen.not_shown([f"{r['school_name']} {r['school_year']}" for r in hidden.iter_rows(named=True)], " · ")
        )


@guarded
def socio_scatter(runner: Runner, scope: Scope, municipality: str, year: str) -> None:
    frame = runner.run("municipality_socio_reference", scope, municipality=municipality, school_year=year)
    published_rows = figures.published_socio(runner, scope, municipality, year, frame)
    shown = pl.concat(
        [
            frame.filter(~pl.col("suppressed")).select(
                "school_name", "expected_average", "actual", "significance", "n"
            ),
            published_rows,
        ],
        how="diagonal_relaxed",
    )
    if shown.is_empty():
        st.info("Ingen socioøkonomisk reference for skoleåret.")
        return
    data = shown.select(
        pl.col("school_name").alias("Skole"),
        pl.col("expected_average").alias("Forventet"),
        pl.col("actual").alias("Faktisk"),
        pl.col("significance").alias("Vurdering"),
    )
    charts.draw(charts.socio_reference(data))
    stored = shown.filter(pl.col("n").is_not_null())
    named = "" if charts.labelled_schools(data).height == data.height else NAMED_DEVIATING
    st.caption(
        named
        + screen.socio_reference_caption(year, int(stored["n"].sum()) if len(stored) else None)
        + screen.not_shown(frame.filter(pl.col("suppressed"))["school_name"].to_list(), " ", ".")
        + (published_note(runner, scope, municipality, year) if len(published_rows) else "")
    )
