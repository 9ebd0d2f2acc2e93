"""Stable IRIs: the same input always mints the same IRI (no counters, no random ids)."""
from __future__ import annotations

import hashlib
import re
import unicodedata

from pyoxigraph import NamedNode

from kg.graph.vocab import CKGR, curie_prefixes
from kg.model import Reference


def slug(text: str) -> str:
    """An IRI-safe slug of ``text`` (ASCII letters, digits, '-', '.', '_')."""
    s = unicodedata.normalize("NFKD", text)
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", s).strip("-")
    return s or hashlib.sha1(text.encode()).hexdigest()[:12]


def concept_iri(curie: str) -> NamedNode:
    """OBO PURL or the bioregistry URI prefix for a CURIE; ``CKG:local`` concepts get ckgr:concept/local."""
    prefix, _, local = curie.partition(":")
    if prefix == "CKG":
        return NamedNode(f"{CKGR}concept/{slug(local)}")
    base = curie_prefixes().get(prefix)
    if base is None:
        return NamedNode(f"{CKGR}concept/{slug(curie)}")
    return NamedNode(base + local)


def report_iri(doc_id: str) -> NamedNode:
    return NamedNode(f"{CKGR}report/{slug(doc_id)}")


def graph_iri(doc_id: str) -> NamedNode:
    """The named graph holding one report's triples."""
    return NamedNode(f"{CKGR}graph/{slug(doc_id)}")


def patient_iri(doc_id: str) -> NamedNode:
    return NamedNode(f"{CKGR}patient/{slug(doc_id)}")


def local_iri(kind: str, doc_id: str, *parts: object) -> NamedNode:
    tail = "-".join(slug(str(p)) for p in parts)
    return NamedNode(f"{CKGR}{kind}/{slug(doc_id)}/{tail}")


def normalise_title(title: str) -> str:
    t = unicodedata.normalize("NFKD", title).lower()
    t = re.sub(r"[^a-z0-9]+", " ", t)
    return " ".join(t.split())


def article_key(ref: Reference) -> str:
    """Identity of a cited paper across reports: DOI, else PMID, else normalised title + year + first author surname.

    Similar titles stay apart ("Tumoral calcinosis in systemic sclerosis" is not "Tumoral Calcinosis of the Neck in
    a Patient with Systemic Sclerosis"): the whole normalised title is part of the key.
    """
    if ref.doi:
        return "doi:" + ref.doi.lower()
    if ref.pmid:
        return "pmid:" + ref.pmid
    if ref.parsed and ref.title:
        surname = ref.authors[0].split(" ")[0].lower() if ref.authors else ""
        return f"t:{normalise_title(ref.title)}|{ref.year or ''}|{surname}"
    return "raw:" + normalise_title(ref.raw)


def article_iri(ref: Reference) -> NamedNode:
    digest = hashlib.sha1(article_key(ref).encode("utf-8")).hexdigest()[:16]
    return NamedNode(f"{CKGR}article/{digest}")
