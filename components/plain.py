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

Every ASCII punctuation character becomes a numeric character reference (`<` is `&#60;`, `!` is
`&#33;`). CommonMark decodes a reference to the literal character and never reads it as syntax,
and HTML does the same, so the one encoding holds in both and inside an HTML block (where
backslash escapes would show). Letters, digits, spaces and non-ASCII text stay as typed.
"""
from __future__ import annotations

import string

_REFERENCES = {ord(c): f"&#{ord(c)};" for c in string.punctuation + "\t"}


def _lines(value: object) -> list[str]:
    text = "" if value is None else str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _encode(line: str) -> str:
    return line.translate(_REFERENCES)


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
