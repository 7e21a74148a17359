"""Revisionsspor: the audit log for the data owner (read-only; only the runner writes it)."""
import streamlit as st

from components.auth import require_role
from components.navigation import SCREENS
from components.session import current_user, runner

user = require_role(current_user(), *next(s.roles for s in SCREENS if s.title == "Revisionsspor"))
st.title("Revisionsspor · hvem har gjort hvad")
st.caption("Logins, eksporter og alle ændringer (mål, forløb, vurderinger, kriterier, noter, aftaler, referater). "
           "Loggen kan ikke ændres fra appen. De nyeste 1.000 hændelser vises.")
left, right = st.columns(2)
who = left.text_input("Bruger", key="audit_user").strip()
what = right.text_input("Handling (fx eksport, record_login_session, save_note)", key="audit_action").strip()
entries = runner().run("audit_log_entries", user.scope, username=who, action=what)
headings = {"entry_id": "Nr.", "logged_at": "Tidspunkt", "username": "Bruger", "action": "Handling",
            "target": "Skole/fil", "detail": "Detaljer"}
st.dataframe(entries.rename(headings), hide_index=True, width="stretch")
