"""Export renderers for the minutes, the agenda and the data package: Word (python-docx, see
components.word_documents), PDF (the HTML laid out by WeasyPrint as tagged PDF/UA), HTML and
Markdown, all from one list of `Block`s. Charts are rendered to PNG on the server (vl-convert) at a
fixed size and scale, so the documents carry static images at print resolution.

User text is text, never markup: the minutes arrive as blocks (components.minutes) whose text is
written into Word and PDF as it is, into HTML through an autoescaping Jinja2 template and then
the nh3 allow-list sanitiser, and into Markdown with every character that Markdown or HTML would
read escaped. Only the generated data package is read from Markdown (`read_markdown`)."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import altair as alt
import jinja2
import nh3
import vl_convert
from markupsafe import Markup

from components import word_documents
from components.word_documents import Meta

IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<name>[^)]+)\)$")


@dataclass
class Block:
    kind: str  # heading | paragraph | bullet | table | image
    text: str = ""
    level: int = 0
    rows: list[list[str]] | None = None  # table: header row first; image: [[file name]]


# Charts for documents: drawn 680 x 300 px and rendered at scale 3 (2040 px wide: about 300 dpi
# at the 16-17 cm a page gives them); the screen's 16 px labels print at about 11 pt.
PRINT_WIDTH, PRINT_HEIGHT, PRINT_SCALE = 680, 300, 3


def chart_spec(chart: alt.Chart, width: int = PRINT_WIDTH, height: int = PRINT_HEIGHT) -> str:
    return chart.properties(width=width, height=height).to_json()


def chart_png(chart: alt.Chart, width: int = PRINT_WIDTH, height: int = PRINT_HEIGHT) -> bytes:
    return vl_convert.vegalite_to_png(chart_spec(chart, width, height), scale=PRINT_SCALE)


def _plain(text: str) -> str:
    return text.replace("**", "").replace("*", "")


def read_markdown(text: str) -> list[Block]:
    """The subset of Markdown the generated data package uses: headings, paragraphs, bullets,
    tables, images (emphasis is dropped)."""
    blocks: list[Block] = []
    table: list[list[str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            cells = [_plain(c.strip()) for c in line.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                table.append(cells)
            continue
        if table:
            blocks.append(Block("table", rows=table))
            table = []
        if not line or line.startswith("<!--"):
            continue
        if match := IMAGE.match(line):
            blocks.append(Block("image", text=match["alt"], rows=[[match["name"]]]))
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Block("heading", text=_plain(line[level:].strip()), level=level))
        elif line.startswith("- "):
            blocks.append(Block("bullet", text=_plain(line[2:])))
        else:
            blocks.append(Block("paragraph", text=_plain(line)))
    if table:
        blocks.append(Block("table", rows=table))
    return blocks


def _blocks(document: str | list[Block]) -> list[Block]:
    return read_markdown(document) if isinstance(document, str) else document


# -- HTML ------------------------------------------------------------------------------------
# The body comes from an autoescaping template (every value is text), then passes nh3 with an
# allow-list of the tags the template writes; images only as embedded PNG. The page shell is
# fixed and carries a Content-Security-Policy that allows no script, frame, form or request.
_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_BODY = _ENV.from_string("""\
{% for b in blocks %}
{% if b.kind == "heading" %}
<h{{ b.level }}>{{ b.text }}</h{{ b.level }}>
{% elif b.kind == "paragraph" %}
<p>{{ b.text }}</p>
{% elif b.kind == "bullets" %}
<ul>
{% for item in b.entries %}
<li>{{ item }}</li>
{% endfor %}
</ul>
{% elif b.kind == "table" %}
<table>
<thead><tr>{% for cell in b.rows[0] %}<th>{{ cell }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in b.rows[1:] %}
<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% elif b.kind == "image" %}
<figure><img src="{{ b.src }}" alt="{{ b.text }}"><figcaption>{{ b.text }}</figcaption></figure>
{% endif %}
{% endfor %}
""")
_PAGE = _ENV.from_string("""\
<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<title>{{ title }}</title>
<style>{{ style }}</style>
</head>
<body>
{{ body }}
</body>
</html>
""")
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}"
    "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px}img{max-width:100%}"
    "figure{margin:1em 0}"
)
ALLOWED_TAGS = {
    "h1",
    "h2",
    "h3",
    "p",
    "ul",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "img",
    "figcaption",
}
_PNG = "data:image/png;base64,"


def _only_png(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.startswith(_PNG):
        return None
    return value


def sanitise(body: str) -> str:
    """The allow-list: the template's tags, img with alt and an embedded PNG, nothing else."""
    return nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        attributes={"img": {"src", "alt"}},
        url_schemes={"data"},
        attribute_filter=_only_png,
        strip_comments=True,
        link_rel=None,
    )


def _html_items(blocks: list[Block], images: dict[str, bytes]) -> list[dict]:
    items: list[dict] = []
    for block in blocks:
        if block.kind == "bullet":
            if items and items[-1]["kind"] == "bullets":
                items[-1]["entries"].append(block.text)
            else:
                items.append({"kind": "bullets", "entries": [block.text]})
        elif block.kind == "heading":
            items.append({"kind": "heading", "text": block.text, "level": min(max(int(block.level), 1), 3)})
        elif block.kind == "table" and block.rows:
            items.append({"kind": "table", "rows": block.rows})
        elif block.kind == "image" and block.rows and block.rows[0][0] in images:
            items.append(
                {"kind": "image", "text": block.text, "src": _PNG + base64.b64encode(images[block.rows[0][0]]).decode()}
            )
        elif block.kind == "paragraph":
            items.append({"kind": "paragraph", "text": block.text})
    return items


def to_html(document: str | list[Block], images: dict[str, bytes], title: str) -> str:
    body = sanitise(_BODY.render(blocks=_html_items(_blocks(document), images)))
    return _PAGE.render(csp=CSP, title=title, style=Markup(STYLE), body=Markup(body))


# -- Markdown --------------------------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([#+\->])|(\d+)([.)]))")


def markdown_escape(text: str, streamlit: bool = False, cell: bool = False) -> str:
    """Text that any Markdown reader shows as the same text: no emphasis, link, image, raw HTML,
    heading or list is made from it (`<` and `>` become entities, which Markdown never reads as
    tags). `cell` escapes `|` for a table cell; `streamlit` also escapes Streamlit's own
    directives (`:blue[…]`, `:emoji:`, `$…$`, `~~…~~`)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    if streamlit:
        text = text.replace(":", "\\:").replace("$", "\\$").replace("~", "\\~")
    if cell:
        return text.replace("|", "\\|")
    return _MD_LINE_START.sub(lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\" + m[4]), text)


def _cell(text: str, streamlit: bool) -> str:
    return markdown_escape(" ".join(text.split()), streamlit, cell=True)


def to_markdown(document: list[Block], streamlit: bool = False) -> str:
    lines: list[str] = []
    previous = None
    for block in document:
        text = " ".join(block.text.split())
        if previous == "bullet" and block.kind != "bullet":
            lines.append("")
        if block.kind == "heading":
            lines += ["", "#" * min(max(int(block.level), 1), 6) + " " + markdown_escape(text, streamlit), ""]
        elif block.kind == "paragraph":
            lines += [markdown_escape(text, streamlit), ""]
        elif block.kind == "bullet":
            lines.append("- " + markdown_escape(text, streamlit))
        elif block.kind == "table" and block.rows:
            width = max(len(r) for r in block.rows)
            lines += ["", "| " + " | ".join(_cell(c, streamlit) for c in block.rows[0]) + " |", "|" + "---|" * width]
            lines += ["| " + " | ".join(_cell(c, streamlit) for c in row) + " |" for row in block.rows[1:]]
            lines.append("")
        elif block.kind == "image" and block.rows:
            lines += [f"![{markdown_escape(text)}]({block.rows[0][0]})", ""]
        previous = block.kind
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# -- Word ------------------------------------------------------------------------------------
def to_docx(document: str | list[Block], images: dict[str, bytes], meta: Meta | None = None) -> bytes:
    """Word (components.word_documents): A4, da-DK, the school as author, real heading styles."""
    return word_documents.to_docx(_blocks(document), images, meta)


# -- PDF -------------------------------------------------------------------------------------
# The PDF is the HTML's own content laid out by WeasyPrint as tagged PDF/UA-1: A4, Danish
# (lang="da"), bookmarks from the headings, DejaVu Sans embedded, headings kept with what
# follows (no heading is cut at a page or chart). The header and footer are running elements of
# a fixed, autoescaping shell. The renderer fetches nothing: only embedded data: images load.
_PRINT_STYLE = """
@page { size: A4; margin: 2.4cm 2cm 2.2cm 2cm;
  @top-left { content: element(top); width: 70%; }
  @top-right { content: element(mark); }
  @bottom-left { content: element(bottom); width: 70%; }
  @bottom-right { content: "Side " counter(page) " af " counter(pages); font: 8.5pt 'DejaVu Sans'; color: #444; } }
html { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; line-height: 1.4; color: #111;
  font-variant-ligatures: none; }
.running-top { position: running(top); font-size: 8.5pt; color: #444; }
.running-mark { position: running(mark); font-size: 8.5pt; font-weight: bold; color: #A33B00; }
.running-bottom { position: running(bottom); font-size: 8.5pt; color: #444; }
h1 { font-size: 17pt; color: #1F3A5F; margin: 0 0 .4em; }
h2 { font-size: 13pt; color: #1F3A5F; margin: 1.1em 0 .3em; }
h3 { font-size: 11pt; color: #1F3A5F; margin: 1em 0 .3em; }
h1, h2, h3 { break-after: avoid; break-inside: avoid; }
p, li { orphans: 2; widows: 2; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em; font-size: 9pt; }
th, td { border: .5pt solid #888; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #E8EEF4; }
tr { break-inside: avoid; }
figure { margin: .5em 0 1em; break-inside: avoid; }
img { width: 100%; }
figcaption { font-size: 8.5pt; color: #333; }
"""
_PRINT_PAGE = _ENV.from_string("""\
<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<title>{{ meta.title }}</title>
<meta name="author" content="{{ meta.school }}">
<meta name="description" content="{{ meta.subject }}">
<style>{{ style }}</style>
</head>
<body>
<div class="running-top">{{ meta.running_title }}</div>
{% if meta.confidential %}<div class="running-mark">{{ confidential }}</div>{% endif %}
<div class="running-bottom">{{ meta.school }}{% if meta.date %} · {{ meta.date }}{% endif %}</div>
{{ body }}
</body>
</html>
""")


def print_html(document: str | list[Block], images: dict[str, bytes], meta: Meta) -> str:
    """The page WeasyPrint lays out: the sanitised body of `to_html` in a print shell."""
    body = sanitise(_BODY.render(blocks=_html_items(_blocks(document), images)))
    return _PRINT_PAGE.render(
        meta=meta, style=Markup(_PRINT_STYLE), body=Markup(body), confidential=word_documents.CONFIDENTIAL
    )


def to_pdf(document: str | list[Block], images: dict[str, bytes], meta: Meta | None = None) -> bytes:
    import weasyprint  # needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0)

    blocks = _blocks(document)
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"}, timeout=1)
    html = weasyprint.HTML(
        string=print_html(blocks, images, meta or word_documents.default_meta(blocks)), url_fetcher=fetcher
    )
    return html.write_pdf(pdf_variant="pdf/ua-1")
