"""Unit tests of the HTML views on a hand-written graph modelled on the first seed report."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.errors import CaseKGError
from kg.viz import ViewStats, write_cooccurrence_view, write_view
from kg.viz.collapse import CKG, collapse
from kg.viz.cooccurrence import cooccurrence_view
from kg.viz.layout import layout

FIXTURE = Path(__file__).parent / "fixtures" / "seed_small.ttl"
OBO = "http://purl.obolibrary.org/obo/"
PATIENT = URIRef("https://w3id.org/casekg/id/patient/000_5d4d30acd5d24a24-1")
CALCINOSIS_SENTENCE = ("The clinical and radiological aspect suspected calcinosis secondary to scleroderma "
                       "confirmed later by biological examinations.")


@pytest.fixture()
def graph() -> Graph:
    return Graph().parse(FIXTURE)


def page_data(html: str) -> dict:
    m = re.search(r'<script id="casekg-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "the page embeds its graph as JSON"
    return json.loads(m.group(1))


def labelled(data: dict) -> tuple[dict[str, str], set[tuple[str, str, str]]]:
    kinds = [k["key"] for k in data["kinds"]]
    nodes = {n["l"]: kinds[n["k"]] for n in data["nodes"]}
    names = [n["l"] for n in data["nodes"]]
    edges = {(names[e["a"]], e["l"], names[e["b"]]) for e in data["edges"]}
    return nodes, edges


def test_collapse_draws_reports_patients_concepts_articles_not_observations(graph):
    view = collapse(graph)
    kinds = sorted(n.kind for n in view.nodes.values())
    assert kinds == ["anatomy", "article", "article", "condition", "crest", "crest", "drug", "imaging",
                     "modality", "patient", "report"]
    assert not [k for k in view.nodes if "/obs/" in k or "/claim/" in k or "/context/" in k]
    assert view.nodes[OBO + "HP_0003761"].kind == "crest"
    assert view.nodes[OBO + "MONDO_0005100"].kind == "condition"


def test_view_nodes_edges_and_evidence(graph, tmp_path):
    out = tmp_path / "view.html"
    stats = write_view(graph, out)
    html = out.read_text(encoding="utf-8")
    assert isinstance(stats, ViewStats)
    assert stats.bytes == len(html.encode("utf-8"))
    data = page_data(html)
    assert stats.nodes == len(data["nodes"]) == 11
    assert stats.edges == len(data["edges"])
    nodes, edges = labelled(data)
    assert nodes["Calcinosis"] == "crest"
    assert nodes["Taki H 2013"] == "article"
    assert nodes["Patient · 66 y"] == "patient"
    assert ("Patient · 66 y", "hasCondition", "Calcinosis") in edges
    assert ("Patient · 66 y", "hasFinding", "Raynaud phenomenon") in edges
    assert ("warfarin", "reported for (little effect)", "Calcinosis") in edges
    assert ("Calcinosis", "seen on", "radiography") in edges
    assert ("Calcinosis", "located in", "manus") in edges
    assert any(lab == "cites [3]" and dst == "Taki H 2013" for _, lab, dst in edges)
    assert not any(lab == "receivedDrug" for _, lab, _ in edges), "a literature drug is not given to the patient"

    names = [n["l"] for n in data["nodes"]]
    edge = next(e for e in data["edges"]
                if names[e["a"]] == "Patient · 66 y" and names[e["b"]] == "Calcinosis")
    sentences = {data["strings"][data["evidence"][i]["s"]] for i in edge["e"]}
    assert CALCINOSIS_SENTENCE in sentences
    ev = next(data["evidence"][i] for i in edge["e"] if data["strings"][data["evidence"][i]["s"]] == CALCINOSIS_SENTENCE)
    assert ev["o"] == [2357, 2483] and ev["c"] == "Case Description"
    assert names[ev["r"]].startswith("Report: Calcinosis of the Soft Tissues")
    seed = (Path(__file__).parents[2] / "data" / "reports" / "000_5d4d30acd5d24a24.txt").read_text(encoding="utf-8")
    assert seed[ev["o"][0]:ev["o"][1]] == CALCINOSIS_SENTENCE

    article = next(n for n in data["nodes"] if n["l"] == "Ranque B 2010")
    assert ["reference", "Ranque B, Mouthon L. Geoepidemiology of systemic sclerosis. Autoimmunity Reviews. "
            "2010; 9: A311-A318."] in article["f"]
    taki = dict(next(n for n in data["nodes"] if n["l"] == "Taki H 2013")["f"])
    assert taki["reference"].startswith("Taki H, Tobe K. Tumoral calcinosis in systemic sclerosis. Joint Bone Spine")


def test_legend_kinds_colours_and_shapes_are_distinct(graph, tmp_path):
    out = tmp_path / "view.html"
    write_view(graph, out)
    data = page_data(out.read_text(encoding="utf-8"))
    used = {k["key"] for i, k in enumerate(data["kinds"]) if any(n["k"] == i for n in data["nodes"])}
    assert used == {"report", "patient", "condition", "crest", "imaging", "drug", "modality", "anatomy", "article"}
    styles = [(k["color"], k["shape"]) for k in data["kinds"]]
    assert len(set(styles)) == len(styles)
    assert len({k["color"] for k in data["kinds"]}) == len(data["kinds"])
    assert all(k["label"] for k in data["kinds"])
    assert 'id="legend"' in out.read_text(encoding="utf-8")


def test_page_is_self_contained(graph, tmp_path):
    out = tmp_path / "view.html"
    write_view(graph, out)
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc\s*=", html, re.I)
    assert not re.search(r"<link[^>]*href\s*=\s*[\"']?(https?:)?//", html, re.I)
    assert not re.search(r"<(img|iframe|link)\b", html, re.I)
    assert "@import" not in html
    assert "new vis.Network" in html
    assert len(re.findall(r"^<script", html, re.M)) == 3
    assert "<!--" not in html, "an HTML comment opener inside a script could hide its end tag"


def test_output_is_deterministic(graph, tmp_path):
    a, b, c = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "c.html"
    write_view(graph, a)
    write_view(graph, b)
    reordered = Graph()
    for t in sorted(graph, key=lambda t: tuple(str(x) for x in t), reverse=True):
        reordered.add(t)
    write_view(reordered, c)
    assert a.read_bytes() == b.read_bytes()
    strip = lambda p: re.sub(r"_:\w+|N[0-9a-f]{32}", "", p.read_text(encoding="utf-8"))  # noqa: E731
    assert strip(a) == strip(c)


@pytest.mark.parametrize("focus", ["HP:0003761", "hp:0003761", "calcinosis", "Soft-Tissue Calcification"])
def test_focus_by_curie_or_label_keeps_the_neighbourhood(graph, tmp_path, focus):
    out = tmp_path / "focus.html"
    stats = write_view(graph, out, focus=focus, hops=1)
    nodes, edges = labelled(page_data(out.read_text(encoding="utf-8")))
    assert set(nodes) == {"Calcinosis", "Patient · 66 y", "warfarin", "Taki H 2013", "radiography", "manus"}
    assert stats.nodes == 6
    assert all("Calcinosis" in (s, d) or {s, d} <= set(nodes) for s, _, d in edges)


def test_focus_hops(graph, tmp_path):
    out = tmp_path / "f.html"
    assert write_view(graph, out, focus="Raynaud phenomenon", hops=0).nodes == 1
    assert write_view(graph, out, focus="Raynaud phenomenon", hops=1).nodes == 2
    two = write_view(graph, out, focus="Raynaud phenomenon", hops=2)
    nodes, _ = labelled(page_data(out.read_text(encoding="utf-8")))
    assert set(nodes) == {"Raynaud phenomenon", "Patient · 66 y", "Report: Calcinosis of the Soft Tissues…",
                          "Calcinosis", "systemic sclerosis", "Osteolysis of distal phalanges of the hand"}
    assert two.nodes == 6


def test_unknown_focus_is_a_clear_error(graph, tmp_path):
    with pytest.raises(CaseKGError, match="sarcoidosis.*nothing"):
        write_view(graph, tmp_path / "x.html", focus="sarcoidosis")
    with pytest.raises(CaseKGError, match="hops"):
        write_view(graph, tmp_path / "x.html", focus="calcinosis", hops=-1)
    assert not (tmp_path / "x.html").exists()


def test_text_from_the_graph_is_escaped(graph, tmp_path):
    evil = '</script><script>alert("x")</script><img src=x onerror=alert(1)> & more'
    graph.add((URIRef(OBO + "HP_0030880"), RDFS.label, Literal(evil)))
    graph.remove((URIRef(OBO + "HP_0030880"), RDFS.label, Literal("Raynaud phenomenon", lang="en")))
    out = tmp_path / "evil.html"
    write_view(graph, out, title='<b>"casekg"</b>')
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<title>&lt;b&gt;&quot;casekg&quot;&lt;/b&gt;</title>" in html
    data = page_data(html)
    labels = {n["l"] for n in data["nodes"]}
    assert any(lab.startswith('</script><script>alert("x")') for lab in labels)
    js = (Path(__file__).parents[2] / "kg" / "viz" / "view.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js.replace("never innerHTML", "")


def test_cooccurrence_counts_patients_sharing_concepts(graph, tmp_path):
    second = URIRef("https://w3id.org/casekg/id/patient/other-1")
    graph.add((second, RDF.type, CKG.Patient))
    graph.add((second, CKG.hasCondition, URIRef(OBO + "HP_0003761")))
    graph.add((second, CKG.hasFinding, URIRef(OBO + "HP_0030880")))
    graph.add((second, CKG.lacksFinding, URIRef(OBO + "HP_0009839")))
    view, note = cooccurrence_view(graph)
    assert {n.label for n in view.nodes.values()} == {
        "Calcinosis", "systemic sclerosis", "Raynaud phenomenon", "Osteolysis of distal phalanges of the hand"}
    weights = {frozenset((view.nodes[s].label, view.nodes[d].label)): e.weight for (s, d, _), e in view.edges.items()}
    assert weights[frozenset(("Calcinosis", "Raynaud phenomenon"))] == 2
    assert weights[frozenset(("Calcinosis", "systemic sclerosis"))] == 1
    assert len(weights) == 6
    assert "patients sharing both" in note

    pruned, note = cooccurrence_view(graph, max_edges=1)
    assert [e.weight for e in pruned.edges.values()] == [2]
    assert "at least 2 patients" in note

    out = tmp_path / "co.html"
    stats = write_cooccurrence_view(graph, out)
    data = page_data(out.read_text(encoding="utf-8"))
    assert (stats.nodes, stats.edges) == (4, 6)
    assert data["directed"] is False
    assert {e["l"] for e in data["edges"]} == {"1 patient", "2 patients"}


def test_large_layout_spreads_nodes_deterministically():
    g = nx.Graph()
    for hub in range(60):
        g.add_edge(f"h{hub:02d}", f"h{(hub + 1) % 60:02d}")
        for leaf in range(10):
            g.add_edge(f"h{hub:02d}", f"h{hub:02d}-{leaf}")
    assert g.number_of_nodes() == 660
    pos = layout(g)
    assert pos == layout(g)
    assert set(pos) == set(g)
    points = list(pos.values())
    closest = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1:])
    assert closest > 10
    hub, leaf, far = pos["h00"], pos["h00-3"], pos["h30-3"]
    assert math.dist(hub, leaf) < math.dist(hub, far)
