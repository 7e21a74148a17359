"""Page-wide styling: large, readable type for the projector, and the demo banner."""

from __future__ import annotations

import streamlit as st

from components.palette import NEUTRAL
from data.importers.reading import limits

IMPORT_MB = limits()["max_file_mb"]
TEMPLATE_MB = 5  # components/word_templates.MAX_BYTES (tests/test_upload_gate.py keeps them equal; that import is slow)

_CSS = f"""
<style>
.kf-card {{ container-type: inline-size; overflow-wrap: break-word; border: 1px solid #d0d0d0; border-radius: 10px;
           padding: 14px 18px; margin-bottom: 14px;
           background: #ffffff; min-height: 260px; }}
.kf-label {{ font-size: 1.15rem; font-weight: 600; color: #1a1a1a; }}
.kf-value {{ font-size: 2.6rem; font-weight: 700; color: #1a1a1a; line-height: 1.2; margin: 4px 0; }}
.kf-value.kf-muted {{ font-size: 1.25rem; font-weight: 600; margin: 14px 0; }}
.kf-detail {{ font-size: 1.1rem; color: {NEUTRAL}; margin-bottom: 4px; }}
.kf-table {{ width: 100%; border-collapse: collapse; font-size: 1.12rem; line-height: 1.45; table-layout: fixed; }}
.kf-table th, .kf-table td {{ border: none; padding: 1px 8px 1px 0; text-align: left;
                              font-weight: normal; vertical-align: baseline; }}
.kf-table th {{ color: {NEUTRAL}; width: 34%; }}
.kf-cmp-value {{ font-weight: 600; width: 24%; }}
.kf-diff {{ font-weight: 600; }}
/* Narrow cards (a laptop with the sidebar open): label and value on one line, the verdict under. */
@container (max-width: 360px) {{
  .kf-table, .kf-table tbody {{ display: block; }}
  .kf-table tr {{ display: grid; grid-template-columns: 1fr auto; column-gap: 8px; padding: 2px 0;
                 border-bottom: 1px solid #eeeeee; }}
  .kf-table th, .kf-table .kf-cmp-value {{ width: auto; }}
  .kf-table td.kf-diff {{ grid-column: 1 / -1; }}
}}
.kf-muted {{ color: {NEUTRAL}; }}
.kf-source {{ font-size: 1rem; color: {NEUTRAL}; margin-top: 8px; border-top: 1px solid #e6e6e6;
             padding-top: 6px; }}
/* Streamlit's English hint under text fields ("Press Enter to apply"): the fields save on leaving anyway. */
[data-testid="InputInstructions"] {{ display: none; }}
/* Streamlit's own English, which no API translates (tests/language_scan.py reads the DOM):
   the toolbar over tables and charts ("Download as CSV", "Search", "Fullscreen", "Add row"; every data
   screen has its own Danish "Hent som Excel/CSV", and an editor adds rows in its last, empty row),
   Vega's action menu ("Copy Vega-Lite spec"), the password field's "Show password" button, and the
   cookie component of streamlit-authenticator, an invisible frame titled with its Python name, and the
   link icon beside every heading ("Link to heading"; nobody links to a heading of a screen). */
[data-testid="stElementToolbar"], .vega-embed details, .vega-embed .vega-actions,
[data-testid="stHeaderActionElements"],
[data-testid="stTextInputRootElement"] button[aria-label="Show password"],
iframe[title^="extra_streamlit_components"] {{ display: none !important; }}
/* The file uploader's hint "200MB per file" (github.com/streamlit/streamlit/issues/13500: no argument
   for it) is hidden (display: none, so neither shown nor read) and Danish text drawn in its place, with
   the limit the upload gate applies (components/upload_gate.py; the Word template's is 5 MB); the
   field's label names the file types. Its button's "Upload" stays: hidden, the button has no
   accessible name (axe-core: button-name), and CSS cannot give it one. */
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "Træk filerne hertil eller vælg dem · højst {IMPORT_MB} MB pr. fil"; color: #1a1a1a; }}
/* An uploaded file's size in English notation ("9.0B", "1.2MB"): the name is enough, and a refused
   file's size is said in Danish by the screen. */
[data-testid="stFileChipName"] + * {{ display: none; }}
.st-key-municipal_template [data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "Træk skabelonen hertil eller vælg den · højst {TEMPLATE_MB} MB"; }}
.demo-banner {{ background: #fff3cd; border: 2px solid #8a6d00; color: #3d3000; padding: 8px 16px;
               border-radius: 8px; font-weight: 700; font-size: 1.1rem; margin-bottom: 12px; }}
</style>
"""


def apply_theme() -> None:
    st.markdown(_CSS, unsafe_allow_html=True)


def demo_banner(runner, scope=None) -> None:
    """The demo notice, while the store holds demo rows: for the whole page when every school the
    user sees is a demo school, naming the demo schools when the store holds imported ones too,
    and not at all once no demo school is left (queries/demo_schools.sql)."""
    from components import plain
    from queries.runner import Scope

    scope = scope or Scope("admin", None)
    demo = runner.run("demo_schools", scope)
    if demo.is_empty():
        return
    shown = runner.run("schools", scope)
    if len(demo) >= len(shown):
        text = (
            "Demodata — fiktive tal. Skoler, elever og resultater er syntetiske og kan ikke bruges til "
            "at sige noget om virkelige skoler."
        )
    else:
        names = ", ".join(plain.html(n) for n in demo["name"].to_list())
        text = (
            f"Demodata — fiktive tal for {names}. Disse skolers elever og resultater er syntetiske; "
            "de andre skolers tal er importerede."
        )
    st.markdown(f'<div class="demo-banner" role="note">{text}</div>', unsafe_allow_html=True)
