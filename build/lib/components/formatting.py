"""The one place numbers and dates become Danish text (decimal comma, thousands dot)."""
from __future__ import annotations

from datetime import date

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december"]
MINUS = "−"  # a real minus sign reads better on a projector than a hyphen

DECIMALS = {"score": 2, "pct": 1, "grade": 1, "count": 0, "decimal": 1}


def number(value: float | None, decimals: int = 1, sign: bool = False) -> str:
    if value is None:
        return "–"
    text = f"{abs(value):,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    if round(value, decimals) < 0:
        return MINUS + text
    return ("+" + text) if sign and round(value, decimals) > 0 else (
        ("±" + text) if sign else text)


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    text = number(value, DECIMALS[unit])
    return f"{text} %" if unit == "pct" else text


def format_change(change: float | None, unit: str) -> str:
    """A difference: percentage points for shares, points for scores and grades."""
    if change is None:
        return "–"
    text = number(change, DECIMALS[unit], sign=True)
    if unit == "pct":
        return f"{text} pct.-point"
    if unit == "count":
        return text
    return f"{text} point"


def danish_date(d: date) -> str:
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"
