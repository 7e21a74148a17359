"""LEAPS: the programme's status against its rules, the courses per year group, and the survey."""

import streamlit as st

from components import leaps_sections as sections
from components import plain
from components.filters import school_screen
from components.session import runner
from queries.key_figures import previous_year

user, school, year = school_screen("leaps")
if not school["in_leaps"]:
    st.info(f"{plain.md(school['name'])} er ikke med i LEAPS-programmet.")
    st.stop()
st.markdown(
    "Projektbaseret læring med sigte på *deeper learning*. Reglerne (antal forløb, længde, fag, "
    "virksomhedsforløb) er programmets og kan ændres i konfigurationen."
)

st.header("Status i forhold til programmets regler")
sections.status(runner(), user.scope, school["institution_no"], year)

st.header("Forløb")
sections.courses(runner(), user.scope, user.username, school["institution_no"], year)

st.header("Programmets survey")
st.markdown(
    "Andelen, der svarer positivt, i år og sidste år. Ændringen i procentpoint er kun »steget« "
    "eller »faldet«, når den er større end usikkerheden ud fra antal svar."
)
sections.survey(runner(), user.scope, school["institution_no"], year, previous_year(year))
