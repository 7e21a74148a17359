"""Small helpers the data screens share: the runner's refusal shown as text, Danish series
names, source lines and formatted tables."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import polars as pl
import streamlit as st

from components import plain
from components.formatting import danish_date, number
from queries.key_figures import PUBLISHED_SOURCE
from queries.runner import QueryError, Runner, Scope, ScopeError, small_group

LEVEL_NAMES = {"skole": "Skolen", "kommune": "Kommunen", "land": "Landet"}
GRADE_BANDS = {
    "Alle klassetrin": (0, 9),
    "Indskoling (0.–3.)": (0, 3),
    "Mellemtrin (4.–6.)": (4, 6),
    "Udskoling (7.–9.)": (7, 9),
}
SUPPRESSED = small_group()
_log = logging.getLogger(__name__)


def guarded(section: Callable) -> Callable:
    """A part of a screen whose query fails shows a Danish error in its place; the rest of the
    page still renders."""

    @functools.wraps(section)
    def wrapper(*args, **kwargs):
        try:
            return section(*args, **kwargs)
        except QueryError as problem:
            _log.warning("section %s.%s failed: %s", section.__module__, section.__qualname__, problem)
            st.error(f"Denne del af siden kunne ikke vises: {plain.md(problem)}")
            return None

    return wrapper


def run_or_explain(runner: Runner, name: str, scope: Scope, **params) -> pl.DataFrame | None:
    """Run a query; if the runner refuses it for this user, say why instead."""
    try:
        return runner.run(name, scope, **params)
    except ScopeError as refusal:
        st.info(plain.md(refusal))
        return None


def with_series(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("level").replace_strict(LEVEL_NAMES).alias("Serie"))


def source_text(source: str, measured: str, n: int | None, unit: str = "elever") -> str:
    n_text = f"n = {number(n, 0)} {unit}" if n else "n = –"
    return f"Kilde: {source} · {measured} · {n_text}"


def not_shown(names: list[str], lead: str = " ", end: str = "") -> str:
    """The groups a chart leaves out for their size ("Ikke vist, færre end 5 elever: ..."), or nothing."""
    return plain.md(f"{lead}Ikke vist, {small_group()}: {', '.join(names)}{end}") if names else ""


def published_note(retrieved) -> str:
    """The attribution the ministry requires when its published figures are shown, with the retrieval date."""
    return (
        f" Kilde: {PUBLISHED_SOURCE}, hentet {danish_date(retrieved)} (offentliggjorte tal; de har ingen oplyst "
        "usikkerhed og markeres derfor ikke med ▲/▼)."
    )


def socio_reference_caption(year: str, n: int | None) -> str:
    """Under the chart of exam results against the socio-economic reference."""
    source = (
        f"Kilde: Børne- og Undervisningsministeriet, socioøkonomisk reference · maj–juni {int(year[:4]) + 1} · "
        f"n = {n} elever. "
        if n is not None
        else ""
    )
    return source + (
        "Punkter over den stiplede linje klarer sig bedre end forventet; farven viser ministeriets "
        "vurdering af, om forskellen er større end usikkerheden."
    )


def school_n(frame: pl.DataFrame, level: str = "skole") -> int | None:
    """The largest n behind the school's rows (the respondents of the whole breakdown)."""
    rows = frame.filter(pl.col("level") == level) if "level" in frame.columns else frame
    total = rows["n"].drop_nulls()
    return int(total.max()) if len(total) else None


def pupils_behind(frame: pl.DataFrame, column: str = "pupils", level: str = "skole") -> int | None:
    """The distinct pupils behind a chart whose rows share pupils (one pupil sits several exams), as
    the query counted them in `column`; a hidden row's count is emptied by the runner."""
    rows = frame.filter(pl.col("level") == level) if "level" in frame.columns else frame
    total = rows[column].drop_nulls()
    return int(total.max()) if len(total) else None


def group_total(frame: pl.DataFrame, level: str = "skole") -> int | None:
    """The pupils behind a breakdown into disjoint groups (grades, genders, classes): the sum of the
    school's shown groups, not the largest one (a hidden group's n is emptied by the runner)."""
    rows = frame.filter(pl.col("level") == level) if "level" in frame.columns else frame
    total = rows["n"].drop_nulls()
    return int(total.sum()) if len(total) else None


def with_interval(
    frame: pl.DataFrame, value: str = "mean", sd: str = "sd", n: str = "n", deff: float = 1.0, kind: str = "mean"
) -> pl.DataFrame:
    """The 95 % interval of each row's mean (or share, `kind` "pct") as columns Nedre and Øvre for the
    charts: value ± z·SE, the SE from queries/statistics.standard_error (the pupils' spread / √n, or
    √(p(1−p)/n), times √deff), the same error the coloured marks are decided with. A hidden group (no
    value) gets no interval."""
    from queries.statistics import standard_error, z

    values = frame[value].to_list()
    spreads = frame[sd].to_list() if sd in frame.columns else [None] * len(frame)
    errors = [standard_error(kind, v, s, c, deff) for v, s, c in zip(values, spreads, frame[n].to_list(), strict=True)]
    low = [None if e is None else v - z() * e for v, e in zip(values, errors, strict=True)]
    high = [None if e is None else v + z() * e for v, e in zip(values, errors, strict=True)]
    return frame.with_columns(pl.Series("Nedre", low, dtype=pl.Float64), pl.Series("Øvre", high, dtype=pl.Float64))


def with_store_interval(
    rows: pl.DataFrame, frame: pl.DataFrame, value: str, deff: float = 1.0, column: str = "mean", kind: str = "mean"
) -> pl.DataFrame:
    """The chart rows with the 95 % interval of the values computed from the store's pupils (a
    published or national value has none: it is matched on the value itself, so it gets none);
    `kind` "pct" for a share of pupils in %."""
    interval = with_series(with_interval(frame, column, deff=deff, kind=kind)).select(
        "Serie", pl.col("school_year").alias("Skoleår"), pl.col(column).alias(value), "Nedre", "Øvre"
    )
    return rows.join(interval, on=["Serie", "Skoleår", value], how="left", nulls_equal=False)


def table(frame: pl.DataFrame, columns: dict[str, tuple[str, int | None, str]]) -> pl.DataFrame:
    """A display table: {heading: (column, decimals or None for text, suffix)}; hidden values
    read 'færre end 5 elever'."""
    out = {}
    reasons = frame["suppressed_reason"].to_list() if "suppressed_reason" in frame.columns else [None] * len(frame)
    for heading, (column, decimals, suffix) in columns.items():
        values = frame[column].to_list()
        if decimals is None:
            out[heading] = [str(v) for v in values]
        else:
            out[heading] = [
                (reason or SUPPRESSED) if v is None else number(v, decimals) + suffix
                for v, reason in zip(values, reasons, strict=True)
            ]
    return pl.DataFrame(out)
