"""What a screen needs from the app shell: the store's runner and the logged-in user."""

from __future__ import annotations

import streamlit as st

from components.auth import User
from data import store
from queries.runner import Runner, runner_for

USER_KEY = "datablik_user"


def runner() -> Runner:
    """The store's runner; a store that cannot be opened stops the page with a Danish message."""
    try:
        return runner_for(store.store_path(), read_only=store.read_only_requested())
    except store.StoreError as problem:
        st.error(str(problem))
        st.stop()


def current_user() -> User | None:
    return st.session_state.get(USER_KEY)


def set_current_user(user: User | None) -> None:
    st.session_state[USER_KEY] = user


def audit_view(screen: str, school: str | None, detail: str) -> None:
    """A view of pupil-level figures or of schools other than one's own, in the audit log: once per
    session for each screen, school and selection (a rerun of the same page is not a new view)."""
    user = current_user()
    if user is None:
        return
    seen = st.session_state.setdefault("datablik_audited_views", set())
    if (screen, school, detail) not in seen:
        seen.add((screen, school, detail))
        runner().audit(user.username, "visning", screen, detail, school)


def audit_export(file_name: str) -> None:
    """on_click of every download button: who exported what, in the audit log."""
    user = current_user()
    if user is not None:
        runner().audit(user.username, "eksport", file_name)
