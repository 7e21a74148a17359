"""»Hvad viser data?«: a short Danish text for a school and school year, generated from the same
statistics the key-figure cards use (queries.key_figures, whose flags come from
queries.statistics.is_significant and standard_error), never a language model.

It says, each with its figure and n:
- which figures changed since last year beyond the noise,
- where the school differs from the municipality and from the country beyond the noise,
- the ministry's own assessment of the exam average against the socio-economic reference, where it
  is over or under the level,
and then, in one sentence, that everything else is within normal variation. A suppressed figure
(fewer than 5 pupils) is never mentioned, not even in that list. Published figures carry no
uncertainty, so they are named as not judged, never called a change. National-test statements
are confidential (folkeskoleloven § 55 b): `Statement.confidential`, kept out of public text."""

from __future__ import annotations

from dataclasses import dataclass, field

from components.documents import Block
from components.formatting import format_change, format_value, number
from queries.key_figures import KeyFigure
from queries.runner import small_group

HEADING = "Hvad viser data?"
METHOD = (
    "Teksten er dannet automatisk ud fra nøgletallene: en ændring eller forskel nævnes kun, når den er "
    "større end den statistiske usikkerhed efter samme regel som kortene, og grupper med "
    f"{small_group()} nævnes ikke."
)


@dataclass
class Statement:
    key: str  # the key figure
    kind: str  # ændring | kommunen | landet | reference
    text: str  # the figure's part of its sentence, with its numbers and n
    better: bool = True
    confidential: bool = False


KINDS = ("ændring", "kommunen", "landet")


@dataclass
class Summary:
    school_year: str
    previous_year: str
    statements: list[Statement] = field(default_factory=list)
    within_noise: list[str] = field(default_factory=list)  # labels of judged figures with nothing to say
    not_judged: list[str] = field(default_factory=list)  # published figures: no uncertainty
    within_noise_confidential: list[str] = field(default_factory=list)

    def sentences(self, public: bool = False) -> list[str]:
        """The summary as sentences, one per kind and direction (changes first, then the
        municipality, then the country); `public` leaves out everything from the national tests."""
        shown = [s for s in self.statements if not (public and s.confidential)]
        out = [s.text for s in shown if s.kind == "reference"]
        for confidential in (False, True):
            for kind in KINDS:
                for better in (True, False):
                    parts = [
                        s.text for s in shown if (s.kind, s.better, s.confidential) == (kind, better, confidential)
                    ]
                    if parts:
                        out.append(_sentence(kind, better, confidential, self.previous_year) + "; ".join(parts) + ".")
        rest = self.within_noise + ([] if public else self.within_noise_confidential)
        if rest and out:
            out.append(f"Alt andet ligger inden for den normale variation: {_names(rest)}.")
        elif rest:
            out.append(
                f"Ingen nøgletal har ændret sig eller adskiller sig fra kommunen og landet mere end den "
                f"normale variation ({_names(rest)})."
            )
        if self.not_judged:
            out.append(
                f"{_names(self.not_judged, capital=True)}: ministeriets offentliggjorte tal uden oplyst "
                "usikkerhed, så det kan ikke siges, om ændringer og forskelle er mere end tilfældige."
            )
        if not out:
            out.append(f"Der er ingen nøgletal for {self.school_year}, der kan vurderes.")
        return out


def _sentence(kind: str, better: bool, confidential: bool, previous_year: str) -> str:
    word = "bedre" if better else "dårligere"
    prefix = "Nationale test (fortroligt), " if confidential else ""
    if kind == "ændring":
        start = (
            f"{prefix}{word} end i {previous_year}" if confidential else f"{word.capitalize()} end i {previous_year}"
        )
    else:
        start = f"{prefix}{word} end {kind}" if confidential else f"{word.capitalize()} end {kind}"
    return f"{start}, mere end den tilfældige variation: "


def _names(labels: list[str], capital: bool = False) -> str:
    words = [labels[0] if capital else _lower(labels[0])] + [_lower(label) for label in labels[1:]]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def _lower(label: str) -> str:
    """A label inside a sentence (and the exam's label without its comma, which reads as a list)."""
    return (label[0].lower() + label[1:]).replace(", bundne prøver", " i de bundne prøver")


def _n(fig: KeyFigure) -> str:
    return f"n = {number(fig.n, 0)} {fig.n_unit}" if fig.n else "n ukendt"


def _better(difference: float, higher_is_better: bool) -> bool:
    return (difference > 0) == higher_is_better


def summarise(figures: list[KeyFigure], school_year: str, previous_year: str) -> Summary:
    summary = Summary(school_year, previous_year)
    for fig in figures:
        if fig.suppressed or fig.value is None:
            continue  # a hidden group is never mentioned
        if fig.unit == "count":
            continue  # counts of courses: nothing to judge against noise
        confidential = fig.key.startswith("test_")
        value = format_value(fig.value, fig.unit)
        if fig.basis == "offentliggjort":
            if fig.significance in ("Over niveau", "Under niveau"):
                summary.statements.append(
                    Statement(
                        fig.key,
                        "reference",
                        (
                            f"Ministeriet vurderer karaktergennemsnittet {fig.significance.lower()} i forhold til den "
                            f"socioøkonomiske reference ({number(fig.value, 1, sign=True)} karakterpoint; {_n(fig)})."
                        ),
                        fig.significance == "Over niveau",
                        confidential,
                    )
                )
            elif fig.significance == "På niveau":
                summary.within_noise.append(fig.label)
            else:
                summary.not_judged.append(fig.label)
            continue
        said = False
        if fig.change is not None and fig.change_significant:
            verb = "steget" if fig.change > 0 else "faldet"
            summary.statements.append(
                Statement(
                    fig.key,
                    "ændring",
                    (
                        f"{_lower(fig.label)} er {verb} fra {format_value(fig.previous_value, fig.unit)} til {value} "
                        f"({format_change(fig.change, fig.unit)}; {_n(fig)})"
                    ),
                    _better(fig.change, fig.higher_is_better),
                    confidential,
                )
            )
            said = True
        for where, comparison in (("kommunen", fig.municipality), ("landet", fig.country)):
            if (
                comparison.value is None
                or comparison.difference is None
                or not comparison.judged
                or not comparison.significant
            ):
                continue
            summary.statements.append(
                Statement(
                    fig.key,
                    where,
                    (f"{_lower(fig.label)} {value} mod {format_value(comparison.value, fig.unit)} ({_n(fig)})"),
                    _better(comparison.difference, fig.higher_is_better),
                    confidential,
                )
            )
            said = True
        if not said:
            (summary.within_noise_confidential if confidential else summary.within_noise).append(fig.label)
    return summary


def blocks(summary: Summary, public: bool = False) -> list[Block]:
    """The summary as document blocks (the data package, the minutes)."""
    return [
        Block("heading", HEADING, level=2),
        *[Block("bullet", s) for s in summary.sentences(public)],
        Block("paragraph", METHOD),
    ]


def show(summary: Summary, large: bool = False) -> None:
    """On a screen: a heading, the sentences as a list, and how the text is made."""
    import streamlit as st

    from components import plain

    size = ' style="font-size:1.25rem"' if large else ""
    items = "".join(f"<li>{plain.html(s)}</li>" for s in summary.sentences())
    st.markdown(
        f'<section class="data-summary" aria-label="{HEADING}"><h3>{HEADING}</h3><ul{size}>{items}</ul></section>',
        unsafe_allow_html=True,
    )
    st.caption(METHOD)
