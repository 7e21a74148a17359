"""The language scan of the every-screen browser test (tests/test_browser.py): every screen, for every
role, reads in Danish. The rendered DOM (innerText,
and the placeholder, aria-label and title of visible elements, expanders opened and every tab
shown) holds no English UI word (Streamlit's own: "Browse files", "Choose an option", "None") and no
internal id or code (snake_case names, indicator codes, UUIDs, ISO dates, "20.0" decimal points).
Text that CSS hides is not rendered, so it does not count (innerText leaves it out as well)."""

from __future__ import annotations

import re

from tests.browser import click_and_wait, wait_until_idle

# English words a Danish user must not meet. Whole words, case-sensitive: "Open" is English,
# "open" inside a Danish sentence would not be ("day" and "year" are lower-case on purpose: Streamlit's
# date field's "day/month/year" parts, on no screen now).
ENGLISH = [
    "Browse files",
    "Drag and drop",
    "per file",
    "Limit",
    "Select",
    "Choose",
    "Please",
    "None",
    "null",
    "NaN",
    "Open",
    "Close",
    "Clear",
    "Upload",
    "Press Enter",
    "No results",
    "Add row",
    "Delete",
    "day",
    "month",
    "year",
    "Search",
    "Download",
    "true",
    "false",
    "Fullscreen",
    "Show password",
    "Hide password",
    "Loading",
    "Running",
    "Stop",
    "Rerun",
    "Deploy",
    "Settings",
    "Print",
    "Record a screencast",
    "Clear caches",
    "Show data",
    "Hide",
    "Show",
    "Copy",
    "Expand",
    "Collapse",
    "Reset",
    "Enter",
    "Submit",
    "No data",
    "Save",
    "Cancel",
    "Skip to main content",
    "Link to heading",
    "Help for",
]
_ENGLISH = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])")
# Internal ids and codes: snake_case names (school_year, institution_no, wellbeing_generel), the
# well-being indicator codes that are no Danish word, UUIDs, ISO dates and decimal points.
_CODES = [
    ("snake_case", re.compile(r"\b[a-zA-Z]+_[a-zA-Z0-9_]+\b")),
    ("indikatorkode", re.compile(r"\b(stoette|generel_trivsel|wellbeing|absence|national_test)\b")),
    ("uuid", re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")),
    ("ISO-dato", re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    # "20.0", "3.5": a decimal point. Danish dates (01.08.2025) and clock times (kl. 10.30) and
    # thousands (1.234) are no decimal point, so dates are taken out first and three digits after
    # the point are a thousands separator.
    ("decimalpunktum", re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])")),
]
# A test's task numbers ("Opgave 1.1", the matrix's column "1.1", as the team's sheet numbers them)
# are no decimal point either.
_DANISH_DATE = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\b|\bkl\.\s?\d{1,2}\.\d{2}\b"
    r"|\b\d{1,2}\.\d{2}\s?[-–]\s?\d{1,2}\.\d{2}\b|\bOpgave \d+(\.\d+)+"
)

# What the user reads: the page's innerText (which leaves out display:none, visibility:hidden and
# closed <details>) and the placeholder, aria-label, title and value of every visible element; SVG
# text of charts too. Streamlit's icons are ligatures ("keyboard_double_arrow_left") drawn as a
# glyph, not read as text, so they are left out.
READ = """(fixed) => {
  const out = [];
  const icon = (e) => e.closest('[data-testid="stIconMaterial"], [data-testid="stSidebarCollapseButton"] span,'
    + ' .material-symbols-rounded, [translate="no"][aria-hidden="true"]');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let texts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!e || icon(e) || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(e.tagName)) continue;
    if (e.closest('code, pre, [data-testid="stCode"]')) continue;  // a command to type as it stands
    if (e.closest('.task-no')) continue;  // a task number as the test numbers it ("1.1")
    // Left alone: the uploader button's "Upload" is its accessible name, and no API or style sheet
    // replaces it (components/theme.py); the one English word the scan lets through, on that button only.
    if (e.closest('[data-testid="stFileUploaderDropzone"] button') && n.textContent.trim() === 'Upload') continue;
    // Left alone too: Streamlit's skip link ("Skip to main content", first in the tab order, seen only when
    // focused) has no argument or setting for its text; hidden, keyboard users lose the way past the
    // sidebar, which matters more than its language.
    if (e.closest('[data-testid="stSkipToContent"]')) continue;
    if (!e.checkVisibility({visibilityProperty: true, opacityProperty: false})) continue;
    if (e.closest('details:not([open]) > :not(summary)')) continue;
    const t = n.textContent.trim();
    if (t) texts.push(t);
  }
  out.push(...texts);
  for (const e of document.querySelectorAll('[placeholder], [aria-label], [title], input[type=text], textarea')) {
    if (!e.checkVisibility({visibilityProperty: true})) continue;
    if (icon(e)) continue;
    for (const a of ['placeholder', 'aria-label', 'title']) {
      const v = e.getAttribute(a);
      const streamlits = a === 'aria-label' && fixed.some(([sel, re]) => e.matches(sel) && new RegExp(re).test(v));
      if (v && !streamlits) out.push(v);
    }
  }
  for (const f of document.querySelectorAll('iframe')) {  // our own components (same origin)
    try { if (f.checkVisibility() && f.contentDocument) out.push(f.contentDocument.body.innerText); } catch (e) { }
  }
  return out;
}"""

# The accessible names Streamlit's widgets give their inner parts, read by a screen reader only, which no
# argument, setting or style sheet can change (an attribute, not text). Each is listed by the element it
# sits on, so the same word anywhere else still fails.
# - The drop-down button of a select box and a multiselect ("Open") and a multiselect's clear button
#   ("Clear all"): kept. Streamlit 1.67 sets these aria-labels in its own code with no argument for
#   them; the alternatives are worse: a script rewriting the attribute behind React (undone on every
#   redraw, and a second way to draw a widget), or radio buttons instead of every select box (a list of
#   12 schools or 30 indicators does not fit a screen). The visible text of both is Danish.
# - Dates: none left. Every date is a Danish text field "dd.mm.åååå" (components/formatting.parse_date),
#   so Streamlit's date field ("day, month, year", "Choose date") is on no screen
#   (tests/test_date_fields.py::test_no_screen_uses_streamlits_date_field).
FIXED_NAMES = [
    ('[data-testid="stSelectbox"] button[aria-haspopup="listbox"]', "^Open$"),
    ('[data-testid="stMultiSelect"] button[aria-haspopup="listbox"]', "^Open$"),
    ('[data-testid="stMultiSelect"] button', "^Clear all$"),
    # An uploaded file's chip: its name for a screen reader is "elever.csv, 9.0B" (the size in English
    # notation; the size shown is hidden, components/theme.py), its delete button "Remove elever.csv",
    # and the uploader's add button "Add files": attributes its code sets, as above.
    ('[data-testid="stFileChip"]', r"^.*, \d+(\.\d)?(B|KB|MB|GB)$"),
    ('[data-testid="stFileChipDeleteBtn"] button', "^Remove "),
    ('[data-testid="stFileChips"] button', "^Add files$"),
]

# Open every closed expander by a click on its label, as a user does, and list the tabs to show in turn.
# A table under a chart is built only when opened (components/on_open.py): the click asks the server
# for a run, so wait for it, and open what that run drew closed (a table in a newly built part).
_OPEN_EXPANDERS = """() => { let n = 0;
  for (const s of document.querySelectorAll('details:not([open]) > summary')) { s.click(); n++; } return n; }"""


def open_expanders(page, rounds: int = 5) -> None:
    for _ in range(rounds):
        if not page.evaluate(_OPEN_EXPANDERS):
            return
        wait_until_idle(page)
    raise AssertionError(f"{page.url}: expanders still closed after {rounds} rounds of opening them")


def hits_in(texts: list[str]) -> list[str]:
    """Every English UI word and internal id in what the user reads, as 'kind: match «context»'."""
    found = []
    for text in texts:
        for m in _ENGLISH.finditer(text):
            found.append(f"engelsk: {m.group(0)} «{text[max(0, m.start() - 30) : m.end() + 30]}»")
        plain = _DANISH_DATE.sub(" ", text)
        for kind, pattern in _CODES:
            for m in pattern.finditer(plain):
                found.append(f"{kind}: {m.group(0)} «{plain[max(0, m.start() - 30) : m.end() + 30]}»")
    return found


def move_away(page) -> None:
    """The pointer to the bottom right corner, over nothing: a tooltip under it is not the page, and
    over the sidebar Streamlit shows its "Collapse sidebar" button."""
    size = page.viewport_size
    page.mouse.move(size["width"] - 5, size["height"] - 5)


def read_as_it_opens(page) -> list[str]:
    """What the user reads on the screen as it opens: no expander opened, no other tab shown."""
    move_away(page)
    return page.evaluate(READ, FIXED_NAMES)


def read_screen(page) -> list[str]:
    """What the user reads on the screen as it opens, with its expanders open, and on each tab."""
    move_away(page)
    open_expanders(page)
    texts = page.evaluate(READ, FIXED_NAMES)
    tabs = page.locator('[data-baseweb="tab-list"] [role="tab"]')
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        if tab.get_attribute("aria-selected") == "true" or not tab.is_visible():
            continue
        click_and_wait(page, tab)  # every tab is lazy (components/on_open.tab): its click reruns
        move_away(page)
        open_expanders(page)
        texts += page.evaluate(READ, FIXED_NAMES)
    return texts
