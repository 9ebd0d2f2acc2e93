"""Benchmark of the HTML view on a synthetic 5,000-node graph in the shape of CONTRACT.md.

Builds 500 reports (one patient each) whose observations draw concepts from a pool where a
hundred are common and the rest rare, each report citing articles from a shared pool; writes the
view and the co-occurrence view; opens each in headless Chromium and prints the time to the first
stable frame (target <= 3 s) and the file size (target <= 10 MB).

    python benchmarks/view_large.py [--reports 500] [--out DIR] [--no-browser]
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.viz import write_cooccurrence_view, write_view

CKG = Namespace("https://w3id.org/casekg/vocab#")
CKGR = Namespace("https://w3id.org/casekg/id/")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
OBO = Namespace("http://purl.obolibrary.org/obo/")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
KINDS = [("Finding", "FindingObservation", "hasFinding"), ("Condition", "ConditionObservation", "hasCondition"),
         ("ImagingFinding", "ImagingObservation", "hasFinding"), ("Drug", "TreatmentObservation", "receivedDrug"),
         ("Procedure", "TreatmentObservation", "underwentProcedure"), ("LabTest", "LabObservation", "hasFinding")]
COMMON = 100
RARE_PER_PATIENT = 6
COMMON_PER_PATIENT = 6
CITES_PER_REPORT = 6
ARTICLES = 900


def synthetic_graph(reports: int = 500, seed: int = 11) -> Graph:
    """A deterministic graph with ``reports`` reports, patients, ~6 rare + 6 common concepts each, and articles."""
    rng = random.Random(seed)
    g = Graph()
    concepts = []
    total = COMMON + RARE_PER_PATIENT * reports
    for i in range(total):
        cls, obs_cls, fact = KINDS[i % len(KINDS)]
        iri = OBO[f"HP_{9000000 + i:07d}"]
        g.add((iri, CKG.curie, Literal(f"HP:{9000000 + i:07d}")))
        g.add((iri, RDFS.label, Literal(f"synthetic {cls.lower()} {i}", lang="en")))
        g.add((iri, RDF.type, CKG[cls]))
        if i < 5:
            g.add((iri, RDF.type, CKG.CRESTFeature))
        concepts.append((iri, obs_cls, fact))
    modalities = [URIRef(f"http://www.radlex.org/RID/RID{10300 + i}") for i in range(6)]
    sites = [OBO[f"UBERON_{2000000 + i:07d}"] for i in range(20)]
    for group, cls, name in ((modalities, CKG.Modality, "modality"), (sites, CKG.AnatomicalSite, "site")):
        for i, iri in enumerate(group):
            g.add((iri, RDFS.label, Literal(f"{name} {i}", lang="en")))
            g.add((iri, RDF.type, cls))
    articles = []
    for i in range(ARTICLES):
        a = CKGR[f"article/synthetic-{i}"]
        g.add((a, RDF.type, FABIO.JournalArticle))
        g.add((a, DCTERMS.title, Literal(f"A study of synthetic topic {i}")))
        g.add((a, CKG.firstAuthor, Literal(f"Author{i} A")))
        g.add((a, FABIO.hasPublicationYear, Literal(str(1990 + i % 30), datatype=XSD.gYear)))
        g.add((a, PRISM.publicationName, Literal("Journal of Synthetic Cases")))
        g.add((a, CKG.referenceText, Literal(f"Author{i} A, Other B. A study of synthetic topic {i}. J Synth Cases. {1990 + i % 30}; {i}: 1-9.")))
        articles.append(a)
    weights = [1.0 / (k + 1) for k in range(COMMON)]
    for r in range(reports):
        rep = CKGR[f"report/synthetic-{r:04d}"]
        pat = CKGR[f"patient/synthetic-{r:04d}-1"]
        g.add((rep, RDF.type, CKG.CaseReport))
        g.add((rep, DCTERMS.title, Literal(f"Synthetic case report number {r} of an unusual presentation")))
        g.add((rep, DCTERMS.creator, Literal(f"Writer{r} W")))
        g.add((rep, DCTERMS.date, Literal(f"{2000 + r % 24}-01-01", datatype=XSD.date)))
        g.add((rep, CKG.sourceFile, Literal(f"synthetic/{r:04d}.txt")))
        g.add((rep, CKG.describes, pat))
        g.add((pat, RDF.type, CKG.Patient))
        g.add((pat, CKG.ageYears, Literal(str(20 + r % 60), datatype=XSD.decimal)))
        g.add((pat, CKG.sex, CKG.Female if r % 3 else CKG.Male))
        common = set()
        while len(common) < COMMON_PER_PATIENT:
            common.add(rng.choices(range(COMMON), weights)[0])
        picks = sorted(common) + [COMMON + r * RARE_PER_PATIENT + j for j in range(RARE_PER_PATIENT)]
        offset = 0
        for n, c in enumerate(picks):
            iri, obs_cls, fact = concepts[c]
            negated = n == len(picks) - 1
            g.add((pat, CKG.lacksFinding if negated else CKG[fact], iri))
            obs = CKGR[f"obs/synthetic-{r:04d}-{n}"]
            g.add((obs, RDF.type, CKG[obs_cls]))
            g.add((obs, CKG.patient, pat))
            g.add((obs, CKG.concept, iri))
            g.add((obs, CKG.negated, Literal(negated)))
            g.add((obs, CKG.temporality, Literal("current")))
            g.add((obs, PROV.wasDerivedFrom, rep))
            if obs_cls == "ImagingObservation":
                g.add((obs, CKG.modality, modalities[c % len(modalities)]))
                g.add((obs, CKG.bodySite, sites[c % len(sites)]))
            ev = BNode()
            sentence = f"In case {r} the examination {'did not show' if negated else 'showed'} synthetic concept {c}."
            g.add((obs, CKG.evidence, ev))
            g.add((ev, CKG.section, Literal("Case Description")))
            g.add((ev, CKG.sentence, Literal(sentence)))
            g.add((ev, CKG.start, Literal(offset)))
            g.add((ev, CKG.end, Literal(offset + len(sentence))))
            offset += len(sentence) + 1
        for j in range(CITES_PER_REPORT):
            art = articles[(r * CITES_PER_REPORT + j) % ARTICLES]
            g.add((rep, CITO.cites, art))
            ref = BNode()
            g.add((rep, CKG.reference, ref))
            g.add((ref, CKG.number, Literal(j + 1)))
            g.add((ref, CKG.article, art))
            ctx = CKGR[f"context/synthetic-{r:04d}-{j}"]
            g.add((ctx, RDF.type, CKG.CitationContext))
            g.add((ctx, PROV.wasDerivedFrom, rep))
            g.add((ctx, CITO.cites, art))
            g.add((ctx, CKG.sentence, Literal(f"Synthetic concept {picks[j]} has been described before [{j + 1}].")))
            g.add((ctx, CKG.mentions, concepts[picks[j]][0]))
        claim = CKGR[f"claim/synthetic-{r:04d}"]
        drug = concepts[3 + 6 * (r % 16)][0]
        g.add((claim, RDF.type, CKG.TreatmentClaim))
        g.add((claim, CKG.agent, drug))
        g.add((claim, CKG.condition, concepts[1][0]))
        g.add((claim, CKG.effect, Literal("little effect")))
        g.add((claim, CITO.citesAsEvidence, articles[(r * CITES_PER_REPORT) % ARTICLES]))
        g.add((claim, PROV.wasDerivedFrom, rep))
    return g


def time_in_browser(path: Path) -> tuple[float, float, int, int]:
    """(ms to the first frame drawn after layout, wall seconds from navigation, nodes drawn, requests elsewhere)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        foreign = []
        page.on("request", lambda req: foreign.append(req.url) if req.url != path.as_uri() else None)
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function("window.casekgReady === true", timeout=300_000)
        wall = time.perf_counter() - start
        ready_ms, drawn = page.evaluate("[window.casekgReadyAt, casekgNetwork.body.data.nodes.length]")
        browser.close()
    return ready_ms, wall, drawn, len(foreign)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=500)
    ap.add_argument("--out", type=Path, default=None, help="keep the HTML files in this folder")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="casekg-view-"))
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    g = synthetic_graph(args.reports)
    print(f"synthetic graph: {len(g)} triples in {time.perf_counter() - t:.1f} s")
    browser = not args.no_browser and Path(CHROMIUM).exists()
    if not args.no_browser and not browser:
        print(f"{CHROMIUM} not found: browser timings skipped")
    for name, write in (("view", write_view), ("cooccurrence", write_cooccurrence_view)):
        path = out / f"{name}.html"
        t = time.perf_counter()
        stats = write(g, path)
        py = time.perf_counter() - t
        print(f"{name}: {stats.nodes} nodes, {stats.edges} edges, {stats.bytes / 1e6:.2f} MB (target <= 10 MB), "
              f"written in {py:.1f} s")
        if browser:
            ready_ms, wall, drawn, foreign = time_in_browser(path)
            print(f"{name}: first stable frame {ready_ms / 1000:.2f} s after navigation start (target <= 3 s); "
                  f"load wall time {wall:.2f} s; nodes drawn {drawn}; requests elsewhere {foreign}")
    if args.out is None:
        shutil.rmtree(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
