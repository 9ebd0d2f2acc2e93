"""kg.build.build: every good report lands as its own named graph, every bad one is reported with its path."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import BuildResult, build, process_file, source_name, unique_ids

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "golden" / "mini_case.txt"
SEEDS = ROOT / "data" / "reports"
GRAPH = "https://w3id.org/casekg/id/graph/"


@pytest.fixture
def store(tmp_path, monkeypatch):
    from kg.store import Store

    monkeypatch.chdir(tmp_path)
    return Store.open(tmp_path / "store")


def test_build_result_counts_what_was_written(store, tmp_path):
    shutil.copy(FIXTURE, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"")
    seen = []
    result = build([tmp_path / "a.txt", tmp_path / "b.txt"], store, progress=lambda *a: seen.append(a))
    assert isinstance(result, BuildResult)
    assert result.reports == ["a"]
    assert result.failures == [("b.txt", "b.txt: empty file")]
    assert result.triples == len(store) > 100
    assert seen == [(1, 2, "a.txt", ""), (2, 2, "b.txt", "b.txt: empty file")]


def test_same_stem_in_two_folders_gives_two_reports(store, tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        shutil.copy(FIXTURE, tmp_path / folder / "case.txt")
    result = build([tmp_path], store)
    assert len(result.reports) == 2 and result.reports[0] == "case" and result.reports[1].startswith("case-")
    assert len(store.report_graphs()) == 2
    sources = {s["f"].value for s in store.query("SELECT ?f WHERE { ?r ckg:sourceFile ?f }")}
    assert sources == {"x/case.txt", "y/case.txt"}
    again = build([tmp_path], store)
    assert again.reports == result.reports, "the suffix is derived from the path, not from build order"
    assert len(store.report_graphs()) == 2


def test_unique_ids_keeps_one_source_per_id(pipeline):
    from kg.ingest import read

    a = read(FIXTURE, source="one/mini_case.txt")[0]
    b = read(FIXTURE, source="two/mini_case.txt")[0]
    ex_a, ex_b = pipeline.extract(a), pipeline.extract(b)
    ids = [i for i, _ in unique_ids([(a, ex_a), (b, ex_b), (a, ex_a)])]
    assert ids[0] == ids[2] == "mini_case" and ids[1] != "mini_case"


def test_source_name_is_relative_below_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    assert source_name(tmp_path / "d" / "r.txt") == "d/r.txt"
    assert source_name(Path("/elsewhere/r.txt")) == "/elsewhere/r.txt"


def test_process_file_never_raises_for_a_bad_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01" * 100)
    source, items, error = process_file(tmp_path / "bin.txt")
    assert (source, items) == ("bin.txt", None)
    assert error.startswith("bin.txt: binary file")


def test_an_extraction_crash_fails_only_that_report(store, tmp_path, monkeypatch):
    import kg.build as build_module

    shutil.copy(FIXTURE, tmp_path / "good.txt")
    shutil.copy(FIXTURE, tmp_path / "crash.txt")
    pipeline = build_module._pipeline()
    real = pipeline.extract

    def extract(doc):
        if doc.doc_id == "crash":
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(pipeline, "extract", extract)
    result = build([tmp_path / "good.txt", tmp_path / "crash.txt"], store)
    assert result.reports == ["good"]
    assert result.failures == [("crash.txt", "crash.txt: extraction failed (RuntimeError: boom)")]
    assert store.report_graphs() == [GRAPH + "good"]


def test_build_of_seeds_meets_the_contract_shape(seed_graph):
    """The seeds' graph has each CONTRACT node type the seed texts support."""
    q = """SELECT ?t (COUNT(DISTINCT ?x) AS ?n) WHERE { VALUES ?t { ckg:CaseReport fabio:CaseReport ckg:Patient
             ckg:Observation ckg:FindingObservation ckg:ConditionObservation ckg:ImagingObservation
             ckg:TreatmentObservation ckg:LabObservation ckg:CRESTFeature fabio:JournalArticle ckg:TreatmentClaim
             ckg:CitationContext } ?x a ?t } GROUP BY ?t"""
    from kg.graph.vocab import PREFIXES

    counts = {str(r.t).rsplit("#", 1)[-1].rsplit("/", 1)[-1]: int(r.n)
              for r in seed_graph.query(q, initNs=PREFIXES)}
    assert counts["CaseReport"] == 2 and counts["Patient"] == 2 and counts["JournalArticle"] == 27
    assert all(counts.get(k, 0) >= 1 for k in ("FindingObservation", "ConditionObservation", "ImagingObservation",
                                                "TreatmentObservation", "LabObservation", "TreatmentClaim",
                                                "CitationContext")), counts
    assert counts["CRESTFeature"] >= 5
