"""Turning text cells into typed values, column at a time (polars expressions, so a file of half a
million rows is checked in seconds). Each type gives the parsed value and a Danish explanation used
for every cell that does not parse."""

from __future__ import annotations

import csv
from functools import cache

import polars as pl

from data.importers.fields import values
from data.reference import REFERENCE_DIR

# Cells that mean "missing or suppressed" in Danish statistics, in a column of any type (text and
# enumerations too): never zero, never an error unless the column is required.
MISSING_ANYWHERE = ["-", "–", "—", "..", "…", "*", "<5", "< 5"]
# In a column of published figures "x" is a suppression mark too (elsewhere it can mean yes).
MISSING = [*MISSING_ANYWHERE, "x"]
# The shape of a CPR number: day and month of a birth date, two year digits, then 4 digits, in any
# spelling people and programs make of it: with or without separators (space, dot, hyphen, slash,
# underscore, colon) between the parts, in full-width digits (normalised first, NFKC).
_SEP = r"[\s.\-\u2010-\u2015\u2212\uFF0D\uFF0E\uFF0F\uFF3F/_:\\]{0,2}"
CPR_PATTERN = (
    rf"(?:^|[^0-9])(?:0[1-9]|[12][0-9]|3[01]){_SEP}(?:0[1-9]|1[0-2]){_SEP}[0-9]{{2}}{_SEP}[0-9]{{4}}"
    r"(?:[^0-9]|$)"
)
# A CPR number typed as a number in Excel loses its leading zero: a whole cell of 9 digits that is
# a valid day (01-09), month, year and 4 digits once zero-padded.
CPR_LOST_ZERO = r"^[1-9](?:0[1-9]|1[0-2])[0-9]{6}(?:\.0+)?$"
# A P-number (production unit) is 10 plain digits and may look like a birth date: in its column
# only the other spellings count.
P_NUMBER = r"^[0-9]{10}$"
MONTHS = {
    "januar": 1,
    "februar": 2,
    "marts": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
MARKS = {"-3": -3, "00": 0, "0": 0, "02": 2, "2": 2, "4": 4, "7": 7, "10": 10, "12": 12}


def _number_text(c: pl.Expr, danish: bool) -> pl.Expr:
    """A Danish or English number as text the cast understands: "2.351" -> 2351, "7,3" -> 7.3."""
    c = c.str.replace_all(r"[\s\u00a0%]", "").str.replace_all("−", "-")
    thousands = r"^-?\d{1,3}(\.\d{3})+(,\d+)?$" if danish else r"^-?\d{1,3}(,\d{3})+(\.\d+)?$"
    c = pl.when(c.str.contains(thousands)).then(c.str.replace_all(r"\." if danish else ",", "")).otherwise(c)
    return c.str.replace(",", ".", literal=True)


def _lookup(c: pl.Expr, kind: str) -> pl.Expr:
    table = values(kind)
    return c.str.to_lowercase().replace_strict(list(table), list(table.values()), default=None, return_dtype=pl.String)


def parse(column: str, type_: str, danish: bool) -> tuple[pl.Expr, str]:
    """(expression giving the typed value or null, explanation of a bad value) for one column."""
    c = pl.col(column)
    kind, _, arg = type_.partition(":")
    if kind in ("text", "key", "ignore", "pnumber"):
        return c, ""
    if kind == "code":
        return (
            pl.when(c.str.contains(r"^[\w\-.]{1,60}$")).then(c),
            "et kort id med bogstaver, tal, - og _ (uden mellemrum)",
        )
    if kind == "institution":
        digits = c.str.replace(r"\.0$", "")
        return (pl.when(digits.str.contains(r"^\d{6}$")).then(digits), "et institutionsnummer har 6 cifre, fx 183003")
    if kind == "school_year":
        parts = c.str.replace_all(r"\s", "").str.extract_groups(r"^(\d{4})/(\d{2}|\d{4})$")
        first = parts.struct.field("1").cast(pl.Int32, strict=False)
        second = parts.struct.field("2").cast(pl.Int32, strict=False)
        ok = (second == first + 1) | (second == (first + 1) % 100)
        label = first.cast(pl.String) + "/" + ((first + 1) % 100).cast(pl.String).str.zfill(2)
        return (
            pl.when(ok & first.is_between(2000, 2099)).then(label),
            "skoleåret skrives 2024/2025 eller 2024/25 (to år i træk)",
        )
    if kind == "grade":
        lowered = c.str.to_lowercase()
        number = (
            pl.when(lowered.str.contains(r"^(bh|børnehave|0\.)"))
            .then(pl.lit("0"))
            .otherwise(lowered.str.extract(r"^(\d{1,2})\.?\s*(?:kl\.?|klasse|årgang)?$"))
        )
        value = number.cast(pl.Int8, strict=False)
        return pl.when(value.is_between(0, 10)).then(value), "klassetrin skal være 0 (børnehaveklasse) til 10"
    if kind == "gender":
        return _lookup(c, "gender"), "køn skal være pige eller dreng"
    if kind == "bool":
        lowered = c.str.to_lowercase()
        yes, no = ["ja", "j", "1", "x", "sand", "true", "yes"], ["nej", "n", "0", "falsk", "false", "no"]
        return (
            pl.when(lowered.is_in(yes)).then(True).when(lowered.is_in(no)).then(False),
            "skriv ja eller nej (eller 1/0)",
        )
    if kind in ("int", "decimal", "percent", "figure"):
        number = _number_text(c, danish).cast(pl.Float64, strict=False)
        low, high = (float(arg.split(":")[0]), float(arg.split(":")[1])) if kind in ("int", "decimal") else (None, None)
        if kind == "percent":
            low, high = 0.0, 100.0
        ok = number.is_not_null() & number.is_finite()
        if kind == "int":
            ok = ok & (number == number.round(0))
        if low is not None:
            ok = ok & number.is_between(low, high)
        if kind == "figure":
            # Published figures: the "missing or suppressed" marks are empty, never an error.
            if arg == "percent":
                ok = ok & number.is_between(0, 100)
            elif arg == "count":
                ok = ok & (number >= 0) & (number == number.round(0))
            number = pl.when(c.is_in(MISSING)).then(None).otherwise(number)
            ok = ok | c.is_in(MISSING)
            expected = {"percent": "en procent 0–100", "count": "et antal (helt tal)"}.get(arg, "et tal")
            return (
                pl.when(ok).then(number),
                f"skal være {expected} i dansk format, fx 7,3 eller 2.351 (eller -, .. eller * for skjult)",
            )
        what = {"int": "et helt tal", "decimal": "et tal", "percent": "en procent"}[kind]
        span = "" if low is None else f" fra {low:g} til {high:g}".replace(".", ",")
        return pl.when(ok).then(number), f"skal være {what}{span}"
    if kind == "mark":
        text = c.str.replace_all(r"\s", "").str.replace("−", "-")
        return (
            text.replace_strict(list(MARKS), list(MARKS.values()), default=None, return_dtype=pl.Int8),
            "en karakter på 7-trinsskalaen: -3, 00, 02, 4, 7, 10 eller 12",
        )
    if kind == "date":
        return _date(c), "en dato som 31-12-2025, 31.12.2025, 31/12/2025 eller 2025-12-31"
    if kind == "month":
        return _month(c), "en måned som 2025-09, 09-2025, 01-09-2025 eller september 2025"
    if kind == "enum":
        allowed = sorted(set(values(arg).values()))
        return _lookup(c, arg), "skal være en af: " + ", ".join(allowed)
    if kind == "list":
        items = c.str.to_lowercase().str.replace_all("|", ",", literal=True).str.split(",")
        return items.list.eval(pl.element().str.strip_chars()).list.eval(pl.element().filter(pl.element() != "")), ""
    if kind == "answer":
        n, scale = arg.split(":")
        labels = answer_labels(scale)
        number = pl.coalesce(
            c.str.to_lowercase().replace_strict(
                list(labels), list(labels.values()), default=None, return_dtype=pl.Int8
            ),
            c.str.replace(r"\.0$", "").cast(pl.Int8, strict=False),
        )
        return (
            pl.when(number.is_between(1, int(n))).then(number),
            f"svaret skal være 1–{n} eller svarmulighedens tekst ({', '.join(labels)})",
        )
    if kind == "municipality":
        return c, ""
    raise ValueError(f"unknown field type {type_!r}")


@cache
def answer_labels(scale: str) -> dict[str, int]:
    """The printed answer options of a well-being scale: lower-case label -> option number."""
    with open(REFERENCE_DIR / "wellbeing_answer_scales.csv", encoding="utf-8", newline="") as f:
        return {
            r["label"].casefold(): int(r["option_no"]) for r in csv.DictReader(f, delimiter=";") if r["scale"] == scale
        }


def _date(c: pl.Expr) -> pl.Expr:
    text = c.str.replace(r"[ T]00:00(:00)?$", "")
    text = pl.when(text.str.contains(r"^\d{4}-|\d{4}$")).then(text)  # four-digit years only
    return pl.coalesce(text.str.to_date(fmt, strict=False) for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"))


def _month(c: pl.Expr) -> pl.Expr:
    text = c.str.to_lowercase().str.strip_chars()
    named = text.str.extract_groups(r"^([a-zæøå]+)\.?\s+(\d{4})$")
    month_no = named.struct.field("1").replace_strict(
        list(MONTHS), list(MONTHS.values()), default=None, return_dtype=pl.Int32
    )
    from_name = pl.date(named.struct.field("2").cast(pl.Int32, strict=False), month_no, 1)
    return pl.coalesce(
        text.str.to_date("%Y-%m", strict=False),
        text.str.to_date("%m-%Y", strict=False),
        text.str.to_date("%m/%Y", strict=False),
        _date(c).dt.month_start(),
        from_name,
    )


# Digits other than 0-9 (full-width, Arabic-Indic, ...): only a file that has them is normalised
# first (NFKC), which costs far more than the match itself.
OTHER_DIGITS = r"[\p{Nd}--[0-9]]"
_CPR_ANY = f"(?:{CPR_PATTERN})|(?:{CPR_LOST_ZERO})"


def _cpr_like(c: pl.Expr, normalise: bool) -> pl.Expr:
    text = c.str.normalize("NFKC").str.strip_chars() if normalise else c  # read_table strips the cells
    return text.str.contains(_CPR_ANY).fill_null(False)


def cpr_mask(columns: list[str], p_numbers: list[str] = (), normalise: bool = True) -> pl.Expr:
    """True for a row where any of these columns holds something shaped like a CPR number; in the
    P-number columns a plain 10-digit number is a P-number, any other CPR spelling is not. Without
    `normalise` only digits 0-9 are seen (for a file where other_digits() found none)."""
    checks = [_cpr_like(pl.col(c), normalise) for c in columns]
    checks += [
        _cpr_like(pl.col(c), normalise) & ~pl.col(c).str.strip_chars().str.contains(P_NUMBER).fill_null(False)
        for c in p_numbers
    ]
    return pl.any_horizontal(checks) if checks else pl.lit(False)


def other_digits(columns: list[str]) -> pl.Expr:
    """True for a row with a digit other than 0-9 in any of these columns."""
    if not columns:
        return pl.lit(False)
    return pl.any_horizontal(pl.col(c).str.contains(OTHER_DIGITS).fill_null(False) for c in columns)


def is_cpr_text(text: str) -> bool:
    """The same rule for one piece of text (a column header)."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", text).strip()
    return bool(re.search(CPR_PATTERN, text) or re.search(CPR_LOST_ZERO, text))
