"""Issue 4: the Persian case presentation goes through the same pipeline; its imaging observations carry Persian
evidence sentences whose character offsets point into the report file's own text."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = "data/reports/003_39e4350859975b31.txt"
TEXT = (ROOT / SEED).read_text(encoding="utf-8")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")

IMAGING = """
SELECT ?mod ?finding ?site ?sentence ?start ?end ?lang WHERE {
  ?obs a ckg:ImagingObservation ; ckg:patient ?p ; ckg:modality ?m ; ckg:concept ?c ; ckg:bodySite ?s ;
       ckg:evidence ?ev .
  ?r ckg:describes ?p ; ckg:sourceFile ?f . FILTER(STRENDS(?f, "003_39e4350859975b31.txt"))
  ?m rdfs:label ?mod . ?c rdfs:label ?finding . ?s rdfs:label ?site .
  ?ev ckg:sentence ?sentence ; ckg:start ?start ; ckg:end ?end ; dcterms:language ?lang .
}"""


@pytest.fixture(scope="module")
def imaging(seed_store):
    return [{k: row[k].value for k in ("mod", "finding", "site", "sentence", "start", "end", "lang")}
            for row in seed_store.query(IMAGING)]


@pytest.mark.parametrize("modality, finding, site", [
    ("magnetic resonance", "calcinosis|calcification", "lumbar|facet|vertebra"),
    ("radiograph", "calcinosis|calcification", "thoracic vertebra|paravertebral"),
    ("radiograph", "calcinosis|calcification", "elbow|wrist"),
])
def test_persian_imaging_observation_has_persian_evidence_with_exact_offsets(imaging, modality, finding, site):
    rows = [r for r in imaging if re.search(modality, r["mod"], re.I) and re.search(finding, r["finding"], re.I)
            and re.search(site, r["site"], re.I)]
    assert rows, f"no {modality} / {finding} / {site} observation"
    for r in rows:
        start, end = int(r["start"]), int(r["end"])
        assert r["lang"] == "fa"
        assert ARABIC_SCRIPT.search(r["sentence"])
        assert TEXT[start:end] and TEXT[start:end] in r["sentence"]
        sentence_at = TEXT.find(r["sentence"])
        assert sentence_at >= 0 and sentence_at <= start and end <= sentence_at + len(r["sentence"])


def test_persian_patient_facts(seed_graph):
    """Age and sex from "خانم ۴۴ ساله", drugs and the elbow surgery from the Persian text (not only the abstract)."""
    q = """SELECT ?label ?text WHERE {
      ?r ckg:sourceFile ?f ; ckg:describes ?p . FILTER(STRENDS(?f, "003_39e4350859975b31.txt"))
      ?obs ckg:patient ?p ; ckg:concept ?c ; ckg:negated false ; ckg:evidence ?ev .
      ?obs a ckg:TreatmentObservation . ?c rdfs:label ?label . ?ev ckg:mentionText ?text }"""
    rows = {(str(a), str(b)) for a, b in seed_graph.query(q, initNs={
        "ckg": "https://w3id.org/casekg/vocab#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})}
    persian_drugs = {label for label, text in rows if ARABIC_SCRIPT.search(text)}
    assert {"diltiazem", "pamidronate", "colchicine", "warfarin", "cyclophosphamide"} <= persian_drugs
