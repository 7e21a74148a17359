"""Overblik: the school's key figures for a school year, against municipality and country."""
import streamlit as st

from components.filters import school_screen
from components.key_figure_card import key_figure_grid
from components.session import runner
from queries.key_figures import key_figures, previous_year

user, school, school_year = school_screen("Overblik")

figures = key_figures(runner(), user.scope, school["institution_no"], school_year)
for section in ("Trivsel", "Fravær", "Faglighed", "LEAPS"):
    st.header(section)
    if section == "Faglighed":
        st.caption("Resultater fra de nationale test er fortrolige (folkeskoleloven § 55 b) og "
                   "indgår aldrig i offentlige eksporter.")
    in_section = [f for f in figures if f.section == section]
    if section == "Faglighed":  # the exam on its own row, then one row per test subject
        key_figure_grid([f for f in in_section if f.key.startswith("exam")], previous_year(school_year))
        in_section = [f for f in in_section if not f.key.startswith("exam")]
    key_figure_grid(in_section, previous_year(school_year))
