"""The self-contained interactive HTML view of the knowledge graph.

The page inlines vis-network (the copy bundled with pyvis), its own CSS and script, and the graph
as JSON, so it opens offline and fetches nothing. Positions are precomputed (``layout.py``); above
``PHYSICS_MAX_NODES`` the browser runs no physics at all.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.errors import CaseKGError, ExportError
from kg.viz.collapse import Evidence, ViewGraph, collapse
from kg.viz.layout import layout

PHYSICS_MAX_NODES = 300
EVIDENCE_PER_EDGE = 60
"""Evidence entries kept per edge in the page; the rest are counted in a note."""

KINDS: tuple[dict, ...] = (
    {"key": "report", "label": "Case report", "color": "#c6d4ee", "border": "#4a6aa5", "shape": "box"},
    {"key": "patient", "label": "Patient", "color": "#f4a3a3", "border": "#b03a3a", "shape": "ellipse"},
    {"key": "condition", "label": "Condition", "color": "#f28e2b", "border": "#a85a10", "shape": "dot"},
    {"key": "finding", "label": "Finding", "color": "#edc948", "border": "#9c8017", "shape": "dot"},
    {"key": "crest", "label": "CREST feature", "color": "#b07aa1", "border": "#6e3f62", "shape": "star"},
    {"key": "imaging", "label": "Imaging sign", "color": "#76b7b2", "border": "#3d7a75", "shape": "hexagon"},
    {"key": "drug", "label": "Drug", "color": "#59a14f", "border": "#2f6a28", "shape": "triangle"},
    {"key": "procedure", "label": "Procedure", "color": "#8cd17d", "border": "#4c8a3f", "shape": "triangleDown"},
    {"key": "labtest", "label": "Lab test", "color": "#ff9da7", "border": "#b55a64", "shape": "diamond"},
    {"key": "modality", "label": "Imaging modality", "color": "#9c755f", "border": "#5e4435", "shape": "square"},
    {"key": "anatomy", "label": "Anatomical site", "color": "#bab0ac", "border": "#6f6763", "shape": "dot"},
    {"key": "concept", "label": "Other concept", "color": "#d7d7d7", "border": "#777777", "shape": "dot"},
    {"key": "article", "label": "Cited article", "color": "#4e79a7", "border": "#2a4a70", "shape": "box",
     "inside": True, "fontColor": "#ffffff"},
)
"""Colour and shape of each node kind, in legend order."""


@dataclass(frozen=True)
class ViewStats:
    """What was written: drawn nodes and edges, and the size of the HTML file in bytes."""

    nodes: int
    edges: int
    bytes: int


def _asset(name: str) -> str:
    return resources.files("kg.viz").joinpath(name).read_text(encoding="utf-8")


def _vis_js() -> str:
    import pyvis

    path = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseKGError(f"vis-network library missing from the pyvis package ({path}): {exc}") from exc


def _script_safe(text: str) -> str:
    """Text that cannot close or open a tag inside a <script> element."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def page_data(view: ViewGraph, note: str = "") -> dict:
    """The JSON the page script reads: kinds, nodes with positions, edges and deduplicated evidence."""
    keys = sorted(view.nodes)
    index = {k: i for i, k in enumerate(keys)}
    g = nx.Graph()
    g.add_nodes_from(range(len(keys)))
    edge_keys = sorted(view.edges)
    g.add_edges_from((index[s], index[d]) for s, d, _ in edge_keys)
    pos = layout(g)
    kind_pos = {k["key"]: i for i, k in enumerate(KINDS)}
    strings: dict[str, int] = {}
    evidence: dict[tuple, int] = {}

    def string_id(text: str) -> int:
        if text not in strings:
            strings[text] = len(strings)
        return strings[text]

    def evidence_id(ev) -> int:
        entry = {}
        if ev.sentence:
            entry["s"] = string_id(ev.sentence)
        if ev.section:
            entry["c"] = ev.section
        if ev.report in index:
            entry["r"] = index[ev.report]
        if ev.start is not None and ev.end is not None:
            entry["o"] = [ev.start, ev.end]
        if ev.note:
            entry["n"] = ev.note
        key = json.dumps(entry, sort_keys=True)
        if key not in evidence:
            evidence[key] = len(evidence)
        return evidence[key]

    nodes = []
    for k in keys:
        n = view.nodes[k]
        x, y = pos[index[k]]
        entry = {"l": n.label, "k": kind_pos.get(n.kind, kind_pos["concept"]), "x": x, "y": y,
                 "v": g.degree(index[k]) + 1, "f": [list(f) for f in n.fields]}
        search = sorted({s for s in n.search if s and s != n.label})
        if search:
            entry["s"] = search
        nodes.append(entry)
    edges = []
    for key in edge_keys:
        e = view.edges[key]
        evs = sorted(e.evidence, key=lambda ev: ev.key())
        entry = {"a": index[e.src], "b": index[e.dst], "l": e.label}
        kept = evs[:EVIDENCE_PER_EDGE]
        ids = [evidence_id(ev) for ev in kept]
        if len(evs) > len(kept):
            ids.append(evidence_id(Evidence(note=f"{len(evs) - len(kept)} more pieces of evidence not shown")))
        if ids:
            entry["e"] = ids
        if e.weight != 1:
            entry["w"] = e.weight
        if e.label in ("lacksFinding", "lacks"):
            entry["d"] = 1
        edges.append(entry)
    ordered_evidence = [json.loads(k) for k in evidence]
    kinds = [dict(k, inside=bool(k.get("inside")), fontColor=k.get("fontColor", "#222222")) for k in KINDS]
    return {"kinds": kinds, "nodes": nodes, "edges": edges, "evidence": ordered_evidence,
            "strings": list(strings), "directed": view.directed, "physicsMaxNodes": PHYSICS_MAX_NODES,
            "note": note}


def render_page(view: ViewGraph, title: str, note: str = "") -> str:
    """The complete HTML page for ``view``; identical input gives identical text."""
    data = json.dumps(page_data(view, note), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    parts = {
        "@@TITLE@@": _html_text(title),
        "@@CSS@@": _asset("view.css").replace("</", "<\\/"),
        "@@VIS@@": _vis_js().replace("</script", "<\\/script").replace("<!--", "<\\!--"),
        "@@DATA@@": _script_safe(data),
        "@@JS@@": _asset("view.js").replace("</script", "<\\/script"),
    }
    out = []
    for line in _asset("template.html").splitlines(keepends=True):
        for token, value in parts.items():
            if token in line:
                line = line.replace(token, value)
        out.append(line)
    return "".join(out)


def write_page(view: ViewGraph, path: Path, title: str, note: str = "") -> ViewStats:
    """Write the page for ``view`` to ``path`` and report what was drawn."""
    text = render_page(view, title, note)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write the view to {path}: {exc}") from exc
    return ViewStats(nodes=len(view.nodes), edges=len(view.edges), bytes=len(text.encode("utf-8")))


def focus_nodes(view: ViewGraph, focus: str) -> list[str]:
    """IRIs of the nodes ``focus`` names: a CURIE, a label or alternative label (any case), or an IRI."""
    wanted = " ".join(focus.split()).casefold()
    if not wanted:
        raise CaseKGError("the focus is empty: give a CURIE such as HP:0003761 or a label such as calcinosis")
    hits = []
    for key in sorted(view.nodes):
        node = view.nodes[key]
        names = {node.label, key, *node.search}
        names |= {v for k, v in node.fields if k in ("CURIE", "label", "title")}
        if wanted in {n.casefold() for n in names if n}:
            hits.append(key)
    concepts = [k for k in hits if view.nodes[k].kind not in ("report", "patient", "article")]
    return concepts or hits


def neighbourhood(view: ViewGraph, centres: list[str], hops: int) -> ViewGraph:
    """The part of ``view`` within ``hops`` relations of any centre (edges taken as undirected)."""
    g = view.to_networkx()
    keep: set[str] = set()
    for c in centres:
        keep |= set(nx.ego_graph(g, c, radius=hops))
    return view.subgraph(keep)


def write_view(graph: Graph, path: Path, focus: str | None = None, hops: int = 2,
               title: str = "casekg") -> ViewStats:
    """Write the interactive view of ``graph`` to ``path``; with ``focus``, only its ``hops``-neighbourhood."""
    if hops < 0:
        raise CaseKGError(f"--hops must be 0 or more, not {hops}")
    view = collapse(graph)
    note = ""
    if focus is not None:
        centres = focus_nodes(view, focus)
        if not centres:
            raise CaseKGError(f"focus {focus!r}: nothing in the graph matched this CURIE or label")
        view = neighbourhood(view, centres, hops)
        names = ", ".join(view.nodes[c].label for c in centres[:3])
        note = f"within {hops} hop(s) of {names}"
    return write_page(view, path, title, note)
