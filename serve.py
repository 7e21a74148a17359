"""The production entry point: `streamlit run serve.py` serves app.py through st.App (Streamlit's
ASGI app) with the security headers of components/http_headers.py on every response, a
Content-Security-Policy among them, and file uploads only for a logged-in admin's session
(components/upload_gate.py), and the route that sets the login cookie HttpOnly
(components/login_cookie.py). `streamlit run app.py` still works, without those headers and
without a login cookie (a reload asks for the password again)."""

import streamlit as st
from starlette.middleware import Middleware

from components import login_cookie, warmup
from components.http_headers import SecurityHeaders
from components.preload import Preload
from components.upload_gate import UploadGate
from data import logging_setup

logging_setup.configure()
warmup.start()  # the first user after a start does not pay for the process's cold caches

app = st.App(
    "app.py",
    routes=login_cookie.mount(),
    middleware=[Middleware(SecurityHeaders), Middleware(Preload), Middleware(UploadGate)],
)
