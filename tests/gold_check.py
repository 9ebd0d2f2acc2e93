"""Checks the facts of tests/gold/seeds.json against an exported graph, using only CONTRACT.md terms.

``check_report(graph, gold_report)`` returns a list of (level, category, description, ok) rows; tests assert on
them and ``python tests/gold_check.py FILE.ttl`` prints them.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import rdflib

from rdflib.namespace import RDFS, SKOS

GOLD = Path(__file__).parent / "gold" / "seeds.json"
CKG = rdflib.Namespace("https://w3id.org/casekg/vocab#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
CITO = rdflib.Namespace("http://purl.org/spar/cito/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
PRISM = rdflib.Namespace("http://prismstandard.org/namespaces/basic/2.0/")
FABIO = rdflib.Namespace("http://purl.org/spar/fabio/")


def load_gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def names(g: rdflib.Graph, node) -> list[str]:
    return [str(o) for p in (RDFS.label, SKOS.altLabel) for o in g.objects(node, p)]


def concept_matches(g: rdflib.Graph, node, curies=(), pattern: str = "") -> bool:
    curie = g.value(node, CKG.curie)
    if curie is not None and str(curie) in curies:
        return True
    return bool(pattern) and any(re.search(pattern, n, re.I) for n in names(g, node))


def report_node(g: rdflib.Graph, seed: str):
    for r in g.subjects(CKG.sourceFile, None):
        if str(g.value(r, CKG.sourceFile)).endswith(seed):
            return r
    return None


def article_for(g: rdflib.Graph, report, n: int):
    for entry in g.objects(report, CKG.reference):
        num = g.value(entry, CKG.number)
        if num is not None and int(num) == n:
            return g.value(entry, CKG.article)
    return None


def check_report(g: rdflib.Graph, gold: dict) -> list[tuple[str, str, str, bool]]:
    rows: list[tuple[str, str, str, bool]] = []
    add = lambda level, cat, desc, ok: rows.append((level, cat, desc, bool(ok)))
    report = report_node(g, gold["seed"])
    add("must", "report", f"report for {gold['seed']}", report is not None)
    if report is None:
        return rows
    add("must", "report", "a ckg:CaseReport and fabio:CaseReport",
        (report, rdflib.RDF.type, CKG.CaseReport) in g and (report, rdflib.RDF.type, FABIO.CaseReport) in g)
    add("must", "metadata", f"title {gold['title']!r}", str(g.value(report, DCT.title)) == gold["title"])
    creators = sorted(str(o) for o in g.objects(report, DCT.creator))
    add("must", "metadata", f"authors {gold['authors']}", creators == sorted(gold["authors"]))
    lst = g.value(report, CKG.authorList)
    ordered = [str(x) for x in rdflib.collection.Collection(g, lst)] if lst is not None else []
    add("must", "metadata", "authorList keeps order", ordered == gold["authors"])
    add("must", "metadata", f"date {gold['date']}", str(g.value(report, DCT.date)) == gold["date"])
    add("must", "metadata", f"language {gold['language']}", str(g.value(report, DCT.language)) == gold["language"])
    if "journal" in gold:
        j = gold["journal"]
        add("must", "metadata", f"journal {j['name']}", str(g.value(report, PRISM.publicationName)) == j["name"])
        for key, pred in (("volume", PRISM.volume), ("issue", PRISM.issueIdentifier), ("first_page", PRISM.startingPage),
                          ("last_page", PRISM.endingPage)):
            add("must", "metadata", f"journal {key} {j[key]}", str(g.value(report, pred)) == j[key])
    patient = g.value(report, CKG.describes)
    add("must", "patient", "report describes a ckg:Patient", patient is not None and (patient, rdflib.RDF.type, CKG.Patient) in g)
    if patient is None:
        return rows
    age = g.value(patient, CKG.ageYears)
    want_age = gold["patient"]["age"]
    add("must", "patient", f"age {want_age}", (age is None) if want_age is None else (age is not None and float(age) == want_age))
    sex = g.value(patient, CKG.sex)
    want_sex = gold["patient"]["sex"]
    add("must", "patient", f"sex {want_sex}", sex is None if want_sex is None else sex == CKG[want_sex.capitalize()])

    def facts(pred):
        return list(g.objects(patient, pred))

    for level in ("must", "should"):
        part = gold.get(level, {})
        for c in part.get("conditions", []):
            add(level, "conditions", c["label"], any(concept_matches(g, x, c["curies"], c["pattern"]) for x in facts(CKG.hasCondition)))
        for f in part.get("findings_present", []):
            add(level, "findings", f["label"], any(concept_matches(g, x, f["curies"], f["pattern"]) for x in facts(CKG.hasFinding)))
        for f in part.get("findings_absent", []):
            add(level, "findings_absent", f["label"], any(concept_matches(g, x, f["curies"], f["pattern"]) for x in facts(CKG.lacksFinding)))
        for d in part.get("patient_drugs", []):
            add(level, "patient_drugs", d, any(concept_matches(g, x, (), rf"\b{d}") for x in facts(CKG.receivedDrug)))
        for d in part.get("not_patient_drugs", []):
            add(level, "not_patient_drugs", d, not any(concept_matches(g, x, (), rf"\b{d}") for x in facts(CKG.receivedDrug)))
        for c in part.get("not_patient_conditions", []):
            add(level, "not_patient_conditions", c,
                not any(concept_matches(g, x, (), rf"\b{c}") for x in facts(CKG.hasCondition) + facts(CKG.hasFinding)))
        for p in part.get("patient_procedures", []):
            add(level, "patient_procedures", p, any(concept_matches(g, x, (), p) for x in facts(CKG.underwentProcedure)))
        for im in part.get("imaging", []):
            ok = False
            for obs in g.subjects(CKG.patient, patient):
                if (obs, rdflib.RDF.type, CKG.ImagingObservation) not in g:
                    continue
                mods = list(g.objects(obs, CKG.modality))
                sites = list(g.objects(obs, CKG.bodySite))
                concept = g.value(obs, CKG.concept)
                if (concept is not None and concept_matches(g, concept, (), im["finding"])
                        and any(concept_matches(g, m, (), im["modality"]) for m in mods)
                        and any(concept_matches(g, s, (), im["site"]) for s in sites)
                        and g.value(obs, CKG.evidence) is not None):
                    ok = True
            add(level, "imaging", f"{im['modality']} / {im['finding']} / {im['site']}", ok)
        for lab in part.get("labs", []):
            ok = False
            for obs in g.subjects(CKG.patient, patient):
                if (obs, rdflib.RDF.type, CKG.LabObservation) not in g:
                    continue
                test, value, unit = g.value(obs, CKG.concept), g.value(obs, CKG.value), g.value(obs, CKG.unit)
                if (test is not None and concept_matches(g, test, (), lab["test"]) and value is not None
                        and abs(float(value) - lab["value"]) < 1e-6 and ("unit" not in lab or str(unit) == lab["unit"])):
                    ok = True
            add(level, "labs", f"{lab['test']} = {lab['value']} {lab.get('unit', '')}", ok)
        for cl in part.get("treatment_claims", []):
            ok = False
            for claim in g.subjects(rdflib.RDF.type, CKG.TreatmentClaim):
                if g.value(claim, PROV.wasDerivedFrom) != report:
                    continue
                agent, cond = g.value(claim, CKG.agent), g.value(claim, CKG.condition)
                if agent is None or cond is None or not concept_matches(g, agent, (), cl["agent"]):
                    continue
                if not concept_matches(g, cond, (), cl["condition"]):
                    continue
                cited = set(g.objects(claim, CITO.citesAsEvidence))
                if all(article_for(g, report, n) in cited for n in cl["cites"]):
                    ok = True
            add(level, "treatment_claims", f"{cl['agent']} for {cl['condition']} cites {cl['cites']}", ok)
        for cc in part.get("citation_contexts", []):
            ok = False
            for ctx in g.subjects(rdflib.RDF.type, CKG.CitationContext):
                if g.value(ctx, PROV.wasDerivedFrom) != report:
                    continue
                if cc["sentence"] and cc["sentence"].lower() not in str(g.value(ctx, CKG.sentence)).lower():
                    continue
                cited = set(g.objects(ctx, CITO.cites))
                if all(article_for(g, report, n) in cited for n in cc["cites"]):
                    ok = True
            add(level, "citation_contexts", f"cites {cc['cites']} in {cc['sentence']!r}", ok)
    if "references_count" in gold or gold.get("references"):
        want = gold.get("references_count", len(gold.get("references", [])))
        add("must", "references", f"{want} reference entries", len(list(g.objects(report, CKG.reference))) == want)
    for ref in gold.get("references", []):
        art = article_for(g, report, ref["n"])
        ok = (art is not None and str(g.value(art, CKG.firstAuthor)) == ref["first_author"]
              and str(g.value(art, DCT.title)) == ref["title"]
              and str(g.value(art, FABIO.hasPublicationYear)) == str(ref["year"])
              and str(g.value(art, PRISM.publicationName)) == ref["journal"])
        add("must", "references", f"reference {ref['n']} {ref['first_author']}", ok)
    return rows


def main(path: str) -> None:
    g = rdflib.Graph().parse(path, format="turtle")
    total = {"must": [0, 0], "should": [0, 0]}
    for rep in load_gold()["reports"]:
        print(f"== {rep['seed']}")
        for level, cat, desc, ok in check_report(g, rep):
            total[level][0] += ok
            total[level][1] += 1
            print(f"  {'ok  ' if ok else 'FAIL'} {level:6} {cat:22} {desc}")
    for level, (a, b) in total.items():
        print(f"{level}: {a}/{b}")


if __name__ == "__main__":
    main(sys.argv[1])
