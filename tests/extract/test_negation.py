"""Negation of problems on case-report sentences (ConText triggers in kg/resources/context_rules_en.tsv)."""
from __future__ import annotations

import pytest

from kg.model import Document

# A one-line text is read as a title page; a section header makes it case-presentation text.
HEADER = "Case presentation\n"


def _negated(pipeline, text: str) -> dict[str, bool]:
    rows = pipeline.annotate(Document(doc_id="n", source="n.txt", text=HEADER + text, format="text"))
    return {r["text"].lower(): r["negated"] for r in rows if r["id"]}


@pytest.mark.parametrize("text,term", [
    ("She denied fever, chills or night sweats.", "night sweats"),
    ("There was no lymphadenopathy.", "lymphadenopathy"),
    ("The chest radiograph was negative for pneumothorax.", "pneumothorax"),
    ("Two days after the procedure his headache disappeared.", "headache"),
    ("After drainage there was complete resolution of the abdominal pain.", "abdominal pain"),
    ("Hepatitis B and hepatitis C infections were excluded.", "infections"),
    ("The dysphagia was not associated with weight loss.", "weight loss"),
    ("There were no further episodes of syncope.", "syncope"),
    ("Laboratory tests showed a lack of eosinophilia.", "eosinophilia"),
    ("A troponin below the cut-off ruled out myocardial infarction.", "myocardial infarction"),
    ("Supervening nosocomial sepsis was suspected but unproven.", "sepsis"),
    ("Pneumonia was suspected but not confirmed by the chest radiograph.", "pneumonia"),
    ("A diagnosis of lupus could not be confirmed.", "lupus"),
    ("Twenty years ago she was misdiagnosed with immune thrombocytopenia.", "immune thrombocytopenia"),
    ("Proteinuria was not detectable on repeated testing.", "proteinuria"),
])
def test_negated(pipeline, text, term):
    found = _negated(pipeline, text)
    assert found.get(term) is True, found


@pytest.mark.parametrize("text,term", [
    ("She presented with fever and a productive cough.", "productive cough"),
    ("The dysphagia was associated with weight loss.", "weight loss"),
    ("Despite negative imaging, brain metastases were suspected clinically.", "brain metastases"),
    ("He was discharged without the need for dialysis; the anemia persisted.", "anemia"),
])
def test_affirmed(pipeline, text, term):
    found = _negated(pipeline, text)
    assert found.get(term) is False, found


def test_negation_stops_at_but(pipeline):
    found = _negated(pipeline, "There was no fever, but she reported severe dyspnea.")
    assert found["fever"] is True
    assert found["dyspnea"] is False


def test_a_list_of_alternatives_stays_in_the_reach_of_its_negation(pipeline):
    found = _negated(pipeline, "None of the subjects with thrombocytopenia showed either a bleeding diathesis or any "
                               "other clinical features, such as neurological abnormalities, deafness, renal or "
                               "ocular disease.")
    assert found["deafness"] and found["ocular disease"]
    found = _negated(pipeline, "Blood analysis revealed no sign of hemolysis, elevated C-reactive protein, low "
                               "albumin, elevated serum creatinine and mild proteinuria.")
    assert not found["mild proteinuria"]


def test_a_list_of_alternatives_stays_in_the_reach_of_a_short_trigger(pipeline):
    """"was negative" reaches four words back, the concepts of a list of alternatives aside."""
    found = _negated(pipeline, "Screening for long or short QT syndrome, Brugada syndrome and catecholaminergic "
                               "ventricular tachycardia was negative.")
    assert found["long"] and found["brugada syndrome"]
    found = _negated(pipeline, "Bradycardia with a long QT interval on the electrocardiogram or syncope was "
                               "negative.")
    assert found["syncope"] and not found["bradycardia"]


def test_a_conjunct_with_its_own_severity_leaves_the_negation(pipeline):
    """"and mild ...", "and poor ...": a graded conjunct says that its finding is there."""
    found = _negated(pipeline, "Developmentally, she had no eye contact and poor head control.")
    assert found["poor head control"] is False
    found = _negated(pipeline, "There was no hepatomegaly and mild splenomegaly.")
    assert found["hepatomegaly"] and not found["splenomegaly"]
    assert _negated(pipeline, "There was no hepatomegaly and splenomegaly.")["splenomegaly"]
