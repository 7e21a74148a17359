"""Overblik: the school's key figures for a school year, against municipality and country."""

import streamlit as st

from components import data_summary, effort_sections, peer_sections
from components.filters import school_screen
from components.key_figure_card import key_figure_grid
from components.session import runner
from queries.key_figures import EXAM_RULE, key_figures, previous_year

user, school, school_year = school_screen("overblik")

figures = key_figures(runner(), user.scope, school["institution_no"], school_year)
data_summary.show(data_summary.summarise(figures, school_year, previous_year(school_year)))
for section in ("Trivsel", "Fravær", "Faglighed", "LEAPS"):
    st.header(section)
    if section == "Faglighed":
        st.caption(
            "Resultater fra de nationale test er fortrolige (folkeskoleloven § 55 b) og "
            "indgår aldrig i offentlige eksporter."
        )
    in_section = [f for f in figures if f.section == section]
    if section == "Faglighed":  # the exam and its socio-economic reference on one row, then the tests
        exams = [f for f in in_section if f.key.startswith(("exam", "socio"))]
        key_figure_grid(exams, previous_year(school_year))
        st.caption(f"Karaktergennemsnittet: {EXAM_RULE}.")
        in_section = [f for f in in_section if f not in exams]
    key_figure_grid(in_section, previous_year(school_year))

if user.role in ("ledelse", "kommune", "admin"):
    st.header("Sammenlignelige skoler i hele landet")
    peer_sections.section(runner(), user.scope, school["institution_no"], school_year)
st.header("Skolens indsatser")
effort_sections.register(runner(), user.scope, user.username, school["institution_no"])
