"""Schools like this one across the country (queries/peer_group.sql), as the ministry compares:
the school's figures beside the mean of the most similar schools and its place among them. Only
aggregates: no other school is named or shown on its own, for the leader and the kommune alike."""

from __future__ import annotations

import pandas as pd
import polars as pl
import streamlit as st

from components import plain, tables
from components.formatting import format_change, format_value, number
from components.screen import guarded
from queries import indicators
from queries.runner import Runner, Scope, small_group

PEERS = 10  # the ministry-like group: the ten most similar schools
MIN_PEERS = 5  # a peer mean is shown only over at least this many schools with a figure
LABELS = {i.key: (i.peer_label, i.unit) for i in indicators.PEERS}  # the measures of queries/peer_group.sql
RULE = (
    "Sammenlignelige skoler er de {k} folkeskoler i hele landet (af {schools} med en profil i Datablik), "
    "der ligner skolen mest på tre ting, som ministeriet også bruger: det forventede karaktergennemsnit ud "
    "fra elevernes baggrund (den socioøkonomiske reference), andelen af elever med et andet modersmål end "
    "dansk og skolens størrelse (elevtal). Hver ting tæller lige meget (målt i standardafvigelser over alle "
    "skoler; størrelsen på logaritmisk skala). Der vises kun gennemsnittet af de {k} skoler og skolens "
    "plads blandt dem – aldrig en enkelt anden skoles tal eller navn."
)


def peer_group(runner: Runner, scope: Scope, school: str, school_year: str) -> pl.DataFrame:
    """The peer group's rows for a school and year; in a small store (under 21 schools with a profile)
    the peers are half of the other schools, so the group never is simply everyone else."""
    frame = runner.run("peer_group", scope, school=school, school_year=school_year, k=PEERS, min_peers=MIN_PEERS)
    profile = frame.filter(pl.col("kind") == "profile")
    if len(profile) and (schools := profile["schools"][0]) is not None and schools - 1 < 2 * PEERS:
        k = max((schools - 1) // 2, 1)
        frame = runner.run(
            "peer_group", scope, school=school, school_year=school_year, k=k, min_peers=min(MIN_PEERS, k)
        )
    return frame


def rule_text(profile: dict) -> str:
    text = RULE.format(k=profile["peers"], schools=profile["schools"])
    if profile.get("school_bilingual_share") is None:
        text += (
            " Skolen har ingen elevdata i Datablik, så den er sammenlignet på reference og størrelse "
            "(ministeriets offentliggjorte tal)."
        )
    return text


def peer_tables(frame: pl.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(profile table, figures table) as display text."""
    profile = frame.filter(pl.col("kind") == "profile").row(0, named=True)
    profile_rows = [
        {
            "": "Forventet gennemsnit (socioøk. reference)",
            "Skolen": format_value(profile["school_value"], "grade"),
            "Lignende skoler (gennemsnit)": format_value(profile["peer_value"], "grade"),
        },
        {
            "": "Andet modersmål end dansk",
            "Skolen": format_value(profile["school_bilingual_share"], "pct")
            if profile["school_bilingual_share"] is not None
            else "ikke i Datablik",
            "Lignende skoler (gennemsnit)": format_value(profile["peer_bilingual_share"], "pct")
            if profile["peer_bilingual_share"] is not None
            else "–",
        },
        {
            "": "Elevtal",
            "Skolen": number(profile["school_pupils"], 0),
            "Lignende skoler (gennemsnit)": number(profile["peer_pupils"], 0),
        },
    ]
    figures = []
    for row in frame.filter(pl.col("kind") == "indicator").iter_rows(named=True):
        label, unit = LABELS[row["indicator"]]
        own, peers = row["school_value"], row["peer_value"]
        shown = small_group() if row["suppressed"] else format_value(own, unit) if own is not None else "ingen tal"
        figures.append(
            {
                "Nøgletal": label,
                "Skolen": shown + (" (offentliggjort)" if row["school_published"] else ""),
                "Lignende skoler (gennemsnit)": format_value(peers, unit)
                if peers is not None
                else f"færre end {MIN_PEERS} skoler med tal",
                "Forskel": format_change(own - peers, unit) if own is not None and peers is not None else "–",
                "Skolens plads": f"{row['place']}. af {row['ranked']}" if row["place"] is not None else "–",
            }
        )
    return pd.DataFrame(profile_rows), pd.DataFrame(figures)


@guarded
def section(runner: Runner, scope: Scope, school: str, school_year: str, school_name: str | None = None) -> None:
    """The peer group on a screen; `school_name` (where the screen picks the school) heads it."""
    frame = peer_group(runner, scope, school, school_year)
    profile = frame.filter(pl.col("kind") == "profile")
    if profile.is_empty() or profile["suppressed"][0] or not profile["peers"][0]:
        st.info(
            "Skolen har ingen socioøkonomisk reference eller elevtal for skoleåret, så der kan ikke findes "
            "sammenlignelige skoler."
        )
        return
    profile_table, figure_table = peer_tables(frame)
    if school_name:
        st.markdown(f"**{plain.md(school_name)}** og de skoler i landet, der ligner den mest")
    st.markdown(rule_text(profile.row(0, named=True)))
    left, right = st.columns([5, 7])
    with left:
        tables.dataframe(profile_table, hide_index=True, width="stretch")
    with right:
        tables.dataframe(figure_table, hide_index=True, width="stretch")
    st.caption(
        f"Kilde: Datablik, elevdata og ministeriets offentliggjorte tal · skoleåret {school_year} · "
        "»Skolens plads« tæller 1 som bedst (lavest fravær). Gennemsnittet er et simpelt gennemsnit af "
        "skolernes tal; forskellen til det er ikke vurderet mod usikkerheden og er derfor ikke farvet."
    )
