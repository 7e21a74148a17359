"""The one place numbers and dates become Danish text (decimal comma, thousands dot)."""

from __future__ import annotations

import re
from datetime import date

MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
MINUS = "−"  # a real minus sign reads better on a projector than a hyphen

DECIMALS = {"score": 2, "pct": 1, "grade": 1, "count": 0, "decimal": 1}


def number(value: float | None, decimals: int = 1, sign: bool = False) -> str:
    if value is None:
        return "–"
    text = f"{abs(value):,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    if round(value, decimals) < 0:
        return MINUS + text
    return ("+" + text) if sign and round(value, decimals) > 0 else (("±" + text) if sign else text)


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


def field_text(value: float | None, decimals: int = 1) -> str:
    """A number as a field shows it: an integer without decimals ("20", never "20.0"), otherwise a
    decimal comma with at most `decimals` decimals and no trailing zero ("3,5")."""
    if value is None:
        return ""
    if float(value).is_integer():
        return number(value, 0)
    text = number(value, decimals)
    return text.rstrip("0").rstrip(",") if "," in text else text


_TYPED_NUMBER = re.compile(r"[-−]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")


def parse_number(text: str | None) -> float | None:
    """What the user typed in a number field, read the Danish way: a decimal comma, thousands with a
    point ("1.234,5"), an optional minus and " %". Empty is None; anything else is refused with a
    Danish message (ValueError): "3.5" would be 35 or 3,5 depending on who typed it."""
    cleaned = (text or "").strip().removesuffix("%").strip()
    if not cleaned:
        return None
    if not _TYPED_NUMBER.fullmatch(cleaned):
        raise ValueError(f"»{text.strip()}« kan ikke læses som et tal. Skriv et tal med komma, fx 12,5.")
    value = float(cleaned.replace("−", "-").replace(".", "").replace(",", "."))
    return value


DATE_PLACEHOLDER = "dd.mm.åååå"
_TYPED_DATE = re.compile(r"(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})")


def date_text(value: date | None) -> str:
    """A date as a date field shows it: 01.08.2025 (empty for none)."""
    return value.strftime("%d.%m.%Y") if value else ""


def parse_date(text: str | None) -> date | None:
    """What the user typed in a date field, read the Danish way: day, month, year ("24.11.2026"; also
    "24-11-2026", "24/11/2026", "1.8.2025"). Empty is None; anything else, an ISO date "2026-11-24"
    and a day that does not exist among them, is refused with a Danish message (ValueError)."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    found = _TYPED_DATE.fullmatch(cleaned)
    if found:
        day, month, year = (int(g) for g in found.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(
                f"»{cleaned}« er ikke en dato, der findes. Skriv datoen som dd.mm.åååå, fx 24.11.2026."
            ) from None
    raise ValueError(f"»{cleaned}« kan ikke læses som en dato. Skriv datoen som dd.mm.åååå, fx 24.11.2026.")
