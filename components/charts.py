"""Altair chart builders shared by every screen: one axis and font setup, one colour per
meaning (school, municipality, country), Danish number labels, and suppressed groups written
out as "færre end 5 elever" instead of a silent gap.

Each builder takes a polars frame whose columns are already in Danish display terms and
returns an Altair chart, built only when needed (`Lazy`); `show` draws it with its source line and a
table view, and `draw` is the one way any chart reaches the page.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable

import altair as alt
import polars as pl
import streamlit as st

from components import altair_speed, on_open, plain, tables
from components.formatting import number
from components.palette import COUNTRY, GROUPS, LAST_YEAR, MUNICIPALITY, SCHOOL, verdict_scale
from queries.runner import small_group
from queries.statistics import ministry_verdict

SERIES = ["Skolen", "Kommunen", "Landet"]
SERIES_COLOURS = [SCHOOL, MUNICIPALITY, COUNTRY]
SUPPRESSED_TEXT = small_group()
FONT_SIZE = 18
# Streamlit's own altair_chart converts each chart under one process-wide lock, with Altair's JSON
# schema validation (about 80 ms a chart here, against 8 ms without): with many sessions every chart
# on every screen queued behind that lock. `draw` converts without validation, outside any lock, with
# the theme Streamlit would set ("none": Streamlit's theme applies in the browser). Under pytest
# every chart is still validated, so a spec Vega-Lite would reject fails a test.
alt.theme.enable("none")
# Altair also validates every object it builds against the schema when it is made (its "debug mode"):
# most of a cold screen's chart time. Off outside pytest, as the validation in `build_spec`.
if "PYTEST_CURRENT_TEST" not in os.environ and "pytest" not in sys.modules:
    alt.utils.schemapi.disable_debug_mode()
altair_speed.install()


def draw(chart: alt.TopLevelMixin, width: str = "stretch") -> None:
    """Draw an Altair chart (the only call that puts one on a page)."""
    st.vega_lite_chart(spec=wire_spec(chart), width=width)


# -- built once: a chart's spec is kept by what it was built from ---------------------------------
# Building an Altair chart (its objects, copies and the conversion) was most of a warm screen run
# (a rerun, another user on the same figures). A builder's call is therefore recorded, not run
# (`Lazy`); its key is the builder's name and arguments, each frame by a digest of its contents, so
# a new data version with other figures gives another key and the same figures the same spec.
SPEC_CACHE_SIZE = 1000  # a spec and its Arrow copy: 10-100 kB, so at most about 100 MB a process
_specs: OrderedDict[str, tuple[dict, dict]] = OrderedDict()
_specs_lock = threading.Lock()


class Lazy:
    """A builder's call, run only when the chart itself is needed (a document's PNG, a test's
    `to_dict()`): every attribute is the built chart's."""

    def __init__(self, key: str, build: Callable[[], alt.TopLevelMixin]):
        self.key, self._build, self._chart = key, build, None

    @property
    def chart(self) -> alt.TopLevelMixin:
        if self._chart is None:
            self._chart = self._build()
        return self._chart

    def __getattr__(self, name: str):
        return getattr(self.chart, name)


def _part(value) -> str:
    if isinstance(value, pl.DataFrame):
        return "frame:" + hashlib.blake2b(value.write_ipc(None, compression="uncompressed").getvalue()).hexdigest()
    return repr(value)


def lazy(builder: Callable) -> Callable:
    """A chart builder whose call returns a `Lazy`, keyed on its arguments (see above)."""

    @functools.wraps(builder)
    def call(*args, **kwargs) -> Lazy:
        parts = [builder.__qualname__, *map(_part, args), *(f"{k}={_part(v)}" for k, v in sorted(kwargs.items()))]
        key = hashlib.blake2b("\x1f".join(parts).encode()).hexdigest()
        return Lazy(key, lambda: builder(*args, **kwargs))

    return call


def _cached(chart: alt.TopLevelMixin) -> tuple[dict, dict]:
    """(the spec, the spec as Streamlit sends it: its data as Arrow bytes), built once per key."""
    if not isinstance(chart, Lazy):
        return _pair(chart)
    with _specs_lock:
        hit = _specs.get(chart.key)
        if hit is not None:
            _specs.move_to_end(chart.key)
            return hit
    pair = _pair(chart.chart)  # outside the lock: two sessions may build one spec at once, never wait
    with _specs_lock:
        _specs[chart.key] = pair
        while len(_specs) > SPEC_CACHE_SIZE:
            _specs.popitem(last=False)
    return pair


def _pair(chart: alt.TopLevelMixin) -> tuple[dict, dict]:
    from streamlit import dataframe_util

    out = build_spec(chart)
    # Streamlit turns each dataset's rows into Arrow bytes on every call unless they are bytes already.
    datasets = {
        name: dataframe_util.convert_anything_to_arrow_bytes(rows) for name, rows in out.get("datasets", {}).items()
    }
    return out, {**out, "datasets": datasets} if datasets else out


def spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec as drawn (shared: read it, do not change it)."""
    return _cached(chart)[0]


def wire_spec(chart: alt.TopLevelMixin) -> dict:
    """The spec handed to Streamlit: its datasets already Arrow bytes."""
    return _cached(chart)[1]


def build_spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec of an Altair chart. `aria: false`: Vega's own English description of every
    mark and axis ("linear scale with values from 3.44 to 3.66", with decimal points) is left out of the
    page; the table under each chart ("Vis som tabel") gives the figures in Danish."""
    out = chart.to_dict(validate="PYTEST_CURRENT_TEST" in os.environ)
    config = out.setdefault("config", {})
    config["aria"] = False
    config["mark"] = {**config.get("mark", {}), "aria": False}  # no unnamed mark groups (axe: svg-img-alt)
    out.setdefault("description", CHART_DESCRIPTION)
    return out


CHART_DESCRIPTION = "Diagram. Tallene står i tabellen under diagrammet (»Vis som tabel«)."


# Vega's number format with a decimal comma (the da-DK locale is not applied by Streamlit).
_DANISH = "replace(format(datum.value, '.{d}f'), '.', ',')"


def _axis_format(decimals: int) -> str:
    return _DANISH.format(d=decimals)


def number_axis(decimals: int) -> alt.Axis:
    """A quantitative axis with decimal-comma labels and no two ticks that print alike."""
    return alt.Axis(labelExpr=_axis_format(decimals), tickMinStep=10**-decimals)


TEXT_COLOUR = "#1A1A1A"  # 17:1 on white; Streamlit's chart theme draws labels in a grey of 3,7:1


def configure(chart: alt.Chart, height: int | alt.Step, font_size: int = FONT_SIZE) -> alt.Chart:
    """The one chart theme: every text at least `font_size` px (18 at 1920 × 1080, larger in
    presentation mode) and near-black, the legend on top. Set in one step: each `configure_*` of
    Altair copies the whole chart, its data included, and six copies were a third of a cold screen's
    chart time."""
    texts = {
        "labelFontSize": font_size,
        "titleFontSize": font_size,
        "labelColor": TEXT_COLOUR,
        "titleColor": TEXT_COLOUR,
    }
    configured = chart.properties(height=height)
    configured.config = alt.Config(
        axis=alt.AxisConfig(labelLimit=420, **texts),
        legend=alt.LegendConfig(orient="top", **texts),
        text=alt.MarkConfig(fontSize=font_size, color=TEXT_COLOUR),
        title=alt.TitleConfig(fontSize=font_size + 2, color=TEXT_COLOUR),
        view=alt.ViewConfig(strokeWidth=0),
    )
    return configured


def _is_dark(hex_colour: str) -> bool:
    """True when white text reads better than black on this colour (WCAG relative luminance)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return (1.05 / (luminance + 0.05)) > ((luminance + 0.05) / 0.05)


def _series_colour(present: list[str]) -> alt.Color:
    domain = [s for s in SERIES if s in present]
    colours = [SERIES_COLOURS[SERIES.index(s)] for s in domain]
    return alt.Color("Serie:N", scale=alt.Scale(domain=domain, range=colours), title=None)


def with_labels(frame: pl.DataFrame, value: str, decimals: int, suffix: str = "") -> pl.DataFrame:
    """Add a Danish text label for each value (and the suppression text for hidden groups)."""
    labels = [SUPPRESSED_TEXT if v is None else number(v, decimals) + suffix for v in frame[value]]
    return frame.with_columns(pl.Series("Tekst", labels))


AXIS_NOT_ZERO = "Aksen starter ikke ved 0"
INTERVAL_NOTE = "Bånd og streger: 95 %-usikkerhedsinterval"


def not_from_zero(chart: alt.TopLevelMixin, font_size: int = FONT_SIZE, text: str = AXIS_NOT_ZERO) -> alt.TopLevelMixin:
    """Say on the chart that its value axis does not start at 0 (a truncated axis makes a small
    difference look large): a line over the plot, in the chart's own text size and colour."""
    return chart.properties(
        title=alt.TitleParams(text, anchor="start", fontSize=font_size, fontWeight="normal", color=TEXT_COLOUR)
    )


def has_interval(frame: pl.DataFrame) -> bool:
    """True when the caller gave a 95 % interval (columns Nedre and Øvre, components.screen.with_interval)."""
    return {"Nedre", "Øvre"} <= set(frame.columns) and frame["Øvre"].drop_nulls().len() > 0


@lazy
def trend(
    frame: pl.DataFrame,
    value: str,
    title: str,
    decimals: int = 1,
    height: int = 320,
    target: float | None = None,
    efforts: pl.DataFrame | None = None,
    font_size: int = FONT_SIZE,
) -> alt.Chart:
    """Lines over school years, one per series (Skolen, Kommunen, Landet); `target`, where the school
    has set one for the indicator, as a dashed horizontal line labelled "Mål"; the school's efforts
    aimed at this indicator (queries.efforts.for_indicator) as labelled vertical rules."""
    data = with_labels(frame, value, decimals)
    years = sorted(data["Skoleår"].unique().to_list())
    x = alt.X("Skoleår:N", title=None, sort=years, axis=alt.Axis(labelAngle=0))
    base = alt.Chart(data).encode(
        x=x,
        y=alt.Y(f"{value}:Q", title=title, scale=alt.Scale(zero=False), axis=number_axis(decimals)),
        color=_series_colour(data["Serie"].unique().to_list()),
        tooltip=["Serie:N", "Skoleår:N", alt.Tooltip("Tekst:N", title=title)],
    )
    layers = [base.mark_line(strokeWidth=4), base.mark_point(size=120, filled=True)]
    if has_interval(data):  # the 95 % interval of each series' mean, as a light band
        band = (
            alt.Chart(data.filter(pl.col("Øvre").is_not_null()))
            .mark_area(opacity=0.18)
            .encode(
                x=x,
                y=alt.Y("Nedre:Q"),
                y2=alt.Y2("Øvre:Q"),
                color=_series_colour(data["Serie"].unique().to_list()),
                detail="Serie:N",
            )
        )
        layers.insert(0, band)
    if target is not None:
        goal = alt.Chart(pl.DataFrame({"Mål": [float(target)], "Tekst": ["Mål " + number(target, decimals)]}))
        layers += [
            goal.mark_rule(color="#1a1a1a", strokeDash=[8, 5], strokeWidth=2).encode(y="Mål:Q"),
            goal.mark_text(align="left", dx=4, dy=-10, fontWeight="bold", color="#1a1a1a").encode(
                y="Mål:Q", x=alt.value(0), text="Tekst:N"
            ),
        ]
    rules = effort_rules(efforts, years, x, font_size)
    return not_from_zero(configure(alt.layer(*layers, *rules), height, font_size), font_size)


EFFORT_COLOUR = "#1A1A1A"
EFFORT_LABEL_CHARS = 24  # a label's line: fits beside its rule in a half-width or presentation chart


def effort_rules(
    efforts: pl.DataFrame | None, years: list[str], x: alt.X, font_size: int = FONT_SIZE
) -> list[alt.Chart]:
    """A dashed vertical rule at the school year each effort started, labelled with its name and, on a
    second line, its start (labels stacked from the top, so two efforts of one year do not overprint).
    A label runs to the right of its rule, or to the left in the right half of the chart, so a long
    name stays inside a narrow chart (the presentation's)."""
    if efforts is None or efforts.is_empty():
        return []
    shown = efforts.filter(pl.col("Skoleår").is_in(years)).sort("starts_on", "name")
    if shown.is_empty():
        return []

    position = {year: i for i, year in enumerate(years)}
    # The name wrapped at EFFORT_LABEL_CHARS (a name may have 80 characters), its start on the last line.
    labels = [
        "\n".join(textwrap.wrap("▸ " + name, EFFORT_LABEL_CHARS) + [f"fra {start:%m.%Y}"])
        for name, start in zip(shown["name"], shown["starts_on"], strict=True)
    ]
    tops, top = [], font_size
    for label in labels:  # stacked from the top: each label below the one before
        tops.append(top)
        top += (label.count("\n") + 1) * (font_size + 4) + 10
    shown = shown.with_columns(
        pl.Series("Indsats", labels, dtype=pl.String),
        pl.Series("Linje", tops, dtype=pl.Int64),
        (pl.col("Skoleår").replace_strict(position, return_dtype=pl.Int64) * 2 >= len(years)).alias("Højre"),
    )
    data = shown.select("Skoleår", "Indsats", "Linje", "Højre")
    base = alt.Chart(data).encode(x=x)
    rule = base.mark_rule(color=EFFORT_COLOUR, strokeDash=[8, 5], strokeWidth=2)
    layers = [rule.encode(tooltip=[alt.Tooltip("Indsats:N", title="Indsats")])]
    for right in (False, True):
        part = data.filter(pl.col("Højre") == right)
        if part.is_empty():
            continue
        layers.append(
            alt.Chart(part)
            .mark_text(
                align="right" if right else "left",
                dx=-6 if right else 6,
                baseline="top",
                lineBreak="\n",
                color=EFFORT_COLOUR,
                fontWeight="bold",
            )
            .encode(x=x, text="Indsats:N", y=alt.Y("Linje:Q", scale=None))
        )
    return layers


def _error_bars(base: alt.Chart) -> alt.LayerChart:
    """The 95 % interval drawn over bars: near-black on a white halo, so it shows on a light bar and on
    a near-black one alike."""
    span = {"y": alt.Y("Nedre:Q"), "y2": alt.Y2("Øvre:Q")}
    return base.mark_rule(strokeWidth=5).encode(**span, color=alt.value("#ffffff")) + base.mark_rule(
        strokeWidth=3
    ).encode(**span, color=alt.value(EFFORT_COLOUR))


@lazy
def grouped_bars(
    frame: pl.DataFrame, category: str, value: str, title: str, decimals: int = 1, height: int = 340, zero: bool = True
) -> alt.Chart:
    """Per category (grade, gender, class …), one mark per series: bars from zero for shares,
    dots when the axis does not start at zero (means on a 1-5 scale), so no bar length misleads.
    Hidden groups are left out here and named under the chart (see `hidden_groups`)."""
    data = with_labels(frame, value, decimals).filter(pl.col(value).is_not_null())
    base = alt.Chart(data).encode(
        x=alt.X(f"{category}:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("Serie:N", sort=SERIES),
        y=alt.Y(f"{value}:Q", title=title, scale=alt.Scale(zero=zero), axis=number_axis(decimals)),
        color=_series_colour(data["Serie"].unique().to_list()),
        tooltip=["Serie:N", f"{category}:N", alt.Tooltip("Tekst:N", title=title)],
    )
    marks = base.mark_bar() if zero else base.mark_point(size=260, filled=True, opacity=1)
    if has_interval(data):  # error bars: the 95 % interval of each mean
        if zero:  # over the bar (in the bar's own colour its lower half would vanish in the bar)
            marks = marks + _error_bars(base)
        else:  # behind the dot, in the series' colour
            marks = base.mark_rule(strokeWidth=3).encode(y=alt.Y("Nedre:Q"), y2=alt.Y2("Øvre:Q")) + marks
    chart = configure(marks, height)
    return chart if zero else not_from_zero(chart)


@lazy
def grouped_groups(
    frame: pl.DataFrame, category: str, value: str, title: str, decimals: int = 1, height: int = 300
) -> alt.Chart:
    """Bars per category with one bar per pupil group (the groups are the series, in neutral
    colours: they are not school, municipality or country)."""
    data = with_labels(frame, value, decimals).filter(pl.col(value).is_not_null())
    base = alt.Chart(data).encode(
        x=alt.X(f"{category}:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("Serie:N"),
        y=alt.Y(f"{value}:Q", title=title, axis=number_axis(decimals)),
        color=alt.Color("Serie:N", title=None, scale=alt.Scale(range=GROUPS)),
        tooltip=["Serie:N", f"{category}:N", alt.Tooltip("Tekst:N", title=title)],
    )
    marks = base.mark_bar()
    if has_interval(data):  # error bars in near-black over the bars: the 95 % interval of each share
        marks = marks + _error_bars(base)
    return configure(marks, height)


@lazy
def year_pairs(frame: pl.DataFrame, category: str, value: str, title: str, decimals: int = 0) -> alt.Chart:
    """Horizontal bars per category: last year (light) and this year (the school's colour)."""
    data = with_labels(frame, value, decimals, " %")
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort=None, title=None, axis=alt.Axis(labelLimit=520)),
            yOffset=alt.YOffset("Serie:N", sort=["Sidste år", "I år"]),
            x=alt.X(f"{value}:Q", title=title, scale=alt.Scale(domain=[0, 100]), axis=number_axis(decimals)),
            color=alt.Color(
                "Serie:N", title=None, scale=alt.Scale(domain=["Sidste år", "I år"], range=[LAST_YEAR, SCHOOL])
            ),
            tooltip=["Serie:N", f"{category}:N", alt.Tooltip("Tekst:N", title=title)],
        )
    )
    return configure(chart, alt.Step(18))


def hidden_groups(frame: pl.DataFrame, category: str, value: str) -> list[str]:
    """The categories whose value the runner suppressed, each with the reason."""
    hidden = frame.filter(pl.col(value).is_null())
    reasons = (
        hidden["suppressed_reason"].to_list()
        if "suppressed_reason" in hidden.columns
        else [SUPPRESSED_TEXT] * len(hidden)
    )
    return sorted({f"{c} ({r or SUPPRESSED_TEXT})" for c, r in zip(hidden[category].to_list(), reasons, strict=True)})


@lazy
def stacked_shares(
    frame: pl.DataFrame, row: str, category: str, order: list[str], colours: list[str], height_per_row: int = 44
) -> alt.Chart:
    """100 % bars, one per row (question, grade …), split into ordered categories with labels."""
    data = frame.with_columns(pl.col("Andel").round(0).alias("Afrundet"))
    data = data.with_columns(
        pl.Series("Tekst", [f"{int(v)} %" if v is not None and v >= 6 else "" for v in data["Afrundet"]])
    )
    data = data.with_columns(pl.col(category).map_elements(order.index, return_dtype=pl.Int32).alias("Orden"))
    base = alt.Chart(data).encode(
        y=alt.Y(f"{row}:N", title=None, sort=None),
        x=alt.X(
            "Andel:Q",
            stack="normalize",
            title=None,
            axis=alt.Axis(values=[0, 0.25, 0.5, 0.75, 1], labelExpr="format(datum.value * 100, '.0f') + ' %'"),
        ),
        order=alt.Order("Orden:Q"),
        tooltip=[f"{row}:N", f"{category}:N", alt.Tooltip("Tekst:N", title="Andel")],
    )
    bars = base.mark_bar().encode(
        color=alt.Color(f"{category}:N", scale=alt.Scale(domain=order, range=colours), title=None)
    )
    # The label's own colour (white on dark bars, near-black on light ones) as a column drawn as is: a
    # colour scale on the same field would be shared with the bars', and the labels drew in the bar's colour.
    text_colour = {cat: "#ffffff" if _is_dark(c) else TEXT_COLOUR for cat, c in zip(order, colours, strict=True)}
    labels = (
        base.mark_text(dx=-6, align="right", fontWeight="bold")
        .transform_calculate(
            Tekstfarve=" : ".join(
                f"datum[{category!r}] === {cat!r} ? {colour!r}" for cat, colour in text_colour.items()
            )
            + f" : {TEXT_COLOUR!r}"
        )
        .encode(
            text="Tekst:N",
            x=alt.X("Andel:Q", stack="normalize", bandPosition=1),
            color=alt.Color("Tekstfarve:N", scale=None, legend=None),
        )
    )
    return configure(alt.layer(bars, labels).resolve_scale(color="independent"), alt.Step(height_per_row))


@lazy
def horizontal_bars(frame: pl.DataFrame, category: str, value: str, title: str, decimals: int = 1) -> alt.Chart:
    """Horizontal bars per category (long names such as exam disciplines), one per series."""
    data = with_labels(frame, value, decimals)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort=None, title=None),
            yOffset=alt.YOffset("Serie:N", sort=SERIES),
            x=alt.X(f"{value}:Q", title=title, axis=number_axis(decimals)),
            color=_series_colour(data["Serie"].unique().to_list()),
            tooltip=["Serie:N", f"{category}:N", alt.Tooltip("Tekst:N", title=title)],
        )
    )
    return configure(chart, alt.Step(16))


@lazy
def stacked_bars(
    frame: pl.DataFrame,
    x: str,
    category: str,
    value: str,
    order: list[str],
    colours: list[str],
    title: str,
    decimals: int = 1,
    height: int = 340,
) -> alt.Chart:
    """Vertical bars stacked by category (e.g. absence kinds per month)."""
    data = with_labels(frame, value, decimals, " %")
    data = data.with_columns(pl.col(category).map_elements(order.index, return_dtype=pl.Int32).alias("Orden"))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{value}:Q", stack="zero", title=title, axis=number_axis(decimals)),
            color=alt.Color(f"{category}:N", scale=alt.Scale(domain=order, range=colours), title=None),
            order=alt.Order("Orden:Q"),
            tooltip=[f"{x}:N", f"{category}:N", alt.Tooltip("Tekst:N", title=title)],
        )
    )
    return configure(chart, height)


@lazy
def diverging_bars(
    frame: pl.DataFrame, category: str, value: str, title: str, words: dict, decimals: int = 2
) -> alt.Chart:
    """Horizontal bars left and right of zero, one per category, coloured by the column Vurdering:
    words the caller took from queries.statistics verdicts ({"trækker op": Verdict.BETTER, ...}),
    so a bar is coloured only when its difference is larger than noise, never by its sign alone."""
    data = with_labels(frame, value, decimals)
    domain, colours = verdict_scale(words)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort=None, title=None),
            x=alt.X(f"{value}:Q", title=title, axis=number_axis(decimals)),
            color=alt.Color("Vurdering:N", scale=alt.Scale(domain=domain, range=colours), title=None),
            tooltip=[f"{category}:N", "Vurdering:N", alt.Tooltip("Tekst:N", title=title)],
        )
    )
    return configure(chart, alt.Step(40))


@lazy
def scatter(
    frame: pl.DataFrame,
    x: str,
    y: str,
    label: str,
    x_title: str,
    y_title: str,
    decimals: tuple[int, int] = (1, 2),
    height: int = 380,
) -> alt.Chart:
    """Labelled points (e.g. one per grade) with a dashed trend line."""
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(zero=False), axis=number_axis(decimals[0])),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False), axis=number_axis(decimals[1])),
    )
    points = base.mark_point(size=220, filled=True, color=SCHOOL)
    text = base.mark_text(dx=14, align="left", fontWeight="bold").encode(text=f"{label}:N")
    line = base.transform_regression(x, y).mark_line(strokeDash=[6, 4], color=COUNTRY)
    return not_from_zero(configure(points + text + line, height), text="Akserne starter ikke ved 0")


@lazy
def difference_with_margin(
    frame: pl.DataFrame,
    words: dict,
    x: str = "Skoleår",
    title: str = "Forskel (karakterpoint)",
    decimals: int = 1,
    height: int = 300,
    horizontal: bool = False,
) -> alt.Chart:
    """A difference (column Forskel) per category with its 95 % margin (column Margin), coloured by
    the column Vurdering: words the caller took from queries.statistics verdicts ({word: Verdict});
    the verdict is also written in the legend. `horizontal` puts long category names on the vertical axis."""
    data = frame.with_columns(
        (pl.col("Forskel") - pl.col("Margin")).alias("Fra"), (pl.col("Forskel") + pl.col("Margin")).alias("Til")
    )
    domain, colours = verdict_scale(words)
    colour = alt.Color("Vurdering:N", title=None, scale=alt.Scale(domain=domain, range=colours))
    cat, num = ("y", "x") if horizontal else ("x", "y")
    category = (alt.Y if horizontal else alt.X)(
        f"{x}:N", title=None, sort=None, axis=alt.Axis(labelAngle=0, labelLimit=520)
    )
    number_channel = alt.X if horizontal else alt.Y
    base = alt.Chart(data).encode(**{cat: category})
    rule = base.mark_rule(strokeWidth=3).encode(
        **{num: number_channel("Fra:Q", title=title, axis=number_axis(decimals)), f"{num}2": "Til:Q"}, color=colour
    )
    point = base.mark_point(size=200, filled=True).encode(
        **{num: "Forskel:Q"}, color=colour, tooltip=[f"{x}:N", "Vurdering:N"]
    )
    zero = alt.Chart(pl.DataFrame({"v": [0.0]})).mark_rule(color="#1a1a1a").encode(**{num: "v:Q"})
    return configure(rule + point + zero, alt.Step(44) if horizontal else height)


def show(
    chart: alt.Chart,
    source: str,
    table: pl.DataFrame | None = None,
    table_title: str = "Vis som tabel",
    hidden: list[str] | None = None,
) -> None:
    """Draw a chart, its source line under it, the groups left out for being too small, and its
    figures as a table for reading aloud."""
    draw(chart)
    if hidden:
        source += f" · Ikke vist: {plain.md(', '.join(hidden))}"  # class and group names come from imports
    st.caption(source)
    if table is not None and (box := on_open.expander(table_title, source)) is not None:
        with box:  # built only while open: a closed table costs nothing
            tables.dataframe(table, hide_index=True, width="stretch")
            downloads(table, source)


def downloads(table: pl.DataFrame, source: str) -> None:
    """The chart's figures (aggregates only, as shown) as Excel and CSV; built when clicked, and
    every export is in the audit log."""
    import hashlib
    import re

    from components import download, exports

    stem = "datablik_" + (
        re.sub(r"[^\w-]+", "_", source.removeprefix("Kilde: ").split(" · ")[0]).strip("_")[:60] or "tal"
    )
    key = hashlib.sha1(f"{source}|{table.columns}|{table.rows()}".encode()).hexdigest()[:12]
    left, right = st.columns(2)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    download.button(
        left,
        "Hent som Excel",
        lambda: exports.to_xlsx(table, "Tal", stem, source, {}),
        f"{stem}.xlsx",
        xlsx,
        f"xlsx_{key}",
    )
    download.button(right, "Hent som CSV", lambda: exports.to_csv(table, {}), f"{stem}.csv", "text/csv", f"csv_{key}")


# -- the Kommune screen's two charts (drawn by municipality_sections.py) ------------------------
@lazy
def school_facets(data: pl.DataFrame, label: str, decimals: int) -> alt.FacetChart:
    """One small chart per school (columns Skole, Skoleår, Værdi, Kommunen): the school's line over the
    years against the municipality's, dashed."""
    base = alt.Chart(data).encode(
        x=alt.X("Skoleår:N", title=None, axis=alt.Axis(labelAngle=-45, labelFontSize=FONT_SIZE))
    )
    lines = base.mark_line(point=True, color=SCHOOL, strokeWidth=3).encode(
        y=alt.Y("Værdi:Q", title=label, scale=alt.Scale(zero=False), axis=number_axis(decimals))
    )
    reference = base.mark_line(color=MUNICIPALITY, strokeDash=[5, 4], strokeWidth=2).encode(y="Kommunen:Q")
    chart = (
        alt.layer(lines, reference, data=data)
        .properties(width=260, height=190)
        .facet(
            facet=alt.Facet("Skole:N", title=None, header=alt.Header(labelFontSize=FONT_SIZE, labelColor=TEXT_COLOUR)),
            columns=4,
        )
    )
    return not_from_zero(
        chart.configure_axis(
            labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR
        )
    )


def ministry_scale() -> alt.Scale:
    """The colours of the ministry's own assessment words (over, på, under niveau)."""
    domain, colours = verdict_scale({w: ministry_verdict(w) for w in ["Over niveau", "På niveau", "Under niveau"]})
    return alt.Scale(domain=domain, range=colours)


# Up to this many schools every point of the socio-economic chart is named; more (the largest
# municipality's 132) overprinted one another, so only those over or under their level are named.
NAMED_UP_TO = 24
DEVIATING = ("Over niveau", "Under niveau")


def labelled_schools(data: pl.DataFrame) -> pl.DataFrame:
    """The schools named beside their point in `socio_reference`."""
    return data if data.height <= NAMED_UP_TO else data.filter(pl.col("Vurdering").is_in(DEVIATING))


@lazy
def socio_reference(data: pl.DataFrame) -> alt.Chart:
    """Each school's actual exam average against its expected one (columns Skole, Forventet, Faktisk,
    Vurdering), the diagonal dashed, coloured by the ministry's assessment."""
    low = float(min(data["Forventet"].min(), data["Faktisk"].min())) - 0.3
    high = float(max(data["Forventet"].max(), data["Faktisk"].max())) + 0.3
    scale = alt.Scale(domain=[low, high])
    points = (
        alt.Chart(data)
        .mark_point(size=220, filled=True)
        .encode(
            x=alt.X(
                "Forventet:Q", title="Forventet gennemsnit (socioøkonomisk reference)", scale=scale, axis=number_axis(1)
            ),
            y=alt.Y("Faktisk:Q", title="Faktisk gennemsnit", scale=scale, axis=number_axis(1)),
            color=alt.Color("Vurdering:N", title=None, scale=ministry_scale()),
            tooltip=["Skole:N", "Vurdering:N"],
        )
    )
    labels = (
        alt.Chart(labelled_schools(data))
        .mark_text(dx=10, align="left", fontSize=14)
        .encode(x=alt.X("Forventet:Q", scale=scale), y=alt.Y("Faktisk:Q", scale=scale), text="Skole:N")
    )
    line = (
        alt.Chart(pl.DataFrame({"v": [low, high]}))
        .mark_line(color="#1a1a1a", strokeDash=[6, 4])
        .encode(x=alt.X("v:Q", scale=scale), y=alt.Y("v:Q", scale=scale))
    )
    return configure(line + points + labels, 460)
