"""Export renderers for the minutes and the data package: Word (python-docx), PDF (fpdf2), HTML and
Markdown, all from one list of `Block`s. Charts are rendered to PNG on the server (vl-convert), so
the documents carry static images.

User text is text, never markup: the minutes arrive as blocks (components.minutes) whose text is
written into Word and PDF as it is, into HTML through an autoescaping Jinja2 template and then
the nh3 allow-list sanitiser, and into Markdown with every character that Markdown or HTML would
read escaped. Only the generated data package is read from Markdown (`read_markdown`)."""
from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass

import altair as alt
import jinja2
import nh3
import vl_convert
from docx import Document
from docx.shared import Cm, Pt
from fpdf import FPDF
from markupsafe import Markup

IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<name>[^)]+)\)$")


@dataclass
class Block:
    kind: str            # heading | paragraph | bullet | table | image
    text: str = ""
    level: int = 0
    rows: list[list[str]] | None = None   # table: header row first; image: [[file name]]


def chart_png(chart: alt.Chart) -> bytes:
    return vl_convert.vegalite_to_png(chart.to_json(), scale=2)


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
STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}"
         "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px}img{max-width:100%}"
         "figure{margin:1em 0}")
ALLOWED_TAGS = {"h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "figure",
                "img", "figcaption"}
_PNG = "data:image/png;base64,"


def _only_png(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.startswith(_PNG):
        return None
    return value


def sanitise(body: str) -> str:
    """The allow-list: the template's tags, img with alt and an embedded PNG, nothing else."""
    return nh3.clean(body, tags=ALLOWED_TAGS, attributes={"img": {"src", "alt"}}, url_schemes={"data"},
                     attribute_filter=_only_png, strip_comments=True, link_rel=None)


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
            items.append({"kind": "image", "text": block.text,
                          "src": _PNG + base64.b64encode(images[block.rows[0][0]]).decode()})
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
def to_docx(document: str | list[Block], images: dict[str, bytes]) -> bytes:
    word = Document()
    word.styles["Normal"].font.size = Pt(11)
    for block in _blocks(document):
        if block.kind == "heading":
            word.add_heading(block.text, level=min(max(int(block.level), 1), 3))
        elif block.kind == "bullet":
            word.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "paragraph":
            word.add_paragraph(block.text)
        elif block.kind == "table" and block.rows:
            table = word.add_table(rows=len(block.rows), cols=max(len(r) for r in block.rows))
            table.style = "Table Grid"
            for i, row in enumerate(block.rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
        elif block.kind == "image" and block.rows and block.rows[0][0] in images:
            word.add_picture(io.BytesIO(images[block.rows[0][0]]), width=Cm(15))
            word.add_paragraph(block.text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# -- PDF -------------------------------------------------------------------------------------
# The PDF uses the core Helvetica font (Latin-1: æ, ø and å are in it); a few typographic
# characters outside Latin-1 are written plainly.
_LATIN1 = str.maketrans({"−": "-", "–": "-", "—": "-", "“": '"', "”": '"', "’": "'", "…": "...", "▲": "op",
                         "▼": "ned", "»": '"', "«": '"', "≈": "ca."})


def _pdf_text(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def to_pdf(document: str | list[Block], images: dict[str, bytes]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for block in _blocks(document):
        if block.kind == "heading":
            pdf.set_font("Helvetica", "B", {1: 16, 2: 13}.get(block.level, 11))
            pdf.multi_cell(width, 8, _pdf_text(block.text))
            pdf.ln(1)
        elif block.kind in ("paragraph", "bullet"):
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(width, 5, ("- " if block.kind == "bullet" else "") + _pdf_text(block.text))
            pdf.ln(1)
        elif block.kind == "table" and block.rows:
            pdf.set_font("Helvetica", "", 9)
            columns = max(len(r) for r in block.rows)
            with pdf.table(width=width, text_align="LEFT") as table:
                for row in block.rows:
                    cells = table.row()
                    for cell in [*row, *[""] * (columns - len(row))]:
                        cells.cell(_pdf_text(cell))
            pdf.ln(2)
        elif block.kind == "image" and block.rows and block.rows[0][0] in images:
            pdf.image(io.BytesIO(images[block.rows[0][0]]), w=width * 0.9)
            pdf.set_font("Helvetica", "I", 9)
            pdf.multi_cell(width, 5, _pdf_text(block.text))
    return bytes(pdf.output())
