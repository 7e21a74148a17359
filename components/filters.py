"""Shared filters. Only schools in the user's scope are offered; the runner checks again."""

from __future__ import annotations

import streamlit as st

from components import navigation, plain
from components.auth import User, require_role
from components.session import audit_view, current_user, runner
from queries.key_figures import NOISE_RULE
from queries.runner import Runner


def school_and_year(runner: Runner, user: User) -> tuple[dict | None, str]:
    schools = runner.run("schools", user.scope)
    years = runner.run("school_years", user.scope)["school_year"].to_list()
    if schools.is_empty():
        st.warning("Der er ingen skoler, du har adgang til.")
        return None, years[0] if years else ""
    rows = schools.to_dicts()
    left, right = st.columns([3, 1])
    # The choice is kept under keys of its own: Streamlit forgets a widget's value on a screen that
    # does not draw it, so the school year would fall back to the newest on every other screen.
    if len(rows) == 1:
        school = rows[0]
        left.markdown(f"**Skole:** {plain.md(school['name'])}")
    else:
        names = [r["institution_no"] for r in rows]
        kept = st.session_state.get("datablik_school")
        school = left.selectbox(
            "Skole",
            rows,
            format_func=lambda r: r["name"],
            key="filter_school",
            index=names.index(kept) if kept in names else 0,
            placeholder="Vælg en mulighed",
        )
        st.session_state["datablik_school"] = school["institution_no"]
    kept = st.session_state.get("datablik_year")
    school_year = right.selectbox(
        "Skoleår",
        years,
        key="filter_year",
        index=years.index(kept) if kept in years else 0,
        placeholder="Vælg en mulighed",
    )
    st.session_state["datablik_year"] = school_year
    return school, school_year


def screen_user(url_path: str) -> User:
    """The role guard of a screen, found by its url_path: stops the script for a role that may not
    see it."""
    return require_role(current_user(), *navigation.screen(url_path).roles)


def school_screen(url_path: str) -> tuple[User, dict, str]:
    """The top of every school screen (by its url_path): the role guard, school and year pickers,
    the title and the noise rule. Stops the script when the user may not see the screen or has no
    school."""
    title = navigation.screen(url_path).title
    user = screen_user(url_path)
    school, year = school_and_year(runner(), user)
    if school is None:
        st.stop()
    if user.role in ("kommune", "admin"):  # another school's figures: logged, as pupil-level views are
        audit_view(title, school["institution_no"], f"skoleåret {year}")
    st.title(f"{title} · {plain.md(school['name'])} · {year}")
    st.caption(NOISE_RULE)
    return user, school, year
