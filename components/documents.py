"""Export renderers for minutes and the data package: one small Markdown reader feeds Word
(python-docx), PDF (fpdf2) and HTML (Markdown). Charts are rendered to PNG on the server
(vl-convert), so the documents carry static images."""
from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass

import altair as alt
import markdown as markdown_lib
import vl_convert
from docx import Document
from docx.shared import Cm, Pt
from fpdf import FPDF

IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<name>[^)]+)\)$")


@dataclass
class Block:
    kind: str            # heading | paragraph | bullet | table | image
    text: str = ""
    level: int = 0
    rows: list[list[str]] | None = None


def chart_png(chart: alt.Chart) -> bytes:
    return vl_convert.vegalite_to_png(chart.to_json(), scale=2)


def read_markdown(text: str) -> list[Block]:
    """The subset of Markdown the minutes use: headings, paragraphs, bullets, tables, images."""
    blocks: list[Block] = []
    table: list[list[str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
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
            blocks.append(Block("heading", text=line[level:].strip(), level=level))
        elif line.startswith("- "):
            blocks.append(Block("bullet", text=line[2:]))
        else:
            blocks.append(Block("paragraph", text=line))
    if table:
        blocks.append(Block("table", rows=table))
    return blocks


def _plain(text: str) -> str:
    return text.replace("**", "").replace("*", "")


def to_html(text: str, images: dict[str, bytes], title: str) -> str:
    body = markdown_lib.markdown(text, extensions=["tables"])
    for name, png in images.items():
        body = body.replace(f'src="{name}"', f'src="data:image/png;base64,{base64.b64encode(png).decode()}"')
    return (f'<!DOCTYPE html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}"
            "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px}img{max-width:100%}"
            f"</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def to_docx(text: str, images: dict[str, bytes]) -> bytes:
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    for block in read_markdown(text):
        if block.kind == "heading":
            document.add_heading(_plain(block.text), level=min(block.level, 3))
        elif block.kind == "bullet":
            document.add_paragraph(_plain(block.text), style="List Bullet")
        elif block.kind == "paragraph":
            document.add_paragraph(_plain(block.text))
        elif block.kind == "table":
            table = document.add_table(rows=len(block.rows), cols=max(len(r) for r in block.rows))
            table.style = "Table Grid"
            for i, row in enumerate(block.rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = _plain(cell)
        elif block.kind == "image" and block.rows[0][0] in images:
            document.add_picture(io.BytesIO(images[block.rows[0][0]]), width=Cm(15))
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# The PDF uses the core Helvetica font (Latin-1: æ, ø and å are in it); a few typographic
# characters outside Latin-1 are written plainly.
_LATIN1 = str.maketrans({"−": "-", "–": "-", "—": "-", "“": '"', "”": '"', "’": "'", "…": "...", "▲": "op",
                         "▼": "ned", "»": '"', "«": '"', "≈": "ca."})


def _pdf_text(text: str) -> str:
    return _plain(text).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def to_pdf(text: str, images: dict[str, bytes]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for block in read_markdown(text):
        if block.kind == "heading":
            pdf.set_font("Helvetica", "B", {1: 16, 2: 13}.get(block.level, 11))
            pdf.multi_cell(width, 8, _pdf_text(block.text))
            pdf.ln(1)
        elif block.kind in ("paragraph", "bullet"):
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(width, 5, ("- " if block.kind == "bullet" else "") + _pdf_text(block.text))
            pdf.ln(1)
        elif block.kind == "table":
            pdf.set_font("Helvetica", "", 9)
            with pdf.table(width=width, text_align="LEFT") as table:
                for row in block.rows:
                    cells = table.row()
                    for cell in row:
                        cells.cell(_pdf_text(cell))
            pdf.ln(2)
        elif block.kind == "image" and block.rows[0][0] in images:
            pdf.image(io.BytesIO(images[block.rows[0][0]]), w=width * 0.9)
            pdf.set_font("Helvetica", "I", 9)
            pdf.multi_cell(width, 5, _pdf_text(block.text))
    return bytes(pdf.output())
