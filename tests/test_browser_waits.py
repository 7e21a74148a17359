"""The browser tests wait on the app's state, never on the clock: no fixed sleep, and no wait of their
own shorter than the shared limit (tests/browser.WAIT_MS), which is sized for a loaded CI machine (two
test workers on two cores). A shorter one turns a slow run into a failure (issue 19, point 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import ROOT, WAIT_MS

FILES = sorted(
    path
    for path in {
        *ROOT.glob("tests/test_browser*.py"),
        ROOT / "tests" / "browser.py",
        ROOT / "tests" / "language_scan.py",
    }
    | {ROOT / "tests" / "test_first_start.py", ROOT / "tests" / "test_cli_beside_app.py"}
    if path.name != Path(__file__).name
)
SLEEP = re.compile(r"\btime\.sleep\(|\bsleep\(|\.wait_for_timeout\(")
# A Playwright wait or action with a literal timeout in milliseconds.
PLAYWRIGHT_TIMEOUT = re.compile(
    r"\.(?:wait_for\w*|expect_\w+|click|fill|press|goto|reload|set_input_files|check)\([^()]*?"
    r"\btimeout(?:_ms)?=([\d_]+)"
)


def test_the_scan_finds_a_sleep_and_a_short_wait():
    sample = 'time.sleep(2)\npage.locator("x").first.wait_for(timeout=30000)\n'
    assert SLEEP.search(sample)
    assert [int(v) for v in PLAYWRIGHT_TIMEOUT.findall(sample)] == [30000]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_browser_test_sleeps_or_waits_less_than_the_shared_limit(path):
    source = path.read_text(encoding="utf-8")
    assert not SLEEP.search(source), SLEEP.search(source).group(0)
    short = [int(v.replace("_", "")) for v in PLAYWRIGHT_TIMEOUT.findall(source)]
    assert [ms for ms in short if ms < WAIT_MS] == [], path.name


# A page as the idle check sees the app: a finished run, and an element that fades for a minute (as
# Streamlit fades a stale element) shown or in an expander closed meanwhile, whose content Chromium
# still styles but nobody sees.
FADING = """<div data-testid="stApp" data-test-script-state="notRunning">
<style>.fade { transition: opacity 60s linear; }</style>
<div id="shown" class="fade">Synlig</div>
<details open><summary>Tilføj en indsats</summary><div id="hidden" class="fade">Skjult</div></details>
</div><script>window.__datablik = {events: 1, asked: 1, finished: 1, component: 0};</script>"""


@pytest.mark.parametrize(("fading", "idle"), [("shown", False), ("hidden", True)])
def test_a_fade_is_waited_for_only_where_it_can_be_seen(fading, idle):
    from tests.browser import _BUSY, _IDLE, browser, require_chromium

    require_chromium()
    with browser() as b:
        page = b.new_page()
        page.set_content(FADING)
        assert page.evaluate(_IDLE, _BUSY)  # nothing fades yet
        started = page.evaluate(
            """(id) => { const e = document.getElementById(id); getComputedStyle(e).opacity;
                e.style.opacity = '0.3'; getComputedStyle(e).opacity;
                document.querySelector('details').open = false;  // the expander closed while it fades
                return document.getAnimations().length; }""",
            fading,
        )
        assert started == 1  # the fade runs, seen or not
        assert page.evaluate(_IDLE, _BUSY) is idle
