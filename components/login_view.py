"""The login screen: the only screen a logged-out visitor can reach."""
from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth

from components.auth import demo_logins_table, login_form
from queries.runner import Runner


def render(authenticator: stauth.Authenticate, runner: Runner, demo: bool) -> None:
    st.title("Datablik")
    st.markdown("Data til skoleudviklingssamtalen: trivsel, fravær, faglighed og skolens egne "
                "indsatser, samlet ét sted.")
    left, right = st.columns([2, 3])
    with left:
        login_form(authenticator, runner)
    if st.session_state.get("authentication_status"):
        # No st.rerun() here: the library's cookie component must reach the browser first; it
        # reruns the script itself once the cookie is set.
        st.success("Du er logget ind. Datablik åbner …")
    if demo:
        with right:
            st.subheader("Demobrugere")
            st.markdown("Databasen indeholder **fiktive demodata**. Log ind som en af disse:")
            st.table(demo_logins_table())
