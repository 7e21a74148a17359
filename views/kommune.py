"""Kommune: every school of the municipality side by side, fairly."""

import polars as pl
import streamlit as st

from components import municipality_sections as sections
from components import navigation, plain, tables
from components.filters import screen_user
from components.session import audit_view, runner
from queries.key_figures import NOISE_RULE
from queries.statistics import design_effects

user = screen_user("kommune")
TITLE = navigation.screen("kommune").title
municipalities = runner().run("municipalities", user.scope).to_dicts()
years = runner().run("school_years", user.scope)["school_year"].to_list()
if not municipalities:
    st.title(TITLE)
    st.info(
        "Der er ingen skoler i din kommune i Datablik endnu. Dataansvarlig kan importere institutionsregistret "
        "og de offentliggjorte skoletal på skærmen Data."
    )
    st.stop()
left, right = st.columns([3, 1])
municipality = left.selectbox(
    "Kommune", municipalities, format_func=lambda m: m["name"], key="mun_code", placeholder="Vælg en mulighed"
)
frame = sections.load(runner(), user.scope, municipality["code"], years)
# Start at the newest school year with figures (published figures come a year or more behind).
with_figures = set(frame.filter(pl.col("value").is_not_null())["school_year"])
year = right.selectbox(
    "Skoleår",
    years,
    key="mun_year",
    index=next((i for i, y in enumerate(years) if y in with_figures), 0),
    placeholder="Vælg en mulighed",
)
audit_view(TITLE, None, f"{municipality['name']} ({municipality['code']}), skoleåret {year}")
st.title(f"{TITLE} · {plain.md(municipality['name'])} · {year}")
st.caption(NOISE_RULE + " ▲/▼ markerer en skole, der afviger fra kommunen mere end usikkerheden.")

country = sections.country_values(runner(), user.scope, municipality["code"], years)
st.header("Alle skoler")
default = sections.default_indicators(frame, year)
chosen = (
    st.multiselect(
        "Indikatorer",
        list(sections.INDICATORS),
        default=default,
        key="mun_indicators",
        format_func=lambda k: sections.INDICATORS[k][0],
        placeholder="Vælg en eller flere",
    )
    or default
)
sort_by = st.selectbox(
    "Sortér efter",
    chosen,
    format_func=lambda k: sections.INDICATORS[k][0],
    key="mun_sort",
    placeholder="Vælg en mulighed",
)
styled, numeric = sections.school_table(
    frame, country, year, chosen, sort_by, design_effects(runner(), user.scope, year)
)
tables.dataframe(styled, hide_index=True, width="stretch", height=min(36 * (len(numeric) + 2), 1000))
n = frame.filter(
    pl.col("institution_no").is_null()
    & (pl.col("school_year") == year)
    & pl.col("n").is_not_null()
    & (pl.col("indicator") == "absence_total_pct")
)["n"].to_list()
pupil_level = frame.filter((pl.col("school_year") == year) & ~pl.col("published") & pl.col("value").is_not_null())
st.caption(
    (
        (
            sections.SOURCE + f"skoleåret {year} · n = {n[0] if n else '–'} elever i kommunen. "
            "Nationale testresultater er fortrolige og må ikke offentliggøres."
            if len(pupil_level)
            else ""
        )
        + sections.published_note(runner(), user.scope, municipality["code"], year)
    ).strip()
)
sections.downloads(numeric, chosen, municipality["name"], year)

st.header("Én indikator over årene")
sections.one_indicator(frame, chosen)

st.header("Karakterer i forhold til den socioøkonomiske reference")
sections.socio_scatter(runner(), user.scope, municipality["code"], year)

st.header("Sammenlignelige skoler i hele landet")
schools = frame.filter(pl.col("institution_no").is_not_null()).unique("institution_no").sort("school_name")
if len(schools):
    sections.peers(runner(), user.scope, schools.select("institution_no", "school_name").to_dicts(), year)
