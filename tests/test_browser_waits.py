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
