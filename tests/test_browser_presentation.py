"""Presentation mode in a real Chromium at 1920 × 1080, driven by the keyboard only (what a presenter
clicker sends): PageDown through every item to the end, PageUp back, → ← and space, a reload in the
middle that lands on the same item with its note, a chart beside the cards on a data item with the
notes beside them without scrolling, and typing in the notes never changes the item. Screenshots of
each item kind go to screenshots/. Also: an effort added on the Overblik screen appears on the trend
charts of its indicators."""

from __future__ import annotations

import re

import pytest

from tests.browser import (
    browser,
    full_page_screenshot,
    log_in,
    prepare_talk,
    require_chromium,
    streamlit_server,
    wait_until_idle,
)
from tests.conftest import copy_demo
from tests.operational import copy_store

pytestmark = pytest.mark.browser
NOTE = "Fraværet i 8. årgang drøftes igen i foråret."
CHARTS = '[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]'


@pytest.fixture(scope="module")
def server_env(pristine_demo, tmp_path_factory):
    require_chromium()
    store, users_file = copy_demo(pristine_demo, tmp_path_factory.mktemp("presentation"))
    copy_store(store, store.with_name("pristine.duckdb"))
    return {"DATABLIK_DB": str(store), "DATABLIK_USERS": str(users_file)}


def on_a_copy(server_env: dict, tmp_path) -> dict:
    copy = tmp_path / "store.duckdb"
    copy_store(server_env["DATABLIK_DB"].replace("demo.duckdb", "pristine.duckdb"), copy)
    return server_env | {"DATABLIK_DB": str(copy)}


def item_number(page) -> int:
    return int(re.search(r"[?&]punkt=(\d+)", page.url).group(1))


def press(page, key: str, expected: int) -> None:
    """One key, then wait until the app shows item `expected` (by its URL and a finished run)."""
    page.keyboard.press(key)
    page.wait_for_url(re.compile(rf"[?&]punkt={expected}(&|$)"))
    wait_until_idle(page)


def title(page) -> str:
    return page.locator("h1").first.inner_text()


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 200) <= 1080


def test_presentation_mode_is_driven_by_the_keyboard_and_survives_a_reload(server_env, tmp_path):
    with streamlit_server(on_a_copy(server_env, tmp_path)) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "leder", "demo-leder")
        # preparing the talk is not part of the meeting
        prepare_talk(page, url)
        page.get_by_role("button", name="Start præsentation").click()
        page.locator("h1:has-text('Velkomst og præsentation')").first.wait_for()
        wait_until_idle(page)
        assert item_number(page) == 1
        slot = page.locator(".present-slot").first.inner_text()
        count = int(re.search(r"Punkt 1 af (\d+)", slot).group(1))
        assert count >= 6 and "min tilbage af" in slot, slot
        page.locator("body").focus()

        titles, kinds_seen = [title(page)], set()
        full_page_screenshot(page, "praesentation_velkomst_1920x1080")
        for number in range(2, count + 2):  # PageDown through every item and on to the end
            press(page, "PageDown", number)
            titles.append(title(page))
            if titles[-1].startswith(("Opfølgning", "Pause", "LEAPS", "Kort evaluering")):
                full_page_screenshot(page, f"praesentation_{number:02d}_1920x1080")
            if page.locator(CHARTS).count():
                kinds_seen.add("chart")
                chart = page.locator(CHARTS).first
                notes = page.get_by_label("Noter til punktet (gemmes mens der skrives)")
                assert in_view(page, chart) and in_view(page, notes), titles[-1]  # no scrolling needed
                assert chart.bounding_box()["x"] < notes.bounding_box()["x"]  # the notes beside the figures
                if page.locator(".data-summary").count():  # the overview: what data show, beside the chart
                    summary = page.locator(".data-summary").first.bounding_box()
                    assert abs(summary["y"] - chart.bounding_box()["y"]) < 120
                    kinds_seen.add("summary beside chart")
                elif page.locator(".kf-card").count():
                    card = page.locator(".kf-card").first.bounding_box()
                    assert abs(card["y"] - chart.bounding_box()["y"]) < 120  # the chart beside the cards
                    kinds_seen.add("cards beside chart")
                full_page_screenshot(page, f"praesentation_{number:02d}_1920x1080")
        assert titles[-1] == "Samtalen er slut" and len(set(titles)) == count + 1, titles
        assert {"chart", "cards beside chart", "summary beside chart"} <= kinds_seen
        assert (
            page.get_by_role("button", name="Næste ▶")
            .or_(page.get_by_role("button", name="Afslut ▶"))
            .first.is_disabled()
        )
        full_page_screenshot(page, "praesentation_slut_1920x1080")
        page.keyboard.press("PageDown")  # at the end a further press changes nothing
        wait_until_idle(page)
        assert item_number(page) == count + 1

        for number in range(count, 0, -1):  # PageUp all the way back
            press(page, "PageUp", number)
            assert title(page) == titles[number - 1]
        assert page.get_by_role("button", name="◀ Forrige").first.is_disabled()
        press(page, "ArrowRight", 2)
        press(page, "Space", 3)
        assert title(page) == titles[2]
        press(page, "ArrowLeft", 2)
        press(page, "ArrowRight", 3)

        # Notes on a data item: typing a space or an arrow in the field never changes the item.
        notes = page.get_by_label("Noter til punktet (gemmes mens der skrives)")
        notes.focus()
        page.keyboard.type(NOTE)
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("Tab")  # leaving the field saves the note
        page.locator("text=Gemt kl.").first.wait_for()
        wait_until_idle(page)
        assert item_number(page) == 3

        page.reload()  # a reload in the middle of the meeting: the same item, with its note
        page.locator(f"h1:has-text('{titles[2]}')").first.wait_for()
        wait_until_idle(page)
        assert item_number(page) == 3
        assert page.get_by_label("Noter til punktet (gemmes mens der skrives)").input_value() == NOTE
        assert page.locator(CHARTS).count() >= 1
        page.locator("body").focus()
        press(page, "PageDown", 4)
        press(page, "PageUp", 3)
        assert page.get_by_label("Noter til punktet (gemmes mens der skrives)").input_value() == NOTE

        second = b.new_page(viewport={"width": 1920, "height": 1080})  # a second screen opens the same URL
        log_in(second, url, "leder", "demo-leder")
        second.goto(page.url)
        second.locator(f"h1:has-text('{titles[2]}')").first.wait_for()
        wait_until_idle(second)
        assert second.get_by_label("Noter til punktet (gemmes mens der skrives)").input_value() == NOTE


def test_a_presentation_url_for_another_school_or_nonsense_shows_a_danish_message(server_env):
    with streamlit_server(server_env, reuse=True) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "leder", "demo-leder")
        page.goto(f"{url}/praesentation?skole=900002&skoleaar=2025%2F26&punkt=2")
        page.locator("h1:has-text('Præsentation · ingen adgang')").first.wait_for()
        wait_until_idle(page)
        assert page.locator("text=Du har ikke adgang til den skole.").count() == 1
        page.goto(f"{url}/praesentation?skole=900001&skoleaar=%3Cscript%3E&punkt=x")
        page.locator("h1:has-text('Præsentation · ingen samtale')").first.wait_for()
        wait_until_idle(page)
        assert page.locator("script:has-text('x')").count() == 0


def test_an_effort_added_on_the_screen_appears_on_the_trend_charts_of_its_indicators(server_env, tmp_path):
    with streamlit_server(on_a_copy(server_env, tmp_path)) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "leder", "demo-leder")
        page.get_by_text("Tilføj en indsats").click()
        form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_label("Navn (står på graferne)")).first
        form.get_by_label("Navn (står på graferne)").fill("Ny samtalemodel")
        form.get_by_label("Start (dd.mm.åååå)").fill("01.09.2023")  # a Danish text field
        form.get_by_role("combobox", name="Sigter mod").click()
        page.keyboard.type("Samlet fravær")  # the list opens as one types
        page.get_by_role("option", name="Samlet fravær", exact=True).click()
        page.keyboard.press("Escape")
        form.get_by_role("button", name="Gem indsatsen").click()
        page.locator("text=Indsatsen »Ny samtalemodel« er gemt.").first.wait_for()
        wait_until_idle(page)
        full_page_screenshot(page, "overblik_indsatser_1920x1080")

        page.goto(f"{url}/fravaer")
        page.locator("h1:has-text('Fravær ·')").first.wait_for()
        wait_until_idle(page)
        fravaer = page.locator(CHARTS).first
        fravaer.scroll_into_view_if_needed()
        wait_until_idle(page)
        assert "Ny samtalemodel" in chart_text(fravaer)
        full_page_screenshot(page, "fravaer_indsats_1920x1080")
        page.goto(f"{url}/trivsel")
        page.locator("h1:has-text('Trivsel ·')").first.wait_for()
        wait_until_idle(page)
        assert all("Ny samtalemodel" not in chart_text(c) for c in page.locator(CHARTS).all())  # not its indicator


def chart_text(chart) -> str:
    """The text a Vega chart draws, read from its accessible SVG/Canvas description and its data."""
    return chart.evaluate("""(el) => {
        const texts = [...el.querySelectorAll('text')].map(t => t.textContent);
        const labelled = [...el.querySelectorAll('[aria-label]')].map(t => t.getAttribute('aria-label'));
        return texts.concat(labelled).join(' | ');
    }""")


# Every text node's element inside the key-figure cards and every text a chart draws (Vega draws SVG
# text): its computed size in px and its contrast against the white card and chart background.
_TEXT_STYLES = """() => {
  const lum = (css) => { const m = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]; };
  const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  // What a chart's text is drawn on: the first filled mark under its centre (a bar), else white.
  const behind = (el) => { const r = el.getBoundingClientRect();
    for (const e of document.elementsFromPoint(r.x + r.width / 2, r.y + r.height / 2)) {
      if (!['path', 'rect'].includes(e.tagName) || !e.closest('svg')) continue;  // marks, not groups
      const fill = getComputedStyle(e).fill;
      if (fill && fill !== 'none' && !fill.startsWith('url') && !/rgba\\(.*, 0\\)/.test(fill)) return lum(fill);
    } return 1; };
  const out = [];
  const seen = (el, text, colour, background) => { const s = getComputedStyle(el);
    if (!el.checkVisibility() || !text.trim()) return;
    out.push({text: text.trim().slice(0, 40), size: parseFloat(s.fontSize),
              contrast: ratio(lum(colour(s)), background), where: el.closest('.kf-card') ? 'kort' : 'graf'}); };
  for (const card of document.querySelectorAll('.kf-card')) {
    const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) seen(walker.currentNode.parentElement, walker.currentNode.textContent, s => s.color, 1);
  }
  for (const t of document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text')) {
    seen(t, t.textContent, s => s.fill, behind(t));
  }
  return out;
}"""


@pytest.mark.parametrize("path", ["", "trivsel", "fravaer"])
def test_every_text_on_the_cards_and_in_the_charts_is_18_px_and_4_5_to_1(server_env, path):
    with streamlit_server(server_env, reuse=True) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        log_in(page, url, "leder", "demo-leder")
        page.goto(f"{url}/{path}")
        page.locator("h1").first.wait_for()
        wait_until_idle(page)
        page.set_viewport_size({"width": 1920, "height": 6000})  # every chart on screen draws
        wait_until_idle(page)
        texts = page.evaluate(_TEXT_STYLES)
        assert {t["where"] for t in texts} == ({"kort"} if path == "" else {"kort", "graf"}), texts[:5]
        small = [t for t in texts if t["size"] < 18]
        faint = [t for t in texts if t["contrast"] < 4.5]
        assert not small, small[:10]
        assert not faint, faint[:10]
