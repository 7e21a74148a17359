"""The production entry point: `streamlit run serve.py` serves app.py through st.App (Streamlit's
ASGI app) with the security headers of components/http_headers.py on every response, a
Content-Security-Policy among them. `streamlit run app.py` still works, without those headers."""
import streamlit as st
from starlette.middleware import Middleware

from components.http_headers import SecurityHeaders

app = st.App("app.py", middleware=[Middleware(SecurityHeaders)])
