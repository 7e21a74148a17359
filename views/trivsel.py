"""Trivsel: the national well-being survey for the school against municipality and country."""

import streamlit as st

from components import wellbeing_sections as sections
from components.filters import school_screen
from components.session import runner

user, school, year = school_screen("trivsel")

left, middle, right = st.columns(3)
band = left.radio("Klassetrin", ["4.–9. klasse", "4.–6. klasse", "7.–9. klasse"], horizontal=True, key="wb_band")
grades = {"4.–9. klasse": (4, 9), "4.–6. klasse": (4, 6), "7.–9. klasse": (7, 9)}[band]
gender = {"Alle": "alle", "Piger": "pige", "Drenge": "dreng"}[
    middle.radio("Køn", ["Alle", "Piger", "Drenge"], horizontal=True, key="wb_gender")
]
indicator = right.selectbox(
    "Indikator",
    list(sections.INDICATOR_LABELS),
    key="wb_indicator",
    format_func=sections.INDICATOR_LABELS.get,
    placeholder="Vælg en mulighed",
)
if (grades, gender) != ((4, 9), "alle"):
    st.caption("Landstallet gælder alle elever i 4.–9. klasse og vises derfor ikke, når der er filtreret.")

st.header("Indikatorerne, 4.–9. klasse")
sections.indicator_cards(runner(), user.scope, school["institution_no"], year, grades, gender)

st.header(f"{sections.INDICATOR_LABELS[indicator]} over årene")
years = runner().run("school_years", user.scope)["school_year"].to_list()
sections.trend(runner(), user.scope, school["institution_no"], years, indicator, grades, gender, year)

st.header(f"{sections.INDICATOR_LABELS[indicator]} fordelt")
sections.breakdowns(runner(), user.scope, school["institution_no"], year, indicator)

st.header("Spørgsmålene bag indikatoren")
st.markdown("Hvilke spørgsmål trækker skolens gennemsnit op eller ned i forhold til kommunen?")
sections.drilldown(runner(), user.scope, school["institution_no"], year, indicator)

st.header("0.–3. klasse: svarene spørgsmål for spørgsmål")
sections.young_pupils(runner(), user.scope, school["institution_no"], year)
