"""Extraction -> RDF triples in the shape of CONTRACT.md. Every patient fact has an observation node with its
evidence (report, section, sentence, character offsets)."""
from __future__ import annotations

import re
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Triple

from kg.graph.iris import (article_iri, concept_iri, local_iri, patient_iri, report_iri)
from kg.graph.vocab import cito, ckg, dcterms, fabio, prism, prov, rdf, rdfs, skos, xsd
from kg.model import Concept, Evidence, Extraction, Observation, Reference

OBS_CLASS = {"Finding": "FindingObservation", "Condition": "ConditionObservation", "Imaging": "ImagingObservation",
             "Treatment": "TreatmentObservation", "Procedure": "ProcedureObservation", "Lab": "LabObservation"}


def _lit(value: str, lang: str | None = None) -> Literal:
    return Literal(value, language=lang) if lang else Literal(value)


def _int(n: int) -> Literal:
    return Literal(str(int(n)), datatype=xsd.integer)


def _bool(b: bool) -> Literal:
    return Literal("true" if b else "false", datatype=xsd.boolean)


def _decimal(x: float) -> Literal:
    d = Decimal(repr(float(x))).normalize()
    text = format(d, "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=xsd.decimal)


def _date(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=xsd.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=xsd.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=xsd.gYear)
    return Literal(value)


class _Emitter:
    def __init__(self, ex: Extraction):
        self.ex = ex
        self.doc_id = ex.document.doc_id
        self.report = report_iri(self.doc_id)
        self.patient = patient_iri(self.doc_id)
        self.triples: list[Triple] = []
        self.concepts: dict[str, Concept] = {}
        self.pages = ex.document.pages
        self.affirmed: set[str] = set()

    def add(self, s, p, o) -> None:
        self.triples.append(Triple(s, p, o))

    def concept(self, c: Concept) -> NamedNode:
        self.concepts.setdefault(c.curie, c)
        return concept_iri(c.curie)

    def evidence(self, ev: Evidence, kind: str = "ev") -> NamedNode:
        node = local_iri("evidence", self.doc_id, ev.start, ev.end)
        self.add(node, rdf.type, ckg.Evidence)
        self.add(node, prov.wasDerivedFrom, self.report)
        self.add(node, ckg.section, _lit(ev.section))
        self.add(node, ckg.sentence, _lit(ev.sentence))
        self.add(node, ckg.start, _int(ev.start))
        self.add(node, ckg.end, _int(ev.end))
        self.add(node, ckg.mentionText, _lit(self.ex.document.text[ev.start:ev.end]))
        if ev.language:
            self.add(node, dcterms.language, _lit(ev.language))
        page = ev.page if ev.page is not None else next((p.number for p in self.pages if p.start <= ev.start < p.end), None)
        if page is not None:
            self.add(node, ckg.page, _int(page))
        return node


def triples(ex: Extraction) -> list[Triple]:
    """All triples of one report's named graph, sorted for deterministic output."""
    e = _Emitter(ex)
    _report(e)
    _patient(e)
    e.affirmed = {o.concept.curie for o in ex.observations if not o.negated and not o.uncertain}
    for obs in ex.observations:
        _observation(e, obs)
    articles = _references(e)
    _contexts(e, articles)
    _claims(e, articles)
    _concepts(e)
    return sorted(set(e.triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _report(e: _Emitter) -> None:
    md, r = e.ex.metadata, e.report
    e.add(r, rdf.type, ckg.CaseReport)
    e.add(r, rdf.type, fabio.CaseReport)
    e.add(r, ckg.sourceFile, _lit(e.ex.document.source))
    e.add(r, ckg.describes, e.patient)
    if md.title:
        e.add(r, dcterms.title, _lit(md.title))
    for a in md.authors:
        e.add(r, dcterms.creator, _lit(a.name))
    if md.authors:
        nodes = [local_iri("authors", e.doc_id, i + 1) for i in range(len(md.authors))]
        e.add(r, ckg.authorList, nodes[0])
        for i, (node, a) in enumerate(zip(nodes, md.authors)):
            e.add(node, rdf.first, _lit(a.name))
            e.add(node, rdf.rest, nodes[i + 1] if i + 1 < len(nodes) else rdf.nil)
    if md.language:
        e.add(r, dcterms.language, _lit(md.language))
    if md.date:
        e.add(r, dcterms.date, _date(md.date))
    for name, pred in (("journal", prism.publicationName), ("volume", prism.volume), ("issue", prism.issueIdentifier),
                       ("first_page", prism.startingPage), ("last_page", prism.endingPage), ("doi", prism.doi),
                       ("pmid", fabio.hasPubMedId), ("pmcid", fabio.hasPubMedCentralId), ("licence", dcterms.license),
                       ("article_type", dcterms.type)):
        value = getattr(md, name)
        if value:
            e.add(r, pred, _lit(value))
    for k in md.keywords:
        e.add(r, dcterms.subject, _lit(k))


def _patient(e: _Emitter) -> None:
    p, pt = e.patient, e.ex.patient
    e.add(p, rdf.type, ckg.Patient)
    e.add(p, prov.wasDerivedFrom, e.report)
    if pt.age_years is not None:
        e.add(p, ckg.ageYears, _decimal(pt.age_years))
        if pt.age_evidence:
            e.add(p, ckg.evidence, e.evidence(pt.age_evidence))
    if pt.sex in ("female", "male"):
        e.add(p, ckg.sex, ckg.Female if pt.sex == "female" else ckg.Male)
        if pt.sex_evidence:
            e.add(p, ckg.evidence, e.evidence(pt.sex_evidence))


# Direct patient facts come from affirmed, certain observations; ckg:lacksFinding only for a concept the report
# never affirms for the patient (a negation in one clause does not contradict the case description).
DIRECT = {"Finding": "hasFinding", "Condition": "hasCondition", "Treatment": "receivedDrug",
          "Procedure": "underwentProcedure"}


def _observation(e: _Emitter, o: Observation) -> None:
    node = local_iri("obs", e.doc_id, o.kind.lower(), o.evidence.start, o.evidence.end, o.concept.curie)
    e.add(node, rdf.type, ckg.Observation)
    e.add(node, rdf.type, ckg[OBS_CLASS[o.kind]])
    e.add(node, ckg.patient, e.patient)
    c = e.concept(o.concept)
    e.add(node, ckg.concept, c)
    e.add(node, ckg.negated, _bool(o.negated))
    e.add(node, ckg.uncertain, _bool(o.uncertain))
    e.add(node, ckg.temporality, _lit(o.temporality))
    e.add(node, prov.wasDerivedFrom, e.report)
    e.add(node, ckg.evidence, e.evidence(o.evidence))
    for site in o.body_sites:
        e.add(node, ckg.bodySite, e.concept(site))
    if o.modality is not None:
        e.add(node, ckg.modality, e.concept(o.modality))
    if o.value is not None:
        e.add(node, ckg.value, _decimal(o.value))
    if o.unit:
        e.add(node, ckg.unit, _lit(o.unit))
    if o.indication is not None:
        e.add(node, ckg.indication, e.concept(o.indication))
    if o.outcome:
        e.add(node, ckg.outcome, _lit(o.outcome))
    if o.dose:
        e.add(node, ckg.dose, _lit(o.dose))
    if o.uncertain:
        return
    if o.negated:
        if o.kind in ("Finding", "Condition") and o.concept.curie not in e.affirmed:
            e.add(e.patient, ckg.lacksFinding, c)
        return
    if o.kind in DIRECT:
        e.add(e.patient, ckg[DIRECT[o.kind]], c)
    elif o.kind == "Imaging":
        e.add(e.patient, ckg.hadImaging, e.concept(o.modality)) if o.modality is not None else None
        e.add(e.patient, ckg.hasCondition if o.concept.type == "Condition" else ckg.hasFinding, c)


def _references(e: _Emitter) -> dict[int, NamedNode]:
    by_number: dict[int, NamedNode] = {}
    for i, ref in enumerate(e.ex.references):
        number = ref.number if ref.number is not None else i + 1
        art = article_iri(ref)
        by_number[number] = art
        entry = local_iri("reference", e.doc_id, number)
        e.add(e.report, ckg.reference, entry)
        e.add(entry, rdf.type, ckg.ReferenceEntry)
        e.add(entry, ckg.number, _int(number))
        e.add(entry, ckg.article, art)
        e.add(entry, ckg.parsed, _bool(ref.parsed))
        e.add(e.report, cito.cites, art)
        _article(e, art, ref)
    return by_number


def _article(e: _Emitter, art: NamedNode, ref: Reference) -> None:
    e.add(art, rdf.type, fabio.JournalArticle)
    e.add(art, ckg.referenceText, _lit(ref.raw))
    if not ref.parsed:
        return
    if ref.title:
        e.add(art, dcterms.title, _lit(ref.title))
    if ref.authors:
        e.add(art, ckg.firstAuthor, _lit(ref.authors[0]))
    for a in ref.authors:
        e.add(art, dcterms.creator, _lit(a))
    if ref.et_al:
        e.add(art, ckg.etAl, _bool(True))
    if ref.year:
        e.add(art, fabio.hasPublicationYear, Literal(str(ref.year), datatype=xsd.gYear))
    for name, pred in (("journal", prism.publicationName), ("volume", prism.volume), ("issue", prism.issueIdentifier),
                       ("supplement", prism.supplement), ("first_page", prism.startingPage),
                       ("last_page", prism.endingPage), ("doi", prism.doi), ("pmid", fabio.hasPubMedId)):
        value = getattr(ref, name)
        if value:
            e.add(art, pred, _lit(value))


def _contexts(e: _Emitter, articles: dict[int, NamedNode]) -> None:
    for ctx in e.ex.citation_contexts:
        node = local_iri("context", e.doc_id, ctx.evidence.start, ctx.evidence.end)
        e.add(node, rdf.type, ckg.CitationContext)
        e.add(node, prov.wasDerivedFrom, e.report)
        e.add(node, ckg.sentence, _lit(ctx.evidence.sentence))
        e.add(node, ckg.marker, _lit(ctx.marker))
        e.add(node, ckg.evidence, e.evidence(ctx.evidence))
        for n in ctx.cites:
            if n in articles:
                e.add(node, cito.cites, articles[n])
        for c in ctx.concepts:
            e.add(node, ckg.mentions, e.concept(c))


def _claims(e: _Emitter, articles: dict[int, NamedNode]) -> None:
    for cl in e.ex.claims:
        node = local_iri("claim", e.doc_id, cl.evidence.start, cl.evidence.end, cl.agent.curie)
        e.add(node, rdf.type, ckg.TreatmentClaim)
        e.add(node, prov.wasDerivedFrom, e.report)
        e.add(node, ckg.agent, e.concept(cl.agent))
        if cl.condition is not None:
            e.add(node, ckg.condition, e.concept(cl.condition))
        if cl.effect:
            e.add(node, ckg.effect, _lit(cl.effect))
        e.add(node, ckg.citationInferred, _bool(cl.inferred_citation))
        e.add(node, ckg.evidence, e.evidence(cl.evidence))
        for n in cl.cites:
            if n in articles:
                e.add(node, cito.citesAsEvidence, articles[n])


def _concepts(e: _Emitter) -> None:
    for curie, c in sorted(e.concepts.items()):
        node = concept_iri(curie)
        e.add(node, rdf.type, ckg[c.type])
        e.add(node, rdf.type, ckg.Concept)
        if c.crest:
            e.add(node, rdf.type, ckg.CRESTFeature)
        e.add(node, ckg.curie, _lit(curie))
        e.add(node, rdfs.label, _lit(c.label, "en"))
        for text, lang in c.alt_labels:
            e.add(node, skos.altLabel, _lit(text, lang))
