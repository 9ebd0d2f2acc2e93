"""Namespaces of the graph (CONTRACT.md) as pyoxigraph NamedNode factories."""
from __future__ import annotations

from functools import lru_cache

from pyoxigraph import NamedNode

from kg.resources import load_tsv, resource_path

CKG = "https://w3id.org/casekg/vocab#"
CKGR = "https://w3id.org/casekg/id/"
PREFIXES = {
    "ckg": CKG,
    "ckgr": CKGR,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "fabio": "http://purl.org/spar/fabio/",
    "cito": "http://purl.org/spar/cito/",
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    "prov": "http://www.w3.org/ns/prov#",
    "obo": "http://purl.obolibrary.org/obo/",
}


class _NS:
    def __init__(self, base: str):
        self._base = base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return NamedNode(self._base + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self._base + name)


ckg = _NS(CKG)
rdf = _NS(PREFIXES["rdf"])
rdfs = _NS(PREFIXES["rdfs"])
xsd = _NS(PREFIXES["xsd"])
skos = _NS(PREFIXES["skos"])
dcterms = _NS(PREFIXES["dcterms"])
fabio = _NS(PREFIXES["fabio"])
cito = _NS(PREFIXES["cito"])
prism = _NS(PREFIXES["prism"])
prov = _NS(PREFIXES["prov"])


@lru_cache(maxsize=1)
def curie_prefixes() -> dict[str, str]:
    """CURIE prefix -> URI prefix, as the bioregistry gives them (kg/resources/prefixes.tsv)."""
    return {r["prefix"]: r["uri_prefix"] for r in load_tsv(resource_path("prefixes.tsv"), ("prefix", "uri_prefix"))}
