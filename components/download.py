"""Every download built when it is clicked (the Kommune table, each chart's figures): the one way.

Streamlit calls a callable `data` when the browser asks for the file, under an id it hands out on
each run. An `on_click` callback would also rerun the screen, and that rerun revokes the id: under load
the browser could ask for a file that no longer exists, and nothing downloads (seen in a browser test).
So the button never reruns the screen (`on_click="ignore"`), and the audit entry of the export is
written when the file is built, by the user who saw the button."""

from __future__ import annotations

from collections.abc import Callable

from components.session import current_user, runner


def button(container, label: str, build: Callable[[], bytes | str], file_name: str, mime: str, key: str) -> None:
    user, store = current_user(), runner()

    def built() -> bytes | str:
        if user is not None:
            store.audit(user.username, "eksport", file_name)
        return build()

    container.download_button(label, built, file_name=file_name, key=key, mime=mime, on_click="ignore")
