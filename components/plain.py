"""User text on screen is text: never HTML, never Markdown.

st.markdown, st.title, st.caption, the alerts and widget labels all read Markdown, and Markdown
turns `![x](http://...)` into an image the browser fetches from any host and `[x](...)` into a
link; with unsafe_allow_html it also runs `<iframe srcdoc>`, `<style>` and `<form>`. Whatever a
user typed, an import brought in or a file named goes through one of these before it is put
into such an element:

- `md(value)`: a Markdown fragment on one line (titles, captions, alerts, **bold** lines);
- `md_lines(value)`: the same, keeping the typed line breaks;
- `html(value)`: text inside an HTML wrapper shown with unsafe_allow_html (line breaks as <br>);
- `attr(value)`: an HTML attribute value (aria-label, title).

Characters that make Markdown or HTML are written as numeric character references (`<` is
`&#60;`): everywhere `< > & " '` (HTML), `[ ]` (links and images), `* _ ~ | $`, the backtick and the
backslash (emphasis, code, tables, maths, escapes), `@` and the `:` of `://` and the `.` of `www.` (links made from
bare addresses); at the start of the text or a line also a heading, quote or list marker
(`#`, `>`, `-`, `1.` ...). CommonMark decodes a reference to the literal character and never
reads it as syntax, and HTML does the same, so one encoding holds in both, inside an HTML block
too (where backslash escapes would show). Everything else (letters, digits, `: , . / ( ) = %`
in running text) stays as typed.
"""

from __future__ import annotations

import re

_ALWAYS = {ord(c): f"&#{ord(c)};" for c in "<>&\"'[]*_~`|$\\@\t"}
_LINK = re.compile(r":(?=//)|(?<=www)\.", re.I)
_LINE_START = re.compile(r"^(\s*)(?:([!-/:-@\[-`{-~])|(\d+)([.)]))")


def _reference(match: re.Match) -> str:
    return f"&#{ord(match.group(0))};"


def _start(match: re.Match) -> str:
    space, mark, digits, after = match.groups()
    if mark is not None:
        return space + (mark if mark == "&" else f"&#{ord(mark)};")  # & starts a reference already
    return f"{space}{digits}&#{ord(after)};"


def _lines(value: object) -> list[str]:
    text = "" if value is None else str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _encode(line: str) -> str:
    line = _LINK.sub(_reference, line.translate(_ALWAYS))  # every literal & is a reference from here on
    return _LINE_START.sub(_start, line, count=1)


def md(value: object) -> str:
    """`value` as literal text in a Markdown context, on one line (runs of whitespace, line
    breaks included, become one space, so no line can start a heading, list or code block)."""
    return _encode(" ".join(" ".join(_lines(value)).split()))


def md_lines(value: object) -> str:
    """As `md`, keeping each typed line on its own line (a Markdown hard break)."""
    return "  \n".join(_encode(" ".join(line.split())) for line in _lines(value))


def html(value: object) -> str:
    """`value` as literal text inside an HTML element rendered with unsafe_allow_html. Line
    breaks become <br>, so the markup stays one line and no blank line ends the HTML block."""
    return "<br>".join(_encode(line) for line in _lines(value))


def attr(value: object) -> str:
    """`value` inside a double-quoted HTML attribute."""
    return _encode(" ".join(_lines(value)))


def bullets(lines: list[str]) -> str:
    """Messages that may quote what the user typed, as a Markdown list of literal lines."""
    return "\n".join(f"- {md(line)}" for line in lines)
