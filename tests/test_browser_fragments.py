"""A choice that changes one part of a screen reruns only that part (an st.fragment): in Chromium,
choosing another national-test subject on Faglighed runs no whole screen; changing the school year
(a filter of the whole page) does."""

from __future__ import annotations

import pytest

from tests.browser import browser, log_in, require_chromium, streamlit_process, wait_until_idle
from tests.conftest import copy_demo

pytestmark = pytest.mark.browser


def test_a_subject_choice_reruns_only_the_national_tests(pristine_demo, tmp_path):
    require_chromium()
    store, users_file = copy_demo(pristine_demo, tmp_path)
    env = {"DATABLIK_DB": str(store), "DATABLIK_USERS": str(users_file), "DATABLIK_LOG_LEVEL": "DEBUG"}
    with streamlit_process(env, "serve.py") as (url, proc), browser() as b:

        def screen_runs() -> int:
            return proc.log_path.read_text(errors="replace").count("screen run: faglighed")

        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "leder", "demo-leder")
        page.goto(f"{url}/faglighed")
        page.locator("h1:has-text('Faglighed')").first.wait_for()
        wait_until_idle(page)
        before = screen_runs()
        assert before >= 1
        reading = '.kf-label:has-text("Læsning")'  # the national tests' key figures name their subject
        assert page.locator(reading).count() > 0

        page.get_by_text("Matematik", exact=True).first.click()
        page.locator('.kf-label:has-text("Matematik")').first.wait_for()
        wait_until_idle(page)
        assert page.locator(reading).count() == 0  # the subject changed
        assert screen_runs() == before  # the fragment ran, the screen did not

        page.get_by_label("Skoleår").click()
        page.get_by_role("option", name="2022/23").click()
        page.locator("h1:has-text('2022/23')").first.wait_for()
        wait_until_idle(page)
        assert screen_runs() > before  # the year is the whole page's filter: the screen ran again
