"""Helpers for browser tests: a real `streamlit run` on a free port and headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "screenshots"
# How long any wait on the page may take before the test fails (Playwright's default for every
# context opened here, and `wait_until_idle`'s). Each wait ends as soon as its state is there; the
# limit only decides when a hang is reported, so it is generous: two test workers beside two busy
# processes on two cores make a screen's run several times slower than on a quiet machine.
WAIT_MS = 120_000


def require_chromium() -> None:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium mangler: .ci/run skal installere Debians pakke 'chromium'.")
        pytest.skip("Chromium is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


COOKIE_PATH = "/_datablik/login-cookie"  # components/login_cookie.PATH
_reused: dict[tuple, tuple[str, subprocess.Popen, ExitStack]] = {}


@contextmanager
def streamlit_server(env: dict[str, str], script: str = "serve.py", reuse: bool = False):
    """Start the app on a free port, wait until it answers, stop it afterwards. By default through
    serve.py, the production entry point (security headers, the HttpOnly login cookie); `script`
    "app.py" is the bare app. With `reuse`, the server stays
    up for the module's next test that asks for the same environment and script (for tests whose
    writes, such as a login, do not matter to the next one); it is stopped when the module ends
    (tests/conftest.py) or before another server opens the same store (DuckDB: one process a file)."""
    if not reuse:
        stop_reused(env.get("DATABLIK_DB"))
        with streamlit_process(env, script) as (url, _):
            yield url
        return
    key = (script, tuple(sorted(env.items())))
    if key in _reused and _reused[key][1].poll() is not None:  # it stopped: start another
        _reused.pop(key)[2].close()
    if key not in _reused:
        stop_reused(env.get("DATABLIK_DB"))
        stack = ExitStack()
        url, proc = stack.enter_context(streamlit_process(env, script))
        _reused[key] = (url, proc, stack)
    yield _reused[key][0]


def stop_reused(store: str | None = None) -> None:
    """Stop the reused servers (of one store, or all)."""
    for key in [k for k in _reused if store is None or dict(k[1]).get("DATABLIK_DB") == store]:
        _reused.pop(key)[2].close()


class _PortTaken(RuntimeError):
    pass


def _start(env: dict[str, str | None], script: str, root: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="datablik-server-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(root / script),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
        ],
        cwd=root,
        env={k: v for k, v in {**os.environ, **env}.items() if v is not None},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    proc.log_path = Path(log.name)
    log.close()
    return proc, f"http://127.0.0.1:{port}"


def _wait_healthy(proc: subprocess.Popen, url: str) -> None:
    """Until the server answers its health check; it stopping first is an error (with its log)."""
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        try:  # wait a moment for the server, or notice that it has stopped
            code = proc.wait(timeout=0.3)
        except subprocess.TimeoutExpired:
            code = None
        if code is not None or time.monotonic() > deadline:
            log = proc.log_path.read_text(errors="replace")
            if code is not None and "is not available" in log:
                raise _PortTaken(log[-500:])
            raise RuntimeError(f"streamlit did not start (exit {code}): " + log[-2000:])


@contextmanager
def streamlit_process(env: dict[str, str | None], script: str = "app.py", root: Path = ROOT):
    """As streamlit_server, yielding (url, process) for callers that watch the server (the load test).
    A variable set to None in `env` is removed; `root` is the folder of the app to run.
    The server's output goes to a file (`process.log_path`), never to a pipe nobody reads: once a
    pipe's 64 KB buffer is full, the server blocks on its next log line and stops answering."""
    for attempt in range(3):
        proc, url = _start(env, script, root)
        try:
            _wait_healthy(proc, url)
            break
        except _PortTaken:  # another worker's server, or a client's socket, took it after free_port()
            _stop(proc)
            if attempt == 2:
                raise
        except BaseException:
            _stop(proc)
            raise
    try:
        yield url, proc
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.log_path.unlink(missing_ok=True)


# Watches the app's own websocket in every page: which runs the page has asked for (BackMsg
# rerun_script, field 11) and which the server has finished (ForwardMsg script_finished, field 6:
# 0 finished, 1 compile error, 2 ended early for a rerun, 3 fragment finished), and the values that
# components (the login cookie's) send, each of which asks for one more run. In a component's frame:
# whether Streamlit has rendered it yet, and whether it holds a ticket it has not answered for: the
# login cookie's component posts its value only when the server has answered the ticket's request,
# after the run that rendered it has finished (a click in between raced the run that value asks for).
_WATCH_RUNS = r"""
(() => {
  if (window.top !== window) {
    if (window.__datablikFrame) return;
    const f = window.__datablikFrame = {rendered: false, waiting: false, tickets: new Set()};
    window.addEventListener("message", (e) => {
      if (e.source !== window.parent || !e.data || e.data.type !== "streamlit:render") return;
      f.rendered = true;
      const ticket = e.data.args && e.data.args.ticket;
      if (ticket && !f.tickets.has(ticket)) { f.tickets.add(ticket); f.waiting = true; }
    });
    return;
  }
  if (window.__datablik) return;
  const s = window.__datablik = {events: 0, asked: 0, finished: 0, component: 0};
  const varint = (b, i) => { let v = 0, m = 1; for (;;) { const x = b[i++]; v += (x & 127) * m;
    if (x < 128 || i >= b.length) return [v, i]; m *= 128; } };
  // A typed array may be a view into a larger buffer: read only its own bytes.
  const fields = (data) => { const b = data instanceof ArrayBuffer ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength), out = new Map(); let i = 0;
    while (i < b.length) { let tag, v = null; [tag, i] = varint(b, i); const wt = tag & 7;
      if (wt === 0) [v, i] = varint(b, i); else if (wt === 2) { let n; [n, i] = varint(b, i); i += n; }
      else if (wt === 1) i += 8; else if (wt === 5) i += 4; else break;
      out.set(Math.floor(tag / 8), v); } return out; };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (!(e.data instanceof ArrayBuffer)) return;
        const f = fields(e.data);
        if (f.has(6) && f.get(6) !== 2) s.finished = ++s.events;
      });
    }
    send(data) {
      try { if (fields(data).has(11)) s.asked = ++s.events; }
      catch (err) { /* not a BackMsg we can read: not a rerun */ }
      return super.send(data);
    }
  };
  window.addEventListener("message", (e) => {
    if (e.data && e.data.isStreamlitMessage && e.data.type === "streamlit:setComponentValue") {
      s.component = ++s.events;
      try { if (e.source && e.source.__datablikFrame) e.source.__datablikFrame.waiting = false; } catch (err) { }
    }
  });
})();
"""

# Left over from an earlier run, the running man, a placeholder of an element still loading (tables, charts).
_BUSY = '[data-stale="true"], [data-testid="stStatusWidget"], [data-testid="stSkeleton"]'
# The page is idle when the server has finished a run after the last one the page asked for and
# after the last component value (the login cookie's component asks for a run of its own once it has
# loaded, a moment after the first run has finished), Streamlit shows the run as finished with no
# element left over from an earlier run and no placeholder of an element still loading (tables,
# charts), every frame has loaded, every component has been rendered and holds no unanswered ticket
# (so the value it will send is counted before the page looks idle), every visible chart has drawn,
# no fade or other finite animation is still running and the fonts are in.
_IDLE = """(busy) => {
  const s = window.__datablik, app = document.querySelector('[data-testid="stApp"]');
  if (!s || !app || s.finished === 0 || s.finished < s.asked || s.finished < s.component) return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector(busy)) return false;
  for (const f of document.querySelectorAll('iframe')) {
    try { if (!f.contentDocument || f.contentDocument.readyState !== 'complete') return false; } catch (e) { }
  }
  for (const f of document.querySelectorAll('iframe[data-testid="stCustomComponentV1"]')) {
    let w = null;
    try { w = f.contentWindow.__datablikFrame; } catch (e) { continue; }  // another origin: not ours
    if (!w || !w.rendered || w.waiting) return false;
  }
  for (const c of document.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]')) {
    if (c.checkVisibility() && !c.querySelector('canvas, svg')) return false;  // a hidden tab draws when shown
  }
  // A fade still under way (a stale element coming back to full opacity) would be read half-drawn.
  if (document.getAnimations().some(a => a.playState === 'running'
      && a.effect && a.effect.getComputedTiming().endTime !== Infinity)) return false;
  return document.fonts.status === 'loaded';
}"""

_STATE = """(busy) => { const app = document.querySelector('[data-testid="stApp"]');
  return {runs: window.__datablik, state: app && app.getAttribute('data-test-script-state'),
    busy: [...document.querySelectorAll(busy)].map(e => e.dataset.testid || 'stale'),
    frames: [...document.querySelectorAll('iframe')].map(f => { try { return f.contentDocument.readyState; }
      catch (e) { return 'other origin'; } }),
    handovers: [...document.querySelectorAll('iframe[data-testid="stCustomComponentV1"]')].filter(f => {
      try { const w = f.contentWindow.__datablikFrame; return !w || !w.rendered || w.waiting; }
      catch (e) { return false; } }).length,
    fonts: document.fonts.status}; }"""

_chromium: dict = {}


class _Browser:
    """The shared Chromium as a test sees it: every context it opens watches the app's runs
    (`wait_until_idle`) and is closed when the test's `with browser()` ends."""

    def __init__(self, shared):
        self._shared, self.opened = shared, []

    def new_context(self, **kwargs):
        context = self._shared.new_context(**kwargs)
        context.set_default_timeout(WAIT_MS)
        context.set_default_navigation_timeout(WAIT_MS)
        context.add_init_script(_WATCH_RUNS)
        self.opened.append(context)
        return context

    def new_page(self, **kwargs):  # as Browser.new_page: a page in a context of its own
        return self.new_context(**kwargs).new_page()

    def __getattr__(self, name):
        return getattr(self._shared, name)


@contextmanager
def browser():
    """Headless Chromium: one process for the module (closed by tests/conftest.py when it ends)."""
    if "browser" not in _chromium or not _chromium["browser"].is_connected():
        close_browser()
        from playwright.sync_api import sync_playwright

        _chromium["playwright"] = sync_playwright().start()
        _chromium["browser"] = _chromium["playwright"].chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    b = _Browser(_chromium["browser"])
    try:
        yield b
    finally:
        for context in b.opened:
            try:
                context.close()
            except Exception:  # already closed with its page or the browser
                pass


def close_browser() -> None:
    browser_, playwright = _chromium.pop("browser", None), _chromium.pop("playwright", None)
    try:
        if browser_ is not None:
            browser_.close()
    finally:
        if playwright is not None:
            playwright.stop()


def close_shared() -> None:
    """At the end of a module: stop its reused servers and its Chromium."""
    try:
        stop_reused()
    finally:
        close_browser()


def wait_until_idle(page, timeout_ms: int = WAIT_MS) -> None:
    """Wait until Streamlit has finished every run the page asked for (see `_IDLE`). While a run is
    under way an element can be there twice (the last run's, stale, beside this run's), so wait for
    an element with `.first.wait_for()`, then call this before reading or clicking."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_IDLE, arg=_BUSY, timeout=timeout_ms)
    except PlaywrightTimeout:
        raise AssertionError(f"{page.url} not idle after {timeout_ms} ms: {page.evaluate(_STATE, _BUSY)}") from None


def click_and_wait(page, target) -> None:
    """Click `target`, an element whose click reruns the script (a button, a lazy tab), and wait until
    that run has finished. `wait_until_idle` right after a click is not enough: under load the page
    sends the click's rerun a moment after Playwright's click returns, so the page still looked idle
    and the next click landed on the old run's button (seen in CI: "Næste" pressed twice stayed on
    the second agenda item, each press drawn for the first)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    before = page.evaluate("() => window.__datablik.asked")
    target.click()
    try:
        page.wait_for_function("(n) => window.__datablik.asked > n", arg=before, timeout=WAIT_MS)
    except PlaywrightTimeout:
        raise AssertionError(f"{page.url}: the click asked for no run in {WAIT_MS} ms") from None
    wait_until_idle(page)


def open_screen(page, url: str, ready) -> None:
    """Go to `url` and wait until `ready` (a locator) is there and Streamlit has finished, so a click
    that follows lands on this run's element: a click on a stale one, while the first run after
    navigating is still under way, can be dropped (seen once in CI: a form submit that never ran)."""
    page.goto(url)
    ready.first.wait_for()
    wait_until_idle(page)


def prepare_talk(page, url: str) -> None:
    """On Samtale & referat, as the logged-in leader: prepare this year's talk and wait until its
    agenda is shown (a store copy without a talk this year, as the demo's)."""
    open_screen(page, f"{url}/samtale", page.get_by_role("button", name="Forbered samtalen"))
    page.get_by_role("button", name="Forbered samtalen").click()
    page.get_by_role("button", name="Start præsentation").first.wait_for()
    wait_until_idle(page)


def full_page_screenshot(page, name: str) -> Path | None:
    """A screenshot of the whole page to look at, when DATABLIK_SCREENSHOTS is set (`make screenshots`):
    growing the viewport redraws every chart and a tall PNG is slow to encode, which nobody looks at
    in CI. Streamlit scrolls inside its main block, so grow the viewport to the content first."""
    if not os.environ.get("DATABLIK_SCREENSHOTS"):
        wait_until_idle(page)  # what the callers could rely on: the page is idle afterwards
        return None
    SCREENSHOTS.mkdir(exist_ok=True)
    size = page.viewport_size
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    wait_until_idle(page)  # charts redraw at the new width
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def log_in(page, url: str, username: str, password: str, cookie: bool = True) -> None:
    """Log in through the form. With `cookie` (a serve.py server), also wait until the server has
    answered the handover of the HttpOnly login cookie, so a reload or a copied cookie logs in."""
    page.goto(url)
    page.get_by_label("Brugernavn").first.wait_for()
    wait_until_idle(page)
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    if cookie:
        with page.expect_response(lambda r: r.url.endswith(COOKIE_PATH)) as answer:
            page.get_by_role("button", name="Log ind").click()
        assert answer.value.status == 204
    else:
        page.get_by_role("button", name="Log ind").click()
    page.wait_for_selector("h1:has-text('Overblik')")
    wait_until_idle(page)
