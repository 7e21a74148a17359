"""The audit log's details read in Danish on Revisionsspor: the parameters a write recorded
(queries/runner._audit_detail, JSON) are shown as "felt: værdi" with Danish names, dates, numbers and
yes/no, never the internal names ("school_year", "expires": 1796260034.56, true, null)."""

from __future__ import annotations

import json
import re

from components.audit_details import LABELS, readable
from queries.runner import NOT_AUDITED
from tests.conftest import ROOT
from tests.language_scan import hits_in


def test_a_login_reads_as_danish_words_and_a_danish_time():
    text = readable(json.dumps({"username": "admin", "expires": 1796260034.560083}))
    assert text.startswith("bruger: admin · udløber: ") and re.search(r"\d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d", text)


def test_every_kind_of_value_is_written_the_danish_way():
    detail = {
        "school": "900001",
        "school_year": "2025/26",
        "mandatory": True,
        "evaluation_done": False,
        "company_partner": None,
        "subjects": ["dansk", "matematik"],
        "start_date": "2025-09-01",
        "target": 17.5,
        "score": 10.0,
        "weeks": 6,
        "indicator": "absence_over10",  # a participation target's key
        "body": "412 tegn",
    }
    text = readable(json.dumps(detail))
    assert text == (
        "skole: 900001 · skoleår: 2025/26 · obligatorisk: ja · evalueret: nej · virksomhed: – · "
        "fag: dansk, matematik · start: 01.09.2025 · mål: 17,5 · vurdering: 10 · uger: 6 · "
        "indikator: Elever med over 10 % fravær · tekst: 412 tegn"
    )
    assert hits_in([text]) == []


def test_a_detail_that_is_no_json_is_shown_as_it_was_written():
    assert readable("0. årgang, 2025/26, matematik") == "0. årgang, 2025/26, matematik"
    assert readable(None) == ""


def test_every_parameter_a_write_records_has_a_danish_name():
    """A new write's parameter without a name here would reach the screen as its internal name."""
    recorded = set()
    for path in (ROOT / "queries").glob("*.sql"):
        sql = path.read_text(encoding="utf-8")
        if re.search(r"^-- level: write", sql, re.M):
            recorded |= set(re.findall(r"\$([a-z_]+)", sql))
    assert recorded - NOT_AUDITED - set(LABELS) == set()
