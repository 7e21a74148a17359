"""What a screen needs from the app shell: the store's runner and the logged-in user."""
from __future__ import annotations

import streamlit as st

from components.auth import User
from data import store
from queries.runner import Runner, runner_for

USER_KEY = "datablik_user"


def runner() -> Runner:
    return runner_for(store.store_path())


def current_user() -> User | None:
    return st.session_state.get(USER_KEY)


def set_current_user(user: User | None) -> None:
    st.session_state[USER_KEY] = user
