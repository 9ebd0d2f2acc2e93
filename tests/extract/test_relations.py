"""Patient observations read from the mentions of real-style case sentences: body sites of findings and of
imaging studies."""
from __future__ import annotations

from kg.model import Document


def _observations(pipeline, text):
    return pipeline.extract(Document(doc_id="r1", source="r1.txt", format="text",
                                     text="Case presentation\n" + text + "\n")).observations


def test_imaging_site_named_in_the_modality_words(pipeline):
    obs = _observations(pipeline, "A 60-year-old man had dyspnea. A chest X-ray showed cardiomegaly.")
    imaging = [o for o in obs if o.kind == "Imaging"]
    assert [(o.concept.curie, o.modality.curie) for o in imaging] == [("HP:0001640", "RADLEX:RID10345")]
    assert [c.curie for c in imaging[0].body_sites] == ["UBERON:0001443"]


def test_imaging_site_after_the_modality_before_its_sign(pipeline):
    obs = _observations(pipeline, "Ultrasound of the liver showed a cyst.")
    imaging = [o for o in obs if o.kind == "Imaging"]
    assert imaging and "UBERON:0002107" in [c.curie for c in imaging[0].body_sites]
