"""The login screen: the only screen a logged-out visitor can reach."""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth

from components import login_cookie
from components.auth import demo_logins_table, login_form
from queries.runner import Runner


def render(authenticator: stauth.Authenticate, runner: Runner, demo: bool) -> None:
    st.title("Datablik")
    st.markdown(
        "Data til skoleudviklingssamtalen: trivsel, fravær, faglighed og skolens egne indsatser, samlet ét sted."
    )
    left, right = st.columns([2, 3])
    with left:
        login_form(authenticator, runner)
    if st.session_state.get("authentication_status"):
        st.success("Du er logget ind. Datablik åbner …")
        # The cookie's handover reruns the script once the server has set it; without one, rerun now.
        if not login_cookie.render_pending():
            st.rerun()
    if demo:
        with right:
            st.subheader("Demobrugere")
            st.markdown("Databasen indeholder **fiktive demodata**. Log ind som en af disse:")
            st.table(demo_logins_table())
