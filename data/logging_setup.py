"""The one place that configures Datablik's log: what the app and the command line do (imports, logins
that succeed or fail, refused writes, errors) goes to stderr, one line per event, in the format
Streamlit uses for its own lines, so the server's log reads as one:

    2026-12-02 03:51:06.123 INFO    components.auth: login ok: user 'leder' (ledelse)

Modules log through `logging.getLogger(__name__)`; app.py, serve.py and `python -m data` call
`configure()` (idempotent; a Streamlit rerun calls it again). A password is never logged, and a failed
login names the username only when it is one of the users file's (a password typed into the username
field stays out of the log)."""

from __future__ import annotations

import logging
import os
import sys

FORMAT = "%(asctime)s %(levelname) -7s %(name)s: %(message)s"  # Streamlit's own (streamlit.logger)
PACKAGES = ("app", "serve", "components", "data", "queries", "views")
_MARK = "_datablik_handler"


class _Stderr(logging.StreamHandler):
    """A handler that writes to whatever sys.stderr is when it writes (a test's capture replaces it,
    and a handler bound to the old one would write to a closed stream)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure(level: str | int | None = None) -> None:
    """A stderr handler with FORMAT on Datablik's package loggers, at DATABLIK_LOG_LEVEL (default INFO).
    The loggers still propagate, so pytest's caplog (on the root logger) sees every line."""
    level = level or os.environ.get("DATABLIK_LOG_LEVEL", "INFO").upper()
    formatter = logging.Formatter(FORMAT)
    formatter.default_msec_format = "%s.%03d"
    for name in PACKAGES:
        logger = logging.getLogger(name)
        if logging.getLevelName(logger.level) != level:  # setLevel clears every logger's cache (ms a rerun)
            logger.setLevel(level)
        if not any(getattr(h, _MARK, False) for h in logger.handlers):
            handler = _Stderr()
            handler.setFormatter(formatter)
            setattr(handler, _MARK, True)
            logger.addHandler(handler)


def user_label(username: str, known: bool) -> str:
    """How the log names a user: the username if the users file knows it, else only its length."""
    return repr(username) if known else f"unknown ({len(username)} characters)"
