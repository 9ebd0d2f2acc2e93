"""The embedded store: one named graph per report, replaced (never duplicated) on re-build, atomic updates,
exports that parse back, and SPARQL over the union of the report graphs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "golden" / "mini_case.txt"
SEEDS = ROOT / "data" / "reports"
CKG = "https://w3id.org/casekg/vocab#"
GRAPH = "https://w3id.org/casekg/id/graph/"


def _quads(store) -> set[str]:
    return set(store.export("nquads").decode("utf-8").splitlines())


def _build(store, *paths):
    from kg.build import build

    result = build(list(paths), store)
    assert not result.failures, result.failures
    return result


def _drugs(store) -> set[str]:
    q = "SELECT ?l WHERE { ?p ckg:receivedDrug/rdfs:label ?l }"
    return {s["l"].value for s in store.query(q)}


@pytest.fixture
def store(tmp_path, monkeypatch):
    from kg.store import Store

    monkeypatch.chdir(tmp_path)
    return Store.open(tmp_path / "store")


def test_rebuilding_a_report_replaces_its_graph(store, tmp_path):
    report = tmp_path / "mini_case.txt"
    shutil.copy(FIXTURE, report)
    _build(store, report)
    first = _quads(store)
    assert store.report_graphs() == [GRAPH + "mini_case"]
    _build(store, report)
    assert _quads(store) == first
    assert len(store) == len(first)


def test_a_changed_file_loses_its_old_facts(store, tmp_path):
    report = tmp_path / "mini_case.txt"
    shutil.copy(FIXTURE, report)
    _build(store, report)
    assert "diltiazem" in _drugs(store)
    report.write_text(FIXTURE.read_text(encoding="utf-8").replace("diltiazem", "colchicine")
                      .replace("58-year-old", "61-year-old"), encoding="utf-8")
    _build(store, report)
    assert "colchicine" in _drugs(store) and "diltiazem" not in _drugs(store)
    ages = {s["a"].value for s in store.query("SELECT ?a WHERE { ?p ckg:ageYears ?a }")}
    assert {float(a) for a in ages} == {61.0}
    assert not any("diltiazem" in q for q in _quads(store))
    assert store.report_graphs() == [GRAPH + "mini_case"]


def test_rebuilding_one_report_leaves_the_others_alone(store, tmp_path):
    _build(store, SEEDS)
    seed_quads = _quads(store)
    _build(store, FIXTURE)
    _build(store, FIXTURE)
    assert len(store.report_graphs()) == 3
    assert seed_quads <= _quads(store)
    store.remove_report("mini_case")
    assert _quads(store) == seed_quads


def test_a_failed_update_leaves_the_store_as_it_was(store, monkeypatch):
    """The 2nd report's update text is broken, so the whole batch (including the 1st report's DROP) is rejected."""
    import kg.store as store_module
    from kg.errors import StoreError

    _build(store, FIXTURE)
    before = _quads(store)
    good_iri = store_module.graph_iri
    monkeypatch.setattr(store_module, "graph_iri",
                        lambda doc_id: "<broken" if doc_id == "broken" else good_iri(doc_id))
    triple = ox.Triple(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("o"))
    with pytest.raises(StoreError, match="nothing written"):
        store.replace_reports([("mini_case", [triple]), ("broken", [triple])])
    assert _quads(store) == before


def test_literals_cannot_break_out_of_the_update(store):
    """Report text ends up in SPARQL update text: quotes, braces and newlines must land as data, not as syntax."""
    _build(store, FIXTURE)
    before = _quads(store)
    nasty = 'x" } } ; DROP ALL ; INSERT DATA { <a:b> <a:c> "\n\u0000 \\ \u202e فارسی'
    triple = ox.Triple(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal(nasty))
    store.replace_reports([("other", [triple])])
    got = [s["o"].value for s in store.query("SELECT ?o WHERE { <https://example.org/s> ?p ?o }")]
    assert got == [nasty]
    assert before < _quads(store)
    assert len(store) == len(before) + 1


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("ntriples", "nt")])
def test_graph_exports_parse_back_as_the_merged_graph(seed_store, fmt, parser):
    merged = {line for line in seed_store.export("nquads").decode("utf-8").splitlines()}
    distinct_triples = {line.rsplit(" ", 2)[0] for line in merged}
    g = rdflib.Graph().parse(data=seed_store.export(fmt).decode("utf-8"), format=parser)
    assert len(g) == len(distinct_triples)
    assert len(g) < len(seed_store), "concept triples shared by both reports appear once in the merged graph"


@pytest.mark.parametrize("fmt,parser", [("nquads", "nquads"), ("trig", "trig")])
def test_dataset_exports_parse_back_with_one_graph_per_report(seed_store, fmt, parser):
    ds = rdflib.Dataset()
    ds.parse(data=seed_store.export(fmt).decode("utf-8"), format=parser)
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert graphs == set(seed_store.report_graphs())
    assert sum(len(ds.graph(rdflib.URIRef(g))) for g in graphs) == len(seed_store)


def test_jsonld_export_is_json_with_one_named_graph_per_report(seed_store):
    data = seed_store.export("jsonld").decode("utf-8")
    doc = json.loads(data)
    graphs = doc if isinstance(doc, list) else doc["@graph"]
    assert {g["@id"] for g in graphs} == set(seed_store.report_graphs())
    assert all(g["@graph"] for g in graphs)
    ds = rdflib.Dataset().parse(data=data, format="json-ld")
    assert sum(len(g) for g in ds.graphs()) == len(seed_store)


def test_unknown_export_format_is_a_clear_error(seed_store):
    from kg.errors import ExportError

    with pytest.raises(ExportError, match="unknown export format"):
        seed_store.export("rdfxml")


def test_query_sees_the_union_of_report_graphs(seed_store):
    q = """SELECT ?f (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ckg:Patient ; ckg:hasFinding ?f . ?f a ckg:CRESTFeature }
           GROUP BY ?f HAVING (COUNT(DISTINCT ?p) = 2)"""
    shared = {s["f"].value for s in seed_store.query(q)}
    assert "http://purl.obolibrary.org/obo/HP_0030880" in shared
    per_graph = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?p a ckg:Patient } }"
    assert {s["g"].value for s in seed_store.query(per_graph)} == set(seed_store.report_graphs())


@pytest.mark.xfail(strict=True, reason="union default graph is a bag in Oxigraph: a triple held by two report graphs "
                                       "matches twice (see report: kg/store/__init__.py Store.query)")
def test_union_default_graph_has_set_semantics(seed_store):
    """SPARQL's default graph is an RDF graph (a set): the label of calcinosis, stored in both seeds' graphs, is one
    triple of the merged graph and must match once, as it does in the Turtle export."""
    q = "SELECT (COUNT(*) AS ?n) WHERE { <http://purl.obolibrary.org/obo/HP_0003761> rdfs:label ?l }"
    assert int(next(iter(seed_store.query(q)))["n"].value) == 1


def test_malformed_query_raises_query_error(seed_store):
    from kg.errors import QueryError

    with pytest.raises(QueryError, match="malformed query"):
        seed_store.query("SELECT ?x WHERE { ?x ")


def test_missing_store_is_a_store_error(tmp_path):
    from kg.errors import StoreError
    from kg.store import Store

    with pytest.raises(StoreError, match="no store here"):
        Store.open(tmp_path / "nowhere", create=False, read_only=True)
    assert not (tmp_path / "nowhere").exists()


def test_read_only_open_beside_a_writer_in_the_same_process(store, tmp_path):
    """A library caller (a notebook, kg view in tests) that built a store and then opens it read-only in the same
    process must get the data or a StoreError, never a raw RocksDB RuntimeError."""
    from kg.errors import StoreError
    from kg.store import Store

    _build(store, FIXTURE)
    try:
        reader = Store.open(store.path, create=False, read_only=True)
        assert len(list(reader.query("SELECT ?r WHERE { ?r a ckg:CaseReport }"))) == 1
    except StoreError:
        pass
