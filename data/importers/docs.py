"""Writes docs/import/<source>.md from the mapping files, so the documentation a municipality
reads is the same table the importer uses. Run: python -m data.importers.docs"""

from __future__ import annotations

from pathlib import Path

from data.importers import SOURCES
from data.importers.fields import fields, values

DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "import"
LAYOUTS = {
    "school-figures": ["school_figures", "school_wellbeing"],
    "team-tests": ["team_tests"],
    "uni-logins": ["uni_logins"],
}
INTRO = {
    "pupils": "Elevregistret: én række pr. elev og skoleår. Alle andre elevfiler henviser til elevnøglen herfra.",
    "wellbeing": "Trivselsmålingens svar: én række pr. elev, én kolonne pr. spørgsmål. Elevernes indikatorscorer "
    "beregnes efter importen efter den officielle regel (gennemsnit af svarene; mindst halvdelen "
    "besvaret). Enkelte elevers svar vises aldrig.",
    "absence": "Elevfravær pr. elev og måned, i hele (eller halve) dage af hver slags.",
    "tests": "De nationale test (overgangstest) pr. elev, fag og profilområde. Fortrolige (folkeskoleloven § 55 b): "
    "vises aldrig i en offentlig eksport.",
    "exams": "Afgangsprøvernes karakterer pr. elev og prøvefag.",
    "surveys": "Spørgeskemaresultater pr. skole, runde, respondentgruppe og spørgsmål (LEAPS-surveyen, projekters "
    "før- og eftermålinger, skolens egne undersøgelser).",
    "leaps": "LEAPS-forløb pr. skole, skoleår og årgang.",
    "school-figures": "Ministeriets offentliggjorte tal fra Uddannelsesstatistik.dk, som de eksporteres: "
    "»Skoletal«-oversigten (én række pr. afdeling og skoleår, en kolonne pr. mål, evt. fulgt af "
    "» - Kommune« og » - Land«) eller trivselsindikatorerne (lang form). Vises på Kommune-skærmen "
    "med »Kilde: Uddannelsesstatistik.dk« og datoen, tallene blev hentet.",
    "team-tests": "Teamets egne prøver opgave for opgave, som teamet fører dem i et regneark (inspirationskataloget, "
    "Ullerup Bæk Skole). Filen er ikke én tabel: hvert ark (eller CSV-filen) er én prøve med en række "
    "»Prøve« (navnet) og »Dato«, evt. »Fag«, så en række »Fagligt område« (et område over flere "
    "opgaver som flettede celler, eller i CSV skrevet én gang og fulgt af tomme celler), en række "
    "»Signalord« og en række med opgavenumrene, hvis første celle er »Opgave nr.«, »Elevnøgle« eller "
    "»Opgave nr./uni-login«; evt. en række »Maks« med hver opgaves maksimum (ellers bruges det "
    "højeste point, en elev fik). Derunder én række pr. elev: elevnøgle eller UNI-login og point pr. "
    "opgave. Skole og klassetrin er elevens i elevregistret det skoleår, datoen ligger i. Datablik "
    "læser arket om til rækkerne nedenfor (én pr. elev og opgave), og kontrollerer dem som alle andre "
    "filer; en ny fil for samme prøve (navn og dato) erstatter prøven. Elevniveau: kun for skolens "
    "ledelse og årgangens team, aldrig for kommunen og aldrig i en offentlig eksport.",
    "uni-logins": "Skolens liste over elevernes UNI-login ved siden af elevnøglen, så teamets prøveark kan bruge "
    "UNI-login i første kolonne. Selve login gemmes aldrig: kun en SHA-256 af databasens egen "
    "tilfældige salt og login. En ny liste for en skole erstatter skolens liste.",
    "institutions": "Institutionsregistrets eksport (30 kolonner, semikolon, UTF-8 med BOM). Kun folkeskoler "
    "(institutionstype 1012) som ikke er nedlagt, indlæses; andre rækker springes over.",
}
TYPES = {
    "text": "tekst",
    "key": "tekst (pseudonym nøgle, aldrig CPR)",
    "code": "kort id (bogstaver, tal, - og _)",
    "institution": "6 cifre",
    "school_year": "skoleår: 2024/2025 eller 2024/25",
    "grade": "klassetrin 0–10",
    "gender": "pige / dreng (K/M, kvinde/mand)",
    "bool": "ja / nej (1 / 0)",
    "date": "dato: 31-12-2025, 31.12.2025, 31/12/2025 eller 2025-12-31",
    "month": "måned: 2025-09, 09-2025 eller september 2025",
    "mark": "7-trinsskalaen: -3, 00, 02, 4, 7, 10, 12",
    "percent": "procent 0–100 (»72,5« eller »72,5 %«)",
    "municipality": "kommunenavn eller 3-cifret kode",
    "ignore": "læses ikke",
    "pnumber": "læses ikke",
    "answer": "svarmulighed: nummer (1 = første) eller tekst",
}


def _type(type_: str) -> str:
    kind, _, arg = type_.partition(":")
    if kind in ("int", "decimal"):
        low, high = arg.split(":")
        return f"{'helt tal' if kind == 'int' else 'tal'} {low}–{high}"
    if kind == "figure":
        kind_text = {"percent": "procent", "count": "antal", "decimal": "tal"}[arg]
        return kind_text + " i dansk format (»..«, »-«, »*« = skjult)"
    if kind == "enum":
        return "en af: " + ", ".join(sorted({v for v in values(arg).values()}))
    if kind == "list":
        return "liste adskilt af komma eller |"
    return TYPES[kind]


PUPILS_NOTE = [
    "## Et elevregister er hele registret",
    "",
    "Filen er hele elevregistret for sine skoler og skoleår. Elever, der står i Datablik for en af filens "
    "skoler og skoleår, men ikke i filen, fjernes. Har nogen af dem data (trivselssvar, fravær, test, "
    "karakterer, vurderinger), afvises filen med antallet, medmindre den importeres som **erstatning** "
    "(`--erstat`, eller afkrydsningen »Erstat elevregistret« på skærmen Data): så fjernes eleverne med alle "
    "deres data, og en tilbagerulning lægger det hele tilbage.",
    "",
    "En elev, som filen placerer på en anden skole samme skoleår, flytter: elevens svar, fravær, test og "
    "karakterer det skoleår følger med til den nye skole.",
    "",
]


def page(source: str) -> str:
    module = SOURCES[source]
    first = {f.name: f.headers[0] for layout in LAYOUTS.get(source, [source]) for f in fields(layout)}
    first |= {"indicator": "Trivselsindikator", "department_no": "Afdelingsnummer"}
    lines = [
        f"# Import: {module.TITLE} (`{source}`)",
        "",
        INTRO[source],
        "",
        f"Kommandolinje: `python -m data import {source} FIL [FIL ...]` (`--dry-run` kontrollerer uden at "
        "skrive). I appen: skærmen **Data** (rollen admin).",
        "",
        "## Filen",
        "",
        "- CSV adskilt med semikolon, komma eller tabulator; UTF-8 (med eller uden BOM) eller Windows-1252. "
        "Semikolon- og tabulatorfiler læses med dansk talformat (»2.351«, »7,3«), kommafiler med punktum "
        "som decimaltegn.",
        "- Excel-projektmappe (.xlsx): det første ark. En titellinje over overskrifterne og noter under "
        "tabellen springes over.",
        "- Overskrifterne sammenlignes uden store/små bogstaver, mellemrum og tegnsætning. En ukendt kolonne "
        "afviser filen (Datablik gætter ikke); tilføj en ny stavemåde i "
        "`data/importers/mappings/` i stedet.",
        "- En værdi, der ligner et CPR-nummer, afviser hele filen, i alle kolonner og stavemåder: med "
        "mellemrum, punktum, bindestreg, skråstreg eller understreg, med fuldbredde-cifre, og som Excel-tal "
        "uden foranstillet nul. Værdien gentages aldrig i rapporten.",
        "- »..«, »-«, »*«, »<5« og en tom celle betyder manglende eller skjult i alle kolonner, også tekst- "
        "og valgkolonner: tom i en valgfri kolonne, en fejl i en påkrævet.",
        f"- Hver række skal være entydig på: {', '.join(first.get(k, k) for k in module.KEY if k in first)}.",
        "",
    ]
    for layout in LAYOUTS.get(source, [source]):
        if len(LAYOUTS.get(source, [])) > 1:
            lines += [f"## Kolonner: {'Skoletal' if layout == 'school_figures' else 'Trivselsindikatorer'}", ""]
        else:
            lines += ["## Kolonner", ""]
        lines += ["| Kolonne | Andre kendte stavemåder | Type | Påkrævet | Beskrivelse |", "|---|---|---|---|---|"]
        for f in fields(layout):
            lines.append(
                f"| {f.headers[0]} | {', '.join(f.headers[1:])} | {_type(f.type)} | "
                f"{'ja' if f.required else 'nej'} | {f.description} |"
            )
        lines.append("")
    lines += [
        "## Når filen er i orden",
        "",
        "Hele importen er én transaktion: alt skrives, eller intet. Den samme fil igen ændrer intet. "
        "En rettet fil for samme skole og skoleår erstatter de gamle rækker i samme transaktion. "
        "Et parti kan rulles tilbage på skærmen Data eller med `python -m data rollback PARTI`; "
        "det, partiet erstattede, lægges tilbage.",
        "",
        *(PUPILS_NOTE if source == "pupils" else []),
        f"Eksempler i alle varianter: `tests/fixtures/import/{source}-*`.",
        "",
    ]
    return "\n".join(lines)


def index() -> str:
    lines = [
        "# Import af data",
        "",
        "Hver kilde har sit eget format. Siderne her er skrevet ud fra de samme tabeller, som importen "
        "bruger (`data/importers/mappings/`), så de passer altid. Eksempelfiler i alle varianter, også "
        "med fejl, ligger i `tests/fixtures/import/` og kan bruges som skabeloner.",
        "",
        "| Kilde | Indhold |",
        "|---|---|",
    ]
    lines += [f"| [`{s}`]({s}.md) | {m.TITLE} |" for s, m in SOURCES.items()]
    return "\n".join(lines + [""])


def pages() -> dict[str, str]:
    return {"README.md": index()} | {f"{source}.md": page(source) for source in SOURCES}


def write_all(folder: Path = DOCS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages().items():
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_all()
    print(f"Skrevet: {DOCS}")
