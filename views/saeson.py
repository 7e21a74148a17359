"""Sæson: the municipality's overview of every talk of the season, for the political committee."""

import streamlit as st

from components import navigation
from components import season_sections as sections
from components.filters import screen_user
from components.session import runner

user = screen_user("saeson")
years = runner().run("school_years", user.scope)["school_year"].to_list()
year = st.selectbox("Skoleår", years, index=min(1, len(years) - 1), key="season_year", placeholder="Vælg en mulighed")
st.title(f"{navigation.screen('saeson').title} · skoleudviklingssamtalerne {year}")
frame = sections.overview(runner(), user.scope, year)
if frame is not None and not frame.is_empty():  # None: the overview's query failed
    st.header("Aftaler pr. skole")
    sections.agreements(frame)
    st.header("Hvad så vi på tværs af samtalerne?")
    sections.themes(runner(), user.scope, year, frame)
    sections.download(frame, year)
