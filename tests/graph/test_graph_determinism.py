"""Building the seeds twice into two fresh stores gives the same graph: isomorphic, the same IRIs, the same bytes."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parents[2]


def _build(path: Path):
    from kg.build import build
    from kg.store import Store

    store = Store.open(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = build([ROOT / "data" / "reports"], store)
    assert not result.failures
    return store


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    base = tmp_path_factory.mktemp("determinism")
    first, second = _build(base / "a"), _build(base / "b")
    return first, second


def _iris(graph: rdflib.Graph) -> set[str]:
    return {str(t) for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}


def test_two_builds_give_isomorphic_graphs_with_the_same_iris(twice):
    a, b = (rdflib.Graph().parse(data=s.export("turtle").decode("utf-8"), format="turtle") for s in twice)
    assert len(a) > 1000
    assert isomorphic(a, b)
    assert _iris(a) == _iris(b)


def test_two_builds_give_identical_exports(twice):
    for fmt in ("turtle", "nquads", "trig"):
        assert twice[0].export(fmt) == twice[1].export(fmt), fmt


def test_graph_has_no_blank_nodes(twice):
    """Stable IRIs everywhere: a blank node would make 'same IRIs' meaningless for that part of the graph."""
    quads = twice[0].export("nquads").decode("utf-8")
    assert "_:" not in "".join(line.split('"')[0] for line in quads.splitlines())


def test_triples_for_one_extraction_are_sorted_and_repeatable(pipeline):
    from kg.graph.triples import triples
    from kg.ingest import read

    doc = read(ROOT / "tests" / "fixtures" / "golden" / "mini_case.txt")[0]
    first, second = triples(pipeline.extract(doc)), triples(pipeline.extract(doc))
    assert first == second
    keys = [(str(t.subject), str(t.predicate), str(t.object)) for t in first]
    assert keys == sorted(set(keys))
