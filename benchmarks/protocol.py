"""A minimal Streamlit client over the app's own websocket (what the browser's frontend sends and
receives), so the load test simulates many users without a browser each: it logs in through the
login form's widgets and navigates by page, and times each run from request to `script_finished`."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect


@dataclass
class Run:
    """What one script run sent back."""

    seconds: float
    widgets: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (kind, id)
    errors: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page_script_hash
    values: dict[str, str] = field(default_factory=dict)  # label -> a text area's value as the server sent it


class Session:
    def __init__(self, url: str):
        self.url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = None
        self.page_hash = ""
        self.pages: dict[str, str] = {}

    async def connect(self) -> None:
        self.ws = await connect(
            self.url,
            subprotocols=["streamlit"],
            max_size=256 * 2**20,
            origin=self.url.replace("ws://", "http://").split("/_stcore")[0],
        )

    async def run(
        self, widget_states: list | None = None, page_hash: str | None = None, timeout: float = 60.0, query: str = ""
    ) -> Run:
        msg = BackMsg()
        msg.rerun_script.query_string = query  # the address's ?a=b&c=d, as the browser sends it
        msg.rerun_script.page_script_hash = page_hash if page_hash is not None else self.page_hash
        for state in widget_states or []:
            msg.rerun_script.widget_states.widgets.append(state)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = Run(0.0)
        deadline = started + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            if isinstance(raw, str):
                continue
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                self._element(forward.delta.new_element, run)
            elif kind == "navigation":
                run.pages = {p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages}
                self.pages = run.pages or self.pages
                self.page_hash = forward.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed" or kind == "new_session":
                if kind == "new_session" and forward.new_session.page_script_hash:
                    self.page_hash = forward.new_session.page_script_hash
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run = Run(0.0, pages=run.pages)  # st.rerun(): the server runs the script again at once
                    continue
                run.seconds = time.perf_counter() - started
                return run
            if time.perf_counter() > deadline:
                raise TimeoutError("no script_finished in time")

    @staticmethod
    def _element(element, run: Run) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            run.errors.append(f"exception: {element.exception.message[:200]}")
        elif kind == "alert" and element.alert.format == Alert.ERROR:
            run.errors.append(f"fejlboks: {element.alert.body[:200]}")
        elif kind == "heading":
            run.headings.append(element.heading.body)
        elif kind in ("text_input", "text_area", "button"):
            widget = getattr(element, kind)
            run.widgets[widget.label] = (kind, widget.id)
            if kind == "text_area":
                run.values[widget.label] = widget.value if widget.set_value else widget.default

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def text_state(widget_id: str, value: str):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    return WidgetState(id=widget_id, string_value=value)


def trigger_state(widget_id: str):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    return WidgetState(id=widget_id, trigger_value=True)
