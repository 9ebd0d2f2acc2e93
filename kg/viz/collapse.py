"""Collapse the RDF knowledge graph into a readable node/edge graph for the HTML views.

Reports, patients, concepts and articles become nodes; observations, evidence nodes, citation
contexts and treatment claims become labelled edges that carry their evidence (sentence, section,
report, offsets) so the page can show it on hover and click.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SKOS

CKG = Namespace("https://w3id.org/casekg/vocab#")
CKGR = Namespace("https://w3id.org/casekg/id/")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")

CONCEPT_KINDS: tuple[tuple[URIRef, str], ...] = (
    (CKG.CRESTFeature, "crest"),
    (CKG.ImagingFinding, "imaging"),
    (CKG.Condition, "condition"),
    (CKG.Finding, "finding"),
    (CKG.Drug, "drug"),
    (CKG.Procedure, "procedure"),
    (CKG.LabTest, "labtest"),
    (CKG.Modality, "modality"),
    (CKG.AnatomicalSite, "anatomy"),
)
"""Concept classes in the order that decides a node's kind when it has several types."""

PATIENT_FACTS: tuple[tuple[URIRef, str], ...] = (
    (CKG.hasCondition, "hasCondition"),
    (CKG.hasFinding, "hasFinding"),
    (CKG.receivedDrug, "receivedDrug"),
    (CKG.underwentProcedure, "underwentProcedure"),
    (CKG.lacksFinding, "lacksFinding"),
)

OBSERVATION_LABELS: tuple[tuple[URIRef, str], ...] = (
    (CKG.ImagingObservation, "imaging shows"),
    (CKG.LabObservation, "lab result"),
    (CKG.TreatmentObservation, "treated with"),
    (CKG.ConditionObservation, "hasCondition"),
    (CKG.FindingObservation, "hasFinding"),
)

LABEL_MAX = 42


@dataclass
class Evidence:
    """One piece of support for an edge: a sentence with its place, or a note alone."""

    sentence: str = ""
    section: str = ""
    report: str = ""
    start: int | None = None
    end: int | None = None
    note: str = ""

    def key(self) -> tuple:
        return (self.report, self.start if self.start is not None else -1,
                self.end if self.end is not None else -1, self.section, self.sentence, self.note)


@dataclass
class ViewNode:
    """A drawn node: its IRI, kind, short label, info fields and the strings search matches."""

    iri: str
    kind: str
    label: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    search: list[str] = field(default_factory=list)


@dataclass
class ViewEdge:
    """A drawn edge with the evidence behind it; ``weight`` scales its width."""

    src: str
    dst: str
    label: str
    evidence: list[Evidence] = field(default_factory=list)
    weight: int = 1
    seen: set = field(default_factory=set, repr=False)

    def add(self, ev: Evidence) -> None:
        k = ev.key()
        if k not in self.seen:
            self.seen.add(k)
            self.evidence.append(ev)


@dataclass
class ViewGraph:
    """Nodes keyed by IRI and edges keyed by (source, target, label)."""

    nodes: dict[str, ViewNode] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], ViewEdge] = field(default_factory=dict)
    directed: bool = True

    def edge(self, src: str, dst: str, label: str) -> ViewEdge:
        key = (src, dst, label)
        e = self.edges.get(key)
        if e is None:
            e = self.edges[key] = ViewEdge(src, dst, label)
        return e

    def to_networkx(self) -> nx.Graph:
        """Undirected graph over the node IRIs, in sorted order so layouts are reproducible."""
        g = nx.Graph()
        g.add_nodes_from(sorted(self.nodes))
        g.add_edges_from(sorted((s, d) for s, d, _ in self.edges))
        return g

    def subgraph(self, keep: set[str]) -> "ViewGraph":
        sub = ViewGraph(directed=self.directed)
        sub.nodes = {k: v for k, v in self.nodes.items() if k in keep}
        sub.edges = {k: e for k, e in self.edges.items() if k[0] in keep and k[1] in keep}
        return sub


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    """Cut a label to ``limit`` characters at a word boundary, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def _text(value) -> str:
    return " ".join(str(value).split())


def _literals(g: Graph, s, p) -> list[str]:
    return sorted({_text(o) for o in g.objects(s, p) if isinstance(o, Literal)})


def _first(g: Graph, s, p) -> str:
    values = _literals(g, s, p)
    return values[0] if values else ""


def _label(g: Graph, s) -> str:
    """rdfs:label preferring English or untagged literals, then skos:prefLabel."""
    best: list[tuple[int, str]] = []
    for p in (RDFS.label, SKOS.prefLabel):
        for o in g.objects(s, p):
            if isinstance(o, Literal):
                rank = 0 if (o.language or "en").lower().startswith("en") else 1
                best.append((rank, _text(o)))
        if best:
            break
    return min(best)[1] if best else ""


def _int(value) -> int | None:
    try:
        return int(value.toPython() if isinstance(value, Literal) else value)
    except (TypeError, ValueError):
        return None


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri


def _authors(g: Graph, s) -> list[str]:
    for lst in g.objects(s, CKG.authorList):
        try:
            names = [_text(x) for x in Collection(g, lst)]
        except Exception:  # a malformed list: fall back to the unordered creators
            names = []
        if names:
            return names
    return _literals(g, s, DCTERMS.creator)


def _reference_text(g: Graph, art) -> str:
    ref = _first(g, art, CKG.referenceText)
    if ref:
        return ref
    authors = _authors(g, art)
    parts = [", ".join(authors)] if authors else []
    for p in (DCTERMS.title, PRISM.publicationName):
        v = _first(g, art, p)
        if v:
            parts.append(v)
    year = _first(g, art, FABIO.hasPublicationYear) or _first(g, art, DCTERMS.date)
    vol = _first(g, art, PRISM.volume)
    pages = "-".join(x for x in (_first(g, art, PRISM.startingPage), _first(g, art, PRISM.endingPage)) if x)
    tail = year + (f"; {vol}" if vol else "") + (f": {pages}" if pages else "")
    if tail:
        parts.append(tail)
    doi = _first(g, art, PRISM.doi)
    if doi:
        parts.append(f"doi:{doi}")
    return ". ".join(parts)


def _concept_kind(types: set) -> str | None:
    for cls, kind in CONCEPT_KINDS:
        if cls in types:
            return kind
    return None


class _Collapser:
    def __init__(self, g: Graph):
        self.g = g
        self.view = ViewGraph()

    def run(self) -> ViewGraph:
        self._reports()
        self._patients()
        self._concepts()
        self._articles()
        self._report_links()
        self._patient_facts()
        self._observations()
        self._claims()
        self._citation_contexts()
        return self.view

    # nodes ---------------------------------------------------------------
    def _reports(self) -> None:
        g = self.g
        subjects = set(g.subjects(RDF.type, CKG.CaseReport)) | set(g.subjects(CKG.describes, None))
        for r in subjects:
            title = _first(g, r, DCTERMS.title)
            authors = _authors(g, r)
            fields = [("title", title), ("authors", ", ".join(authors)),
                      ("date", _first(g, r, DCTERMS.date)), ("language", _first(g, r, DCTERMS.language)),
                      ("source file", _first(g, r, CKG.sourceFile)), ("IRI", str(r))]
            label = "Report: " + (title or _first(g, r, CKG.sourceFile) or _local(str(r)))
            self.view.nodes[str(r)] = ViewNode(str(r), "report", shorten(label),
                                                [f for f in fields if f[1]], [title] + authors)

    def _patients(self) -> None:
        g = self.g
        subjects = set(g.subjects(RDF.type, CKG.Patient)) | set(g.objects(None, CKG.describes))
        subjects |= {o for o in g.objects(None, CKG.patient) if not isinstance(o, Literal)}
        for p in subjects:
            age = _first(g, p, CKG.ageYears)
            sex = ""
            for o in g.objects(p, CKG.sex):
                sex = _local(str(o)).lower() if not isinstance(o, Literal) else _text(o).lower()
            bits = ["Patient"]
            if age:
                bits.append(f"{age.rstrip('0').rstrip('.') if '.' in age else age} y")
            if sex:
                bits.append(sex[:1].upper())
            reports = sorted(str(r) for r in g.subjects(CKG.describes, p))
            fields = [("age (years)", age), ("sex", sex)]
            fields += [("described in", self._name(r)) for r in reports]
            fields.append(("IRI", str(p)))
            self.view.nodes[str(p)] = ViewNode(str(p), "patient", " · ".join(bits),
                                                [f for f in fields if f[1]], [])

    def _concepts(self) -> None:
        g = self.g
        candidates = set(g.subjects(CKG.curie, None))
        for cls, _ in CONCEPT_KINDS:
            candidates |= set(g.subjects(RDF.type, cls))
        for c in candidates:
            if str(c) in self.view.nodes:
                continue
            types = set(g.objects(c, RDF.type))
            kind = _concept_kind(types) or "concept"
            curie = _first(g, c, CKG.curie)
            label = _label(g, c) or curie or _local(str(c))
            alts = _literals(g, c, SKOS.altLabel)
            type_names = sorted(_local(str(t)) for t in types if str(t).startswith(str(CKG)))
            fields = [("CURIE", curie), ("label", label), ("also", "; ".join(alts)),
                      ("types", ", ".join(type_names)), ("IRI", str(c))]
            self.view.nodes[str(c)] = ViewNode(str(c), kind, shorten(label),
                                                [f for f in fields if f[1]], [curie, label] + alts)

    def _articles(self) -> None:
        g = self.g
        subjects = set(g.subjects(RDF.type, FABIO.JournalArticle)) | set(g.objects(None, CKG.article))
        subjects |= set(g.objects(None, CITO.citesAsEvidence))
        for s, o in g.subject_objects(CITO.cites):
            if not isinstance(o, Literal) and (s, RDF.type, CKG.CitationContext) not in g:
                subjects.add(o)
        for a in subjects:
            key = str(a)
            if key in self.view.nodes:
                continue
            title = _first(g, a, DCTERMS.title)
            first = _first(g, a, CKG.firstAuthor) or next(iter(_authors(g, a)), "")
            year = _first(g, a, FABIO.hasPublicationYear) or _first(g, a, DCTERMS.date)[:4]
            ref = _reference_text(g, a)
            label = " ".join(x for x in (first, year) if x) or shorten(title or ref or _local(key), 30)
            fields = [("reference", ref), ("title", title), ("journal", _first(g, a, PRISM.publicationName)),
                      ("year", year), ("DOI", _first(g, a, PRISM.doi))]
            if not isinstance(a, BNode):
                fields.append(("IRI", key))
            self.view.nodes[key] = ViewNode(key, "article", label, [f for f in fields if f[1]],
                                            [title, first, ref])

    def _name(self, iri: str) -> str:
        node = self.view.nodes.get(iri)
        if node is None:
            return _local(iri)
        full = dict(node.fields)
        return full.get("title") or full.get("reference") or node.label

    # edges ---------------------------------------------------------------
    def _evidence(self, ev_node, report: str, note: str) -> Evidence:
        g = self.g
        start = _int(next(iter(g.objects(ev_node, CKG.start)), None))
        end = _int(next(iter(g.objects(ev_node, CKG.end)), None))
        page = _first(g, ev_node, CKG.page)
        if page:
            note = (note + "; " if note else "") + f"page {page}"
        return Evidence(_first(g, ev_node, CKG.sentence), _first(g, ev_node, CKG.section),
                        report, start, end, note)

    def _derived_report(self, s) -> str:
        for r in sorted(str(x) for x in self.g.objects(s, PROV.wasDerivedFrom)):
            return r
        return ""

    def _support(self, s, note: str) -> list[Evidence]:
        """Evidence entries of an observation, claim or context ``s``; a note alone when it has none."""
        report = self._derived_report(s)
        evs = [self._evidence(e, report, note) for e in self.g.objects(s, CKG.evidence)]
        sentence = _first(self.g, s, CKG.sentence)
        if sentence and not evs:
            evs = [Evidence(sentence, "", report, None, None, note)]
        if not evs:
            evs = [Evidence("", "", report, None, None, note)]
        return sorted(evs, key=Evidence.key)

    def _has(self, *iris: str) -> bool:
        return all(i in self.view.nodes for i in iris)

    def _report_links(self) -> None:
        g = self.g
        for r, p in g.subject_objects(CKG.describes):
            if self._has(str(r), str(p)):
                self.view.edge(str(r), str(p), "describes")
        numbers: dict[tuple[str, str], list[int]] = {}
        for r, ref in g.subject_objects(CKG.reference):
            for a in g.objects(ref, CKG.article):
                n = _int(next(iter(g.objects(ref, CKG.number)), None))
                numbers.setdefault((str(r), str(a)), [])
                if n is not None:
                    numbers[(str(r), str(a))].append(n)
        for r, a in g.subject_objects(CITO.cites):
            if (r, RDF.type, CKG.CitationContext) not in g:
                numbers.setdefault((str(r), str(a)), [])
        self.cite_label: dict[tuple[str, str], str] = {}
        for (r, a), nums in sorted(numbers.items()):
            if not self._has(r, a):
                continue
            label = "cites" + (" [" + ",".join(str(n) for n in sorted(set(nums))) + "]" if nums else "")
            self.cite_label[(r, a)] = label
            self.view.edge(r, a, label)

    def _patient_facts(self) -> None:
        for pred, label in PATIENT_FACTS:
            for p, c in self.g.subject_objects(pred):
                if self._has(str(p), str(c)):
                    self.view.edge(str(p), str(c), label)

    def _observations(self) -> None:
        g = self.g
        for obs in sorted(set(g.subjects(CKG.patient, None)), key=str):
            patients = [str(p) for p in g.objects(obs, CKG.patient)]
            concepts = [str(c) for c in g.objects(obs, CKG.concept)]
            if not patients or not concepts:
                continue
            negated = any(bool(o.toPython()) if isinstance(o, Literal) else False
                          for o in g.objects(obs, CKG.negated))
            types = set(g.objects(obs, RDF.type))
            obs_kind = next((lab for cls, lab in OBSERVATION_LABELS if cls in types), "observed")
            sites = [str(x) for x in g.objects(obs, CKG.bodySite)]
            modalities = [str(x) for x in g.objects(obs, CKG.modality)]
            indications = [str(x) for x in g.objects(obs, CKG.indication)]
            note = self._observation_note(obs, negated, sites, modalities, indications)
            support = self._support(obs, note)
            for p in patients:
                for c in concepts:
                    if not self._has(p, c):
                        continue
                    for e in self._fact_edges(p, c, negated, obs_kind):
                        for ev in support:
                            e.add(ev)
            for c in concepts:
                for targets, label in ((modalities, "seen on"), (sites, "located in"), (indications, "given for")):
                    for t in targets:
                        if self._has(c, t):
                            for ev in support:
                                self.view.edge(c, t, label).add(ev)

    def _observation_note(self, obs, negated: bool, sites, modalities, indications) -> str:
        g = self.g
        kinds = sorted(_local(str(t)) for t in g.objects(obs, RDF.type) if str(t).startswith(str(CKG)))
        bits = ["/".join(kinds) or "Observation"]
        if negated:
            bits.append("negated")
        temporality = _first(g, obs, CKG.temporality)
        if temporality:
            bits.append(temporality)
        value = _first(g, obs, CKG.value)
        if value:
            bits.append(f"value {value} {_first(g, obs, CKG.unit)}".strip())
        for label, iris in (("modality", modalities), ("site", sites), ("indication", indications)):
            names = sorted(self.view.nodes[i].label for i in iris if i in self.view.nodes)
            if names:
                bits.append(f"{label}: {', '.join(names)}")
        for label, p in (("outcome", CKG.outcome), ("dose", CKG.dose)):
            v = _first(g, obs, p)
            if v:
                bits.append(f"{label}: {v}")
        return "; ".join(bits)

    def _fact_edges(self, p: str, c: str, negated: bool, obs_kind: str) -> list[ViewEdge]:
        wanted = {"lacksFinding"} if negated else {lab for _, lab in PATIENT_FACTS if lab != "lacksFinding"}
        found = [e for lab in sorted(wanted) if (e := self.view.edges.get((p, c, lab))) is not None]
        if found:
            return found
        return [self.view.edge(p, c, "lacks" if negated else obs_kind)]

    def _claims(self) -> None:
        g = self.g
        for claim in sorted(set(g.subjects(RDF.type, CKG.TreatmentClaim)) | set(g.subjects(CKG.agent, None)), key=str):
            agents = [str(a) for a in g.objects(claim, CKG.agent)]
            conditions = [str(c) for c in g.objects(claim, CKG.condition)]
            articles = sorted(str(a) for a in g.objects(claim, CITO.citesAsEvidence))
            effect = _first(g, claim, CKG.effect)
            cited = [self._name(a) for a in articles if a in self.view.nodes]
            note = "Literature claim" + (f" (effect: {effect})" if effect else "")
            if cited:
                note += "; cites: " + " | ".join(cited)
            support = self._support(claim, note)
            label = "reported for" + (f" ({shorten(effect, 24)})" if effect else "")
            for a in agents:
                for c in conditions:
                    if self._has(a, c):
                        for ev in support:
                            self.view.edge(a, c, label).add(ev)
                for art in articles:
                    if self._has(art, a):
                        for ev in support:
                            self.view.edge(art, a, "evidence for").add(ev)

    def _citation_contexts(self) -> None:
        g = self.g
        for ctx in sorted(g.subjects(RDF.type, CKG.CitationContext), key=str):
            report = self._derived_report(ctx)
            support = self._support(ctx, "in-text citation")
            for a in sorted(str(x) for x in g.objects(ctx, CITO.cites)):
                if report and (report, a) in self.cite_label:
                    for ev in support:
                        self.view.edge(report, a, self.cite_label[(report, a)]).add(ev)
                for c in sorted(str(x) for x in g.objects(ctx, CKG.mentions)):
                    if self._has(a, c) and (a, c, "evidence for") not in self.view.edges:
                        for ev in support:
                            self.view.edge(a, c, "cited about").add(ev)


def collapse(graph: Graph) -> ViewGraph:
    """The readable graph of ``graph``: nodes for reports, patients, concepts and articles."""
    return _Collapser(graph).run()
