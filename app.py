"""Datablik: entry point. Page config, store, login, and the screens each role may see."""

import logging
from pathlib import Path

import streamlit as st

# A local file: a :material/...: page icon makes every browser fetch the favicon from Google.
st.set_page_config(
    page_title="Datablik", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide"
)

from data import logging_setup  # noqa: E402

logging_setup.configure()  # before anything logs (the first-start build, a login)

from components import login_cookie, login_view, plain, run_slots, setup_checklist, upload_gate  # noqa: E402
from components.auth import ROLE_LABELS, authenticate, logout  # noqa: E402
from components.bootstrap import ensure_store  # noqa: E402
from components.navigation import pages_for  # noqa: E402
from components.session import runner, set_current_user  # noqa: E402
from components.theme import apply_theme, demo_banner  # noqa: E402
from data import store  # noqa: E402
from data.users import users_path, write_demo_users  # noqa: E402

ensure_store()
store_runner = runner()
demo = store_runner.is_demo()
if demo and not users_path().exists():
    write_demo_users(store.store_path())
apply_theme()
if store_runner.read_only:
    st.info(
        "Databasen er åbnet skrivebeskyttet: alle tal kan ses, og alt, hvad der redigeres på skærmene, "
        "kan gemmes (samtaler, mål, indsatser, LEAPS-forløb, årshjulet, projekter, vurderinger og "
        "læringstrekanter), men der kan ikke importeres lige nu."
    )

user, authenticator = authenticate(store_runner, demo)
login_cookie.render_pending()  # after a login or logout: the server sets or clears the HttpOnly cookie
set_current_user(user)
upload_gate.keep_only(user.username if user else None)  # logged out or another user: no file is taken
demo_banner(store_runner, user.scope if user else None)  # only while the store holds demo rows

if user is None:
    page = st.navigation(
        [
            st.Page(
                lambda: login_view.render(authenticator, store_runner, demo),
                title="Log ind",
                url_path="login",
                icon=":material/login:",
            )
        ],
        position="hidden",
    )
else:
    with st.sidebar:
        st.markdown(f"**{plain.md(user.name)}**  \n{ROLE_LABELS[user.role]}")
        if st.button("Log ud") and logout(authenticator, store_runner, user):
            st.rerun()
    page = st.navigation(pages_for(user.role), expanded=True)
    if page.url_path not in ("data", "revision") and setup_checklist.is_empty(store_runner):
        # A new store (python -m data init): what to import next, not an empty screen.
        if user.role == "admin":
            setup_checklist.checklist(store_runner)
        else:
            st.info(
                "Datablik har endnu ingen tal. Dataansvarlig importerer institutionsregistret og "
                "kommunens tal på skærmen Data."
            )
        st.stop()
with run_slots.screen_slot():  # a few screens at a time keep the server responsive
    # One line per whole run of a screen (a fragment's own rerun, components/*_sections.py, has none).
    logging.getLogger("app").debug("screen run: %s", page.url_path)
    page.run()
