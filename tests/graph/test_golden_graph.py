"""A tiny real-format report built through the public path must give exactly the reviewed graph in
tests/fixtures/golden/mini_case.ttl (see the README there for deliberate regeneration)."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "tests" / "fixtures" / "golden"
CKG = rdflib.Namespace("https://w3id.org/casekg/vocab#")
CKGR = rdflib.Namespace("https://w3id.org/casekg/id/")
OBO = rdflib.Namespace("http://purl.obolibrary.org/obo/")
DRUGBANK = rdflib.Namespace("https://go.drugbank.com/drugs/")
PATIENT = CKGR["patient/mini_case"]
REPORT = CKGR["report/mini_case"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> rdflib.Graph:
    from kg.build import build
    from kg.store import Store

    store = Store.open(tmp_path_factory.mktemp("golden") / "store")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = build([GOLDEN_DIR / "mini_case.txt"], store)
    assert not result.failures and result.reports == ["mini_case"]
    return rdflib.Graph().parse(data=store.export("turtle").decode("utf-8"), format="turtle")


@pytest.fixture(scope="module")
def golden() -> rdflib.Graph:
    return rdflib.Graph().parse(GOLDEN_DIR / "mini_case.ttl", format="turtle")


def test_built_graph_is_the_golden_graph(built, golden):
    if not isomorphic(built, golden):
        _, only_built, only_golden = graph_diff(to_isomorphic(built), to_isomorphic(golden))
        show = lambda g: "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in g)[:40])
        pytest.fail(f"built graph differs from mini_case.ttl\nonly in built ({len(only_built)}):\n{show(only_built)}"
                    f"\nonly in golden ({len(only_golden)}):\n{show(only_golden)}")


def test_golden_graph_says_what_the_fixture_text_says(golden):
    """Guards the expectation itself, so that a careless regeneration cannot bless a wrong graph."""
    g = golden
    assert (REPORT, rdflib.DCTERMS.title,
            rdflib.Literal("Calcinosis Cutis of the Fingers in Limited Systemic Sclerosis: A Case Report")) in g
    assert set(g.objects(REPORT, rdflib.DCTERMS.creator)) == {rdflib.Literal("Smith J"), rdflib.Literal("Dupont AM")}
    assert g.value(PATIENT, CKG.ageYears).toPython() == 58
    assert g.value(PATIENT, CKG.sex) == CKG.Female
    assert (PATIENT, CKG.lacksFinding, OBO.HP_0001945) in g
    assert (PATIENT, CKG.hasFinding, OBO.HP_0001945) not in g
    assert (PATIENT, CKG.receivedDrug, DRUGBANK.DB00343) in g
    assert (PATIENT, CKG.receivedDrug, DRUGBANK.DB00682) not in g, "warfarin is only a literature claim"
    assert (PATIENT, CKG.hasFinding, OBO.HP_0030880) in g
    imaging = [o for o in g.subjects(rdflib.RDF.type, CKG.ImagingObservation)]
    assert len(imaging) == 1
    assert str(g.value(g.value(imaging[0], CKG.modality), rdflib.RDFS.label)) == "radiography"
    sites = {str(g.value(s, rdflib.RDFS.label)) for s in g.objects(imaging[0], CKG.bodySite)}
    assert "hand" in sites
    claims = list(g.subjects(rdflib.RDF.type, CKG.TreatmentClaim))
    assert len(claims) == 1 and g.value(claims[0], CKG.agent) == DRUGBANK.DB00682
    cited = g.value(claims[0], rdflib.URIRef("http://purl.org/spar/cito/citesAsEvidence"))
    assert str(g.value(cited, CKG.firstAuthor)) == "Cukierman T"
    contexts = list(g.subjects(rdflib.RDF.type, CKG.CitationContext))
    assert len(contexts) == 1 and str(g.value(contexts[0], CKG.marker)) == "[2]"
    assert len(set(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://purl.org/spar/fabio/JournalArticle")))) == 2


def test_golden_evidence_offsets_match_the_fixture_text(golden):
    text = (GOLDEN_DIR / "mini_case.txt").read_text(encoding="utf-8")
    evidence = list(golden.subjects(rdflib.RDF.type, CKG.Evidence))
    assert evidence
    for ev in evidence:
        start, end = golden.value(ev, CKG.start).toPython(), golden.value(ev, CKG.end).toPython()
        assert text[start:end] == str(golden.value(ev, CKG.mentionText))
        assert str(golden.value(ev, CKG.sentence)) in text
