"""The one place that decides which screens each role sees (st.navigation per role)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

VIEWS = Path(__file__).resolve().parent.parent / "views"


@dataclass(frozen=True)
class Screen:
    file: str
    title: str
    url_path: str
    icon: str
    roles: frozenset[str]


SCREENS = [
    Screen(
        "overblik.py",
        "Overblik",
        "overblik",
        ":material/dashboard:",
        frozenset({"ledelse", "kommune", "team", "admin"}),
    ),
    Screen("trivsel.py", "Trivsel", "trivsel", ":material/mood:", frozenset({"ledelse", "kommune", "team", "admin"})),
    Screen(
        "fravaer.py", "Fravær", "fravaer", ":material/event_busy:", frozenset({"ledelse", "kommune", "team", "admin"})
    ),
    Screen(
        "faglighed.py",
        "Faglighed",
        "faglighed",
        ":material/school:",
        frozenset({"ledelse", "kommune", "team", "admin"}),
    ),
    Screen(
        "deltagelse.py",
        "Deltagelse",
        "deltagelse",
        ":material/diversity_3:",
        frozenset({"ledelse", "kommune", "admin"}),
    ),
    Screen(
        "leaps.py", "LEAPS", "leaps", ":material/rocket_launch:", frozenset({"ledelse", "kommune", "team", "admin"})
    ),
    Screen("aargang.py", "Årgang", "aargang", ":material/groups:", frozenset({"ledelse", "team", "admin"})),
    Screen(
        "samtale.py", "Samtale & referat", "samtale", ":material/forum:", frozenset({"ledelse", "kommune", "admin"})
    ),
    Screen(
        "praesentation.py",
        "Præsentation",
        "praesentation",
        ":material/slideshow:",
        frozenset({"ledelse", "kommune", "admin"}),
    ),
    Screen("saeson.py", "Sæson", "saeson", ":material/calendar_month:", frozenset({"kommune", "admin"})),
    Screen("kommune.py", "Kommune", "kommune", ":material/location_city:", frozenset({"kommune", "admin"})),
    Screen("data.py", "Data", "data", ":material/upload_file:", frozenset({"admin"})),
    Screen("revision.py", "Revisionsspor", "revision", ":material/history:", frozenset({"admin"})),
    Screen(
        "succeskriterier.py",
        "Succeskriterier",
        "succeskriterier",
        ":material/flag:",
        frozenset({"ledelse", "kommune", "admin"}),
    ),
]


def screen(url_path: str) -> Screen:
    """A screen by its url_path, the key that code uses; the Danish title is only its label."""
    for s in SCREENS:
        if s.url_path == url_path:
            return s
    raise KeyError(f"no screen with url_path {url_path!r}")


def screens_for(role: str) -> list[Screen]:
    return [s for s in SCREENS if role in s.roles]


def pages_for(role: str) -> list[st.Page]:
    """The role's screens; the first is the default and Streamlit serves it at the root URL."""
    return [
        st.Page(str(VIEWS / s.file), title=s.title, url_path=s.url_path, icon=s.icon, default=(i == 0))
        for i, s in enumerate(screens_for(role))
    ]


def switch_to(url_path: str, query_params: dict[str, str] | None = None) -> None:
    """Go to another screen by its url_path (st.switch_page by the screen's file)."""
    st.switch_page(f"views/{screen(url_path).file}", query_params=query_params)  # relative to app.py
