"""The competency questions in queries/: each parses in two SPARQL engines, answers on the seed graph, and the
answers that the seed texts pin down are checked row by row."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
FIXTURE = ROOT / "tests" / "fixtures" / "golden" / "mini_case.txt"
SEED1 = "000_5d4d30acd5d24a24"
SEED2 = "003_39e4350859975b31"
CKGR = "https://w3id.org/casekg/id/"
DECLARED = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w-]*)?:", re.I | re.M)
USED = re.compile(r"(?<![\w<:/#?])([A-Za-z][\w-]*):[A-Za-z_]")


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def rows(store, name: str) -> list[dict[str, str]]:
    """Solutions of queries/<name>.rq on ``store`` as {variable: lexical value} (unbound variables left out)."""
    result = store.query(text(ROOT / "queries" / f"{name}.rq"))
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def test_there_are_at_least_twelve_competency_questions():
    assert len(QUERIES) >= 12, [q.name for q in QUERIES]


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_starts_with_a_one_line_question_and_declares_its_prefixes(path):
    lines = text(path).splitlines()
    assert lines[0].startswith("# ") and lines[0].rstrip().endswith("?"), lines[0]
    assert not lines[1].startswith("#"), "the question is one line"
    body = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    body = re.sub(r'"[^"\n]*"', '""', body)
    declared = set(DECLARED.findall(body))
    used = set(USED.findall(re.sub(r"<[^>\s]*>", "<>", body))) - {"PREFIX", "prefix"}
    assert used <= declared, f"prefixes used but not declared: {sorted(used - declared)}"


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_parses_in_rdflib(path):
    prepareQuery(text(path))


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_returns_rows_on_the_seed_store(path, seed_store):
    """Runs through pyoxigraph (kg.store.Store.query): parsing and answering on the seed graph."""
    result = seed_store.query(text(path))
    assert isinstance(result, ox.QuerySolutions)
    assert len(list(result)) >= 1


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_runs_elsewhere_with_the_same_number_of_rows(path, seed_store, seed_graph):
    """The .rq files are portable: rdflib over the exported Turtle gives as many rows as the store."""
    expected = len(list(seed_store.query(text(path))))
    assert len(list(seed_graph.query(text(path)))) == expected


def test_crest_query_lists_persian_seed_patient_for_sclerodactyly(seed_store):
    found = {(r["curie"], r["patient"]) for r in rows(seed_store, "crest_features")}
    assert ("HP:0011838", f"{CKGR}patient/{SEED2}") in found
    assert ("HP:0030880", f"{CKGR}patient/{SEED1}") in found
    assert ("HP:0030880", f"{CKGR}patient/{SEED2}") in found
    assert not any(c == "HP:0011838" and p.endswith(SEED1) for c, p in found), "seed 1 never mentions sclerodactyly"


def test_warfarin_papers_include_seed2_reference_11(seed_store):
    titles = {r.get("paperTitle") for r in rows(seed_store, "drug_evidence_papers") if r["drugLabel"] == "warfarin"}
    assert "Low dose warfarin treatment for calcinosis in patients with systemic sclerosis" in titles
    assert "Tumoral calcinosis in systemic sclerosis" in titles


def test_literature_treatments_for_calcinosis_are_seed1_reference_3(seed_store):
    got = {(r["agentLabel"], r.get("paperTitle"), r.get("effect"))
           for r in rows(seed_store, "literature_treatments_calcinosis") if r["report"].endswith(SEED1)}
    for drug in ("warfarin", "colchicine", "probenecid", "minocycline", "diltiazem"):
        assert (drug, "Tumoral calcinosis in systemic sclerosis", "little effect") in got


def test_calcinosis_patient_drugs_are_the_patients_own(seed_store):
    got = rows(seed_store, "calcinosis_patient_drugs")
    by_patient = {}
    for r in got:
        by_patient.setdefault(r["patient"].rsplit("/", 1)[1], set()).add(r["drugLabel"])
    assert {"diltiazem", "pamidronate", "colchicine", "warfarin"} <= by_patient[SEED2]
    assert SEED1 not in by_patient, "seed 1's drugs are literature claims, not the patient's"
    assert any(r["drugLabel"] == "warfarin" and r.get("indicationLabel") == "Calcinosis" for r in got)


def test_demographics_query(seed_store):
    got = {r["report"].rsplit("/", 1)[1]: r for r in rows(seed_store, "demographics")}
    assert float(got[SEED1]["ageYears"]) == 66 and "sex" not in got[SEED1]
    assert float(got[SEED2]["ageYears"]) == 44
    assert got[SEED2]["sex"] == "https://w3id.org/casekg/vocab#Female"


def test_imaging_query_has_radiograph_calcification_of_the_hand(seed_store):
    got = rows(seed_store, "imaging_signs")
    assert any(re.search("radiograph", r["modalityLabel"], re.I) and re.search("calci", r["signLabel"], re.I)
               and re.search("hand|carp|metacarp", r.get("siteLabel", ""), re.I) for r in got)


def test_negated_findings_query_has_gait_disturbance_with_its_sentence(seed_store):
    got = {r["curie"]: r for r in rows(seed_store, "negated_findings")}
    assert got["HP:0001288"]["patient"].endswith(SEED2)
    assert "evidenceSentence" in got["HP:0001288"]


def test_fact_evidence_offsets_point_into_the_source_text(seed_store):
    texts = {s: (ROOT / "data" / "reports" / f"{s}.txt").read_text(encoding="utf-8") for s in (SEED1, SEED2)}
    got = rows(seed_store, "fact_evidence")
    assert {r["fact"].split("#")[1] for r in got} >= {"hasFinding", "hasCondition", "receivedDrug", "lacksFinding"}
    for r in got:
        src = texts[r["report"].rsplit("/", 1)[1]]
        start, end = int(r["start"]), int(r["end"])
        assert src[start:end] == r["mention"]
        assert r["mention"] in r["sentence"] or r["sentence"] in src


def test_lab_values_query_has_esr_with_unit(seed_store):
    got = rows(seed_store, "lab_values")
    assert any(re.search("sedimentation", r["testLabel"], re.I) and float(r["value"]) == 28 and r.get("unit") == "mm/h"
               for r in got)


def test_concept_counts_agree_with_kg_stats(seed_store):
    from kg.cli import compute_stats

    counts = {r["type"].split("#")[1]: int(r["concepts"]) for r in rows(seed_store, "concept_counts")}
    stats = compute_stats(seed_store)["concepts"]
    assert {t: n for t, n in stats.items() if n} == counts


def test_citation_context_concepts_query_links_warfarin_sentence_to_one_paper(seed_store):
    got = [r for r in rows(seed_store, "citation_context_concepts") if r["report"].endswith(SEED1)]
    warfarin = [r for r in got if "warfarin" in r["sentence"]]
    assert warfarin and all(r["marker"] == "[3]" and r["citedPapers"] == "1" for r in warfarin)
    assert "warfarin" in warfarin[0]["concepts"]


def test_cocited_pairs_are_ordered_and_counted(seed_store):
    got = rows(seed_store, "cocited_papers")
    assert all(r["paperA"] < r["paperB"] for r in got)
    assert int(got[0]["contexts"]) >= int(got[-1]["contexts"]) and int(got[0]["contexts"]) >= 1
    titles = {(r.get("titleA"), r.get("titleB")) for r in got if int(r["contexts"]) >= 1}
    pair = {"Safety and efficacy of extracorporeal shock wave therapy (ESWT) in calcinosis cutis associated with "
            "systemic sclerosis", "Treatment of calcinosis cutis by extracorporeal shock-wave lithotripsy"}
    assert any({a, b} == pair for a, b in titles), "references 18 and 19 of seed 2 share one marker"


def test_papers_cited_by_two_reports_come_first(tmp_path, monkeypatch):
    """Seed 1 and the fixture both cite Taki H 2013: one article node, counted for two reports."""
    from kg.build import build
    from kg.store import Store

    monkeypatch.chdir(ROOT)
    store = Store.open(tmp_path / "store")
    result = build([ROOT / "data" / "reports" / f"{SEED1}.txt", FIXTURE], store)
    assert not result.failures
    got = rows(store, "papers_cited_more_than_once")
    assert got[0]["paperTitle"] == "Tumoral calcinosis in systemic sclerosis"
    assert got[0]["reports"] == "2"
    assert all(int(r["reports"]) == 1 for r in got[1:])


def test_shared_findings_are_shared_by_both_seed_patients(seed_store):
    got = {r["curie"]: int(r["patients"]) for r in rows(seed_store, "shared_findings")}
    assert got.get("HP:0030880") == 2
    assert all(n >= 2 for n in got.values())


def test_kg_query_resolves_every_bundled_query_by_name(seed_store):
    from kg.cli import resolve_query

    for path in QUERIES:
        assert resolve_query(path.stem) == text(path)
