"""Fravær: absence by kind, month and grade, over the years, against municipality and country."""

import streamlit as st

from components import absence_sections as sections
from components.filters import school_screen
from components.screen import GRADE_BANDS
from components.session import runner

user, school, year = school_screen("fravaer")
st.caption("Fravær er fraværsdage i procent af skoledage, gennemsnit af elevernes procenter.")
band = st.radio("Klassetrin", list(GRADE_BANDS), horizontal=True, key="abs_band")
grades = GRADE_BANDS[band]
if grades != (0, 9):
    st.caption("Landstallet gælder alle klassetrin og vises derfor ikke, når der er filtreret.")

st.header("Fraværet i skoleåret")
sections.figures(runner(), user.scope, school["institution_no"], year, grades)

st.header("Over årene")
years = runner().run("school_years", user.scope)["school_year"].to_list()
sections.trend(runner(), user.scope, school["institution_no"], years, grades, year)

st.header("Måned for måned")
sections.by_month(runner(), user.scope, school["institution_no"], year, grades)

st.header("Klassetrin for klassetrin")
sections.by_grade(runner(), user.scope, school["institution_no"], year)

st.header("Fravær og social trivsel")
st.markdown(
    "Har de klassetrin, hvor fraværet er højt, også lav social trivsel? Hvert punkt er et "
    "klassetrin (4.–9.), målt på de samme elever."
)
sections.beside_wellbeing(runner(), user.scope, school["institution_no"], year)
