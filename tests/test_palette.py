"""The palette: series that sit next to each other differ in lightness (not only in hue), and every
colour used for text reads at 4.5:1 on white (WCAG 1.4.3)."""

from __future__ import annotations

import pytest

from components import charts, palette


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    dark, light = sorted([luminance(a), luminance(b)])
    return (light + 0.05) / (dark + 0.05)


SEQUENCES = {
    "skole, kommune, land": charts.SERIES_COLOURS,
    "svar 0.–3.": palette.BEST_TO_WORST_3,
    "testniveauer": palette.BEST_TO_WORST_4,
    "fraværstyper": palette.ABSENCE_KINDS,
    "elevgrupper": palette.GROUPS,
    "sidste år og i år": [palette.LAST_YEAR, palette.SCHOOL],
    "bedre, inden for støj, dårligere": [palette.BETTER, palette.WITHIN_NOISE_MARK, palette.WORSE],
}


@pytest.mark.parametrize("name", list(SEQUENCES))
def test_adjacent_series_differ_in_lightness(name):
    colours = SEQUENCES[name]
    for a, b in zip(colours, colours[1:], strict=False):
        assert contrast(a, b) >= palette.MIN_ADJACENT, f"{name}: {a} and {b} are {contrast(a, b):.2f}:1"


def test_the_check_catches_the_old_light_blue_beside_orange():
    assert contrast("#7FB2D5", "#E69F00") < palette.MIN_ADJACENT  # the pair the issue measured at 1,01:1


@pytest.mark.parametrize(
    "colour",
    [palette.BETTER, palette.WORSE, palette.NEUTRAL, palette.COUNTRY, charts.TEXT_COLOUR, charts.EFFORT_COLOUR],
)
def test_every_text_colour_reads_at_4_5_to_1_on_white(colour):
    assert contrast(colour, "#FFFFFF") >= 4.5


def test_the_chart_theme_draws_every_text_at_18_px_or_more_and_near_black():
    import json

    import polars as pl

    frame = pl.DataFrame({"Serie": ["Skolen", "Kommunen"], "Skoleår": ["2024/25"] * 2, "Andel": [50.0, 60.0]})
    for chart in (charts.trend(frame, "Andel", "Andel (%)"), charts.grouped_bars(frame, "Skoleår", "Andel", "Andel")):
        config = json.loads(chart.to_json())["config"]
        sizes = [
            config["axis"]["labelFontSize"],
            config["axis"]["titleFontSize"],
            config["legend"]["labelFontSize"],
            config["text"]["fontSize"],
        ]
        assert min(sizes) >= 18, sizes
        for colour in (
            config["axis"]["labelColor"],
            config["axis"]["titleColor"],
            config["legend"]["labelColor"],
            config["text"]["color"],
        ):
            assert contrast(colour, "#FFFFFF") >= 4.5
