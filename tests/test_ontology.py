"""The vocabulary (ontology/casekg.ttl) and the curated concepts: well-formed, consistent under OWL reasoning
(owlready2 + HermiT), and covering every class and property the built graph uses."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF

ROOT = Path(__file__).resolve().parents[1]
VOCAB = ROOT / "ontology" / "casekg.ttl"
CONCEPTS = ROOT / "ontology" / "concepts.ttl"
CKG = "https://w3id.org/casekg/vocab#"


def vocab() -> rdflib.Graph:
    return rdflib.Graph().parse(VOCAB, format="turtle")


def test_every_ckg_term_used_by_the_seed_graph_is_declared(seed_graph):
    declared = {str(s) for s in vocab().subjects(RDF.type, None) if str(s).startswith(CKG)}
    used = {str(p) for p in seed_graph.predicates() if str(p).startswith(CKG)}
    used |= {str(o) for o in seed_graph.objects(None, RDF.type) if str(o).startswith(CKG)}
    assert used and not (used - declared), sorted(used - declared)


def test_curated_concepts_have_one_type_a_curie_and_a_label():
    g = rdflib.Graph().parse(CONCEPTS, format="turtle")
    ckg = rdflib.Namespace(CKG)
    types = {ckg[t] for t in ("Finding", "Condition", "Drug", "Procedure", "ImagingFinding", "Modality",
                              "AnatomicalSite", "LabTest")}
    subjects = set(g.subjects(ckg.curie, None))
    assert len(subjects) > 50
    for s in subjects:
        assert len(set(g.objects(s, RDF.type)) & types) == 1, s
        assert g.value(s, rdflib.RDFS.label) is not None, s


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime (apt-get install default-jre)")
def test_vocabulary_is_consistent_under_hermit(tmp_path):
    import owlready2

    nt = tmp_path / "casekg.nt"
    vocab().serialize(nt, format="nt")
    world = owlready2.World()
    onto = world.get_ontology(nt.as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert not list(world.inconsistent_classes())
    assert onto.search_one(iri=f"{CKG}ImagingObservation") in list(world.search(subclass_of=world[f"{CKG}Observation"]))
