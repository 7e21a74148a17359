"""The municipality's season overview: every talk with date and status, agreements per school,
and the themes that recur across the talks."""

from __future__ import annotations

import re
from collections import Counter

import polars as pl
import streamlit as st

from components import exports, tables
from components.formatting import danish_date
from components.screen import guarded
from components.session import audit_export
from queries.runner import Runner, Scope

STOPWORDS = set(
    """og i at det en den til er som på de med for af ikke der var han har om vi men et sig
hvad så kan skal vil alle også fra ved efter nu over når hvor meget mere skolen skolens elever eleverne
vores jeg du man hos op ud ind blev bliver været have været sidste år året""".split()
)


@guarded
def overview(runner: Runner, scope: Scope, year: str) -> pl.DataFrame:
    frame = runner.run("season_talks", scope, school_year=year)
    if frame.is_empty():
        st.info(f"Ingen samtaler registreret for skoleåret {year}.")
        return frame
    talks = (
        frame.group_by("school_name", "talk_date", "status")
        .agg(
            pl.col("agreement").drop_nulls().len().alias("Aftaler"),
            (pl.col("agreement_status") == "gennemført").sum().alias("Gennemført"),
        )
        .sort("talk_date")
    )
    tables.dataframe(
        talks.select(
            pl.col("school_name").alias("Skole"),
            pl.col("talk_date").map_elements(danish_date, return_dtype=pl.String).alias("Dato"),
            pl.col("status").alias("Status"),
            "Aftaler",
            "Gennemført",
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(f"Kilde: Datablik, samtaler registreret af skolerne · skoleåret {year} · n = {len(talks)} samtaler")
    return frame


def agreements(frame: pl.DataFrame) -> None:
    rows = frame.filter(pl.col("agreement").is_not_null()).select(
        pl.col("school_name").alias("Skole"),
        pl.col("agreement").alias("Aftale"),
        pl.col("owner").alias("Ansvarlig"),
        pl.col("agreement_status").alias("Status"),
    )
    tables.dataframe(rows, hide_index=True, width="stretch")


@guarded
def themes(runner: Runner, scope: Scope, year: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Themes across the talks: agenda titles that several schools share, and the words that come
    back in notes and agreements at several schools."""
    titles = runner.run("season_agenda_titles", scope, school_year=year)
    shared = (
        titles.filter(pl.col("kind").is_in(["skolens fokus", "kommunens tema", "test", "data"]))
        .group_by("title")
        .agg(pl.col("institution_no").n_unique().alias("Skoler"))
        .sort("Skoler", descending=True)
    )
    schools_per_word: dict[str, set[str]] = {}
    texts = titles.select("institution_no", pl.col("note").alias("text")).vstack(
        frame.select("institution_no", pl.col("agreement").alias("text"))
    )
    for school, text in texts.drop_nulls("text").unique().iter_rows():
        for word in set(re.findall(r"[a-zæøå]{4,}", text.lower())) - STOPWORDS:
            schools_per_word.setdefault(word, set()).add(school)
    words = Counter({w: len(s) for w, s in schools_per_word.items()})
    common = pl.DataFrame(
        {"Tema (ord)": [w for w, _ in words.most_common(12)], "Antal skoler": [n for _, n in words.most_common(12)]}
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**Dagsordenspunkter, som flere skoler har haft**")
        tables.dataframe(shared.head(12).rename({"title": "Punkt"}), hide_index=True, width="stretch")
    with right:
        st.markdown("**Ord, der går igen i noter og aftaler**")
        tables.dataframe(common, hide_index=True, width="stretch")
    return common


def workbook(frame: pl.DataFrame, year: str) -> bytes:
    """The season overview as Excel: one row per agreement, as the schools typed it."""
    table = frame.select(
        pl.col("school_name").alias("Skole"),
        pl.col("talk_date").alias("Dato"),
        pl.col("status").alias("Status"),
        pl.col("agreement").alias("Aftale"),
        pl.col("owner").alias("Ansvarlig"),
        pl.col("agreement_status").alias("Aftalens status"),
    )
    return exports.to_xlsx(
        table, "Sæson", f"Skoleudviklingssamtaler {year}", "Kilde: Datablik, samtaler registreret af skolerne", {}
    )


def download(frame: pl.DataFrame, year: str) -> None:
    st.download_button(
        "Hent sæsonoversigten som Excel",
        lambda: workbook(frame, year),  # built when clicked, not on every run of the screen
        file_name=f"saesonoversigt_{year.replace('/', '-')}.xlsx",
        key="season_xlsx",
        on_click=audit_export,
        args=(f"saesonoversigt_{year}.xlsx",),
    )
