"""One colour, one meaning, across the app (Okabe-Ito based: safe for colour-blind readers;
text colours darkened to at least 4.5:1 contrast on white)."""

SCHOOL = "#0072B2"  # the school
MUNICIPALITY = "#E69F00"  # the municipality
COUNTRY = "#555555"  # the country

BETTER = "#005A8C"  # a difference larger than noise, in the good direction (blue)
WORSE = "#A63D00"  # a difference larger than noise, in the bad direction (dark vermillion)
NEUTRAL = "#4D4D4D"  # within noise
WITHIN_NOISE_MARK = "#8C8C8C"  # a mark (not text) within noise, lighter than BETTER and WORSE beside it

# Series that sit next to each other (stacked or side by side) also differ in lightness, so they
# part on a washed-out projector and for readers who do not see the hue: tests/test_palette.py
# checks every adjacent pair for at least MIN_ADJACENT luminance contrast.
MIN_ADJACENT = 1.5

# Absence kinds (a different hue family from the three levels above).
ABSENCE_KINDS = ["#A6CEE3", "#B0417E", "#1A1A1A"]  # sygdom, med tilladelse, ulovligt

# Ordered levels from best to worst (answers, test bands): dark blue, light, dark vermillion; never
# red/green, and the lightness alternates so neighbours part (the old light blue and orange were 1,01:1).
BEST_TO_WORST_3 = [BETTER, "#C6DBEF", WORSE]
BEST_TO_WORST_4 = [BETTER, "#7FB2D5", "#FBE3C4", WORSE]

# Two pupil groups side by side, and last year beside this year (charts.grouped_groups, year_pairs).
GROUPS = ["#56B4E9", "#1A1A1A"]
LAST_YEAR = "#9CC3E4"


def judgement_colour(verdict) -> str:
    """The one colour of a judgement (queries.statistics.Verdict): the only way a difference gets
    BETTER or WORSE. Anything that is not a Verdict (a bool, a sign, a string) is refused."""
    from queries.statistics import Verdict

    if not isinstance(verdict, Verdict):
        raise TypeError(f"a colour is chosen from a statistics.Verdict, not {type(verdict).__name__}")
    return {Verdict.BETTER: BETTER, Verdict.WORSE: WORSE}.get(verdict, NEUTRAL)


def verdict_scale(words: dict) -> tuple[list[str], list[str]]:
    """(domain, range) of a chart colour scale whose categories are words for Verdicts
    ({"trækker op": Verdict.BETTER, ...})."""
    return list(words), [judgement_colour(v) for v in words.values()]
