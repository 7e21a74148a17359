"""Importers, one module per source. Each module holds TITLE, KEY (the columns that must be unique
in a file), TABLES, and the steps the engine calls: layout, check, replace, insert; and scope and
remove_batch where they differ from common.scope (the file's schools and years) and removing the
batch's rows from TABLES. Column names and their known spellings are data, in mappings/<layout>.csv."""

from data.importers import (
    absence,
    exams,
    institutions,
    leaps,
    pupils,
    school_figures,
    surveys,
    team_tests,
    tests,
    uni_logins,
    wellbeing,
)

SOURCES = {
    "pupils": pupils,
    "wellbeing": wellbeing,
    "absence": absence,
    "tests": tests,
    "exams": exams,
    "surveys": surveys,
    "leaps": leaps,
    "school-figures": school_figures,
    "institutions": institutions,
    "team-tests": team_tests,
    "uni-logins": uni_logins,
}
