"""Sæson: the municipality's overview of every talk of the season, for the political committee."""
import streamlit as st

from components import season_sections as sections
from components.auth import require_role
from components.navigation import SCREENS
from components.session import current_user, runner

user = require_role(current_user(), *next(s.roles for s in SCREENS if s.title == "Sæson"))
years = runner().run("school_years", user.scope)["school_year"].to_list()
year = st.selectbox("Skoleår", years, index=min(1, len(years) - 1), key="season_year", placeholder="Vælg en mulighed")
st.title(f"Sæson · skoleudviklingssamtalerne {year}")
frame = sections.overview(runner(), user.scope, year)
if not frame.is_empty():
    st.header("Aftaler pr. skole")
    sections.agreements(frame)
    st.header("Hvad så vi på tværs af samtalerne?")
    sections.themes(runner(), user.scope, year, frame)
    sections.download(frame, year)
