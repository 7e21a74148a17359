"""Faglighed: national tests (confidential) and the 9th-grade exams with the socio-economic reference."""

import streamlit as st

from components import achievement_sections as sections
from components.filters import school_screen
from components.session import runner
from queries.key_figures import exam_figure

user, school, year = school_screen("faglighed")
years = runner().run("school_years", user.scope)["school_year"].to_list()

st.header("Nationale test")
st.warning(
    "Fortroligt: resultater fra de nationale test må ikke offentliggøres (folkeskoleloven § 55 b). "
    "De vises kun for skolens ledelse, årgangens team og kommunen og indgår aldrig i offentlige "
    "eksporter.",
    icon=":material/lock:",
)
sections.national_tests(runner(), user.scope, school["institution_no"], year, years)

st.header("Afgangsprøver, 9. klasse")
exam = exam_figure(runner(), user.scope, school["institution_no"], year)
sections.exam_overview(runner(), user.scope, school["institution_no"], year, years, exam)
st.subheader("Prøve for prøve og karakterfordeling")
sections.exam_subjects_and_marks(runner(), user.scope, school["institution_no"], year)
st.subheader("Resultat i forhold til den socioøkonomiske reference")
st.markdown(
    "Forskellen mellem skolens gennemsnit og det gennemsnit, man kunne forvente ud fra elevernes "
    "baggrund. Stregen viser usikkerheden; kun hvor den ikke krydser nul, er skolen over eller "
    "under niveau."
)
sections.socio_reference(runner(), user.scope, school["institution_no"])
