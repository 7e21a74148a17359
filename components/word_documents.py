"""Word documents as a municipality sends them (python-docx): A4, Danish (da-DK) on the defaults,
the styles and every run, the school as author and the document as title (never the library's
own template text), real heading styles (Heading 1-3, so the navigation pane and a table of
contents work), a header with the school and title, a footer with the date and "Side X af Y"
fields, tables with a repeated bold header row and right-aligned Danish numbers, and charts as
images with alt text (docPr descr).

Text is written as text: a run never interprets what the user typed."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips

LANGUAGE = "da-DK"
PAGE_WIDTH, PAGE_HEIGHT = Twips(11906), Twips(16838)  # A4, as Word writes it
MARGIN = Cm(2.5)
IMAGE_WIDTH = Cm(16)
HEADING_COLOUR = RGBColor(0x1F, 0x3A, 0x5F)
CONFIDENTIAL = "Fortroligt – kun til intern brug"
FONT = "Arial"
# A Danish number as the formatting helpers write it: 1.234,5 · −0,3 · 12,0 % · +1,2 pct.-point.
NUMBER = re.compile(r"^[−+±-]?\d[\d.]*(?:,\d+)?(?:\s?(?:%|pct\.-point|point))?$")

_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>Datablik</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><Company>{company}</Company><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


@dataclass(frozen=True)
class Meta:
    """What a document says about itself: its title, the school (author), the date printed in
    the footer, and whether it is internal only (marked "Fortroligt" in the header)."""

    title: str
    school: str
    date: str = ""
    confidential: bool = False
    subject: str = "Skoleudviklingssamtale"

    @property
    def running_title(self) -> str:
        """The page header: the title, with the school in front unless the title names it."""
        return self.title if self.school in self.title else f"{self.school} · {self.title}"


def default_meta(blocks) -> Meta:
    title = next((b.text for b in blocks if b.kind == "heading"), "Dokument")
    return Meta(title=title, school="Datablik")


# -- language, template clean-up -------------------------------------------------------------
def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)


def _danish_defaults(word) -> None:
    """da-DK in the document defaults and every style; the template's Word 2010 copy of the styles
    (English) is dropped; the theme language and decimal symbol are Danish."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_lang(rpr)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            style_rpr = style.find(qn("w:rPr"))
            if style_rpr is None:
                style_rpr = OxmlElement("w:rPr")
                style.append(style_rpr)
            _set_lang(style_rpr)
    for rel_id, rel in list(word.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            word.part.drop_rel(rel_id)
    settings = word.settings.element
    for name, value in (("w:themeFontLang", LANGUAGE), ("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        node = settings.find(qn(name))
        if node is not None:
            node.set(qn("w:val"), value)
            for attribute in ("w:eastAsia", "w:bidi"):
                if node.get(qn(attribute)) is not None:
                    node.set(qn(attribute), LANGUAGE)
    package = word.part.package
    for rel_id, rel in list(package.rels.items()):  # the template's thumbnail of an empty page
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)


def _lang_on_every_run(element) -> None:
    for run in element.iter(qn("w:r")):
        _set_lang(run.get_or_add_rPr())


def _short(text: str, limit: int = 255) -> str:
    """Core properties hold at most 255 characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _properties(word, meta: Meta) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    core = word.core_properties
    core.title, core.author, core.last_modified_by = _short(meta.title), _short(meta.school), _short(meta.school)
    core.subject, core.language, core.category = (
        _short(meta.subject),
        LANGUAGE,
        ("Fortroligt" if meta.confidential else ""),
    )
    core.comments, core.keywords, core.identifier, core.content_status = (
        "",
        "",
        "",
        ("Fortroligt" if meta.confidential else ""),
    )
    core.created, core.modified, core.revision = now, now, 1
    for part in word.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            company = meta.school.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            part._blob = _APP_XML.format(company=company).encode("utf-8")


# -- page, header and footer -----------------------------------------------------------------
def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES): updated by Word and LibreOffice when the page is laid out."""

    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)

    begin, separate, end = (OxmlElement("w:fldChar") for _ in range(3))
    begin.set(qn("w:fldCharType"), "begin")
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} \\* MERGEFORMAT "
    run_with(begin)
    run_with(code)
    run_with(separate)
    paragraph.add_run(placeholder)
    run_with(end)


def _page(word, meta: Meta) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.2)
    right = PAGE_WIDTH - 2 * MARGIN
    header = section.header.paragraphs[0]
    header.add_run(meta.running_title).font.size = Pt(9)
    if meta.confidential:
        line = section.header.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        mark = line.add_run(CONFIDENTIAL)
        mark.bold, mark.font.size = True, Pt(9)
        mark.font.color.rgb = RGBColor(0xA3, 0x3B, 0x00)
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(right, alignment=WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run(f"{meta.school}" + (f" · {meta.date}" if meta.date else "") + "\tSide ")
    _field(footer, "PAGE", "1")
    footer.add_run(" af ")
    _field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size = Pt(9)


def _font(style, name: str) -> None:
    """An explicit font instead of the template's theme fonts (Cambria/Calibri): Arial is on every
    Windows and Mac, and LibreOffice shows it as the metric-compatible Liberation Sans."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)


def _styles(word) -> None:
    normal = word.styles["Normal"]
    _font(normal, FONT)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    for level, size in ((1, 18), (2, 14), (3, 12)):
        style = word.styles[f"Heading {level}"]
        _font(style, FONT)
        style.font.size, style.font.color.rgb = Pt(size), HEADING_COLOUR
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(14 if level < 3 else 10)
    for name in ("Header", "Footer"):  # the template's tab stops are for US Letter
        word.styles[name].paragraph_format.tab_stops.clear_all()
    caption = word.styles["Caption"]
    _font(caption, FONT)
    caption.font.size, caption.font.bold, caption.font.color.rgb = Pt(9), False, RGBColor(0x33, 0x33, 0x33)


# -- content -----------------------------------------------------------------------------------
def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _widths(rows: list[list[str]], columns: int, total: int) -> list[int]:
    """Column widths (EMU) in proportion to each column's longest text, but never narrower than
    its longest word (so "Skolen" or "3,50" is not broken over lines)."""
    cells = [[(r[j] if j < len(r) else "") for r in rows] for j in range(columns)]
    char, padding = Pt(9.5 * 0.6), Cm(0.4)
    minimum = [max(len(w) for c in col for w in (c.split() or [""])) * char + padding for col in cells]
    weights = [min(max(max(len(c) for c in col), 4), 45) for col in cells]
    if sum(minimum) >= total:  # very long words: share the width by them (Word wraps inside a word)
        return [int(total * m / sum(minimum)) for m in minimum]
    widths = [total * w / sum(weights) for w in weights]
    for _ in range(columns):  # lift the narrow columns, taking the room from the wide ones
        short = [j for j in range(columns) if widths[j] < minimum[j]]
        if not short:
            break
        need = sum(minimum[j] - widths[j] for j in short)
        spare = {j: widths[j] - minimum[j] for j in range(columns) if j not in short and widths[j] > minimum[j]}
        if not spare:
            break
        room = sum(spare.values())
        for j in short:
            widths[j] = minimum[j]
        for j, extra in spare.items():
            widths[j] -= need * extra / room
    return [max(int(w), int(Cm(0.5))) for w in widths]


def _cell_margins(table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 30), ("left", 85), ("bottom", 30), ("right", 85)):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(twips))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    table._tbl.tblPr.append(margins)


def _table(word, rows: list[list[str]]) -> None:
    columns = max(len(r) for r in rows)
    table = word.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _cell_margins(table)
    widths = _widths(rows, columns, PAGE_WIDTH - 2 * MARGIN)
    for i, row in enumerate(rows):
        tr = table.rows[i]
        properties = tr._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if i == 0:
            properties.append(OxmlElement("w:tblHeader"))  # repeated on every page
        for j in range(columns):
            text = row[j] if j < len(row) else ""
            cell = table.cell(i, j)
            cell.width = widths[j]
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(text)
            run.font.size = Pt(9.5)
            if i == 0:
                run.bold = True
                _shade(cell, "E8EEF4")
                paragraph.paragraph_format.keep_with_next = True
            elif j > 0 and NUMBER.match(text.strip()):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for j, column in enumerate(table.columns):
        column.width = widths[j]
    word.add_paragraph()


def _image(word, png: bytes, alt: str) -> None:
    word.add_picture(io.BytesIO(png), width=IMAGE_WIDTH)
    shape = word.inline_shapes[-1]
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("title", alt)
    caption = word.add_paragraph(alt, style="Caption")
    caption.paragraph_format.keep_with_next = False


def to_docx(blocks, images: dict[str, bytes], meta: Meta | None = None) -> bytes:
    meta = meta or default_meta(blocks)
    word = Document()
    _danish_defaults(word)
    _styles(word)
    _page(word, meta)
    for block in blocks:
        if block.kind == "heading":
            word.add_heading(block.text, level=min(max(int(block.level), 1), 3))
        elif block.kind == "bullet":
            word.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "paragraph":
            word.add_paragraph(block.text)
        elif block.kind == "table" and block.rows:
            if word.paragraphs and word.paragraphs[-1].style.name != "List Bullet":
                word.paragraphs[-1].paragraph_format.keep_with_next = True  # an intro stays with its table
            _table(word, block.rows)
        elif block.kind == "image" and block.rows and block.rows[0][0] in images:
            _image(word, images[block.rows[0][0]], block.text)
    _properties(word, meta)
    _lang_on_every_run(word.element.body)
    section = word.sections[0]
    _lang_on_every_run(section.header._element)
    _lang_on_every_run(section.footer._element)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
