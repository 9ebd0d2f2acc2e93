"""The concept co-occurrence view: concepts linked by how many patients have both.

Only affirmed patient facts count (a ``lacksFinding`` is not a co-occurrence). Edge weight is the
number of patients sharing the two concepts; when the network would be too dense to draw, only
pairs shared by at least ``k`` patients are kept and the page says so.
"""
from __future__ import annotations

from itertools import combinations
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.viz.collapse import Evidence, ViewEdge, ViewGraph, ViewNode, collapse
from kg.viz.html import ViewStats, write_page

MAX_EDGES = 20000
NEGATIVE = {"lacksFinding", "lacks"}


def cooccurrence_graph(view: ViewGraph) -> nx.Graph:
    """Concept IRIs as nodes (attribute ``patients``: a sorted list) and ``weight`` = shared patients."""
    per_patient: dict[str, set[str]] = {}
    for (src, dst, label) in view.edges:
        if label in NEGATIVE:
            continue
        if view.nodes[src].kind == "patient" and view.nodes[dst].kind not in ("patient", "report", "article"):
            per_patient.setdefault(src, set()).add(dst)
    g = nx.Graph()
    for patient in sorted(per_patient):
        concepts = sorted(per_patient[patient])
        for c in concepts:
            if c not in g:
                g.add_node(c, patients=[])
            g.nodes[c]["patients"].append(patient)
        for a, b in combinations(concepts, 2):
            if g.has_edge(a, b):
                g[a][b]["weight"] += 1
                g[a][b]["patients"].append(patient)
            else:
                g.add_edge(a, b, weight=1, patients=[patient])
    return g


def _min_weight(g: nx.Graph, limit: int) -> int:
    """The smallest weight threshold that leaves at most ``limit`` edges."""
    weights = sorted((w for _, _, w in g.edges(data="weight")), reverse=True)
    if len(weights) <= limit:
        return 1
    return weights[limit] + 1


def _patient_note(view: ViewGraph, patient: str) -> tuple[str, str]:
    reports = sorted(s for (s, d, label) in view.edges if d == patient and label == "describes")
    report = reports[0] if reports else ""
    title = dict(view.nodes[report].fields).get("title", view.nodes[report].label) if report else ""
    return view.nodes[patient].label + (f" — {title}" if title else ""), report


def cooccurrence_view(graph: Graph, max_edges: int = MAX_EDGES) -> tuple[ViewGraph, str]:
    """The co-occurrence network as a drawable graph, and the note that describes any pruning."""
    base = collapse(graph)
    co = cooccurrence_graph(base)
    k = _min_weight(co, max_edges)
    view = ViewGraph(directed=False)
    for c in co.nodes:
        node = base.nodes[c]
        count = len(co.nodes[c]["patients"])
        fields = [("patients", str(count))] + node.fields
        view.nodes[c] = ViewNode(c, node.kind, node.label, fields, list(node.search))
    notes: dict[str, tuple[str, str]] = {}
    for a, b, data in co.edges(data=True):
        if data["weight"] < k:
            continue
        src, dst = sorted((a, b))
        w = data["weight"]
        edge = ViewEdge(src, dst, f"{w} patient{'s' if w != 1 else ''}", weight=w)
        for p in data["patients"]:
            if p not in notes:
                notes[p] = _patient_note(base, p)
            note, report = notes[p]
            edge.add(Evidence(note="shared by " + note, report=report))
        view.edges[(src, dst, edge.label)] = edge
    note = "edge weight = patients sharing both concepts"
    if k > 1:
        note += f"; only pairs shared by at least {k} patients are drawn"
    return view, note


def write_cooccurrence_view(graph: Graph, path: Path, title: str = "casekg: concept co-occurrence") -> ViewStats:
    """Write the co-occurrence network of ``graph`` (concepts across patients) as a self-contained page."""
    view, note = cooccurrence_view(graph)
    return write_page(view, path, title, note)
