"""Importers, one module per source. Each module holds TITLE, KEY (the columns that must be unique
in a file), and the steps the engine calls: layout, check, scope, replace, insert, remove_batch.
Column names and their known spellings are data, in mappings/<layout>.csv."""
from data.importers import (
    absence,
    exams,
    institutions,
    leaps,
    pupils,
    school_figures,
    surveys,
    tests,
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
}
