"""Pipeline stages that annotate shares with extract."""
from __future__ import annotations

import gc

import pytest

from kg.extract.pipeline import _patient, _patient_cues, _with_title
from kg.extract.sections import find_sections
from kg.extract.sentences import split_sentences
from kg.model import Document, Section

CASE = ("Case presentation\nA 44-year-old woman presented with fever and a cough. She had no rash. "
        "HE was excluded. Her mother had hypothyroidism.\nDiscussion\nCough is common [1]. "
        "She recovered.\nReferences\n1. Smith J. Cough. J Med. 2001;1:1-2.\n")


def test_annotate_leaves_no_reference_cycle(pipeline):
    """Every object annotate makes is freed when it returns (none waits for the garbage collector)."""
    doc = Document(doc_id="c", source="c.txt", text=CASE, format="text")
    pipeline.annotate(doc)
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        rows = pipeline.annotate(doc)
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
    assert any(r["type"] == "Age" and r["label"] == "44.0" for r in rows)


def test_annotate_reads_the_patient_as_extract_does(pipeline):
    doc = Document(doc_id="c", source="c.txt", text=CASE, format="text")
    patient = pipeline.extract(doc).patient
    rows = {r["type"]: r for r in pipeline.annotate(doc) if r["type"] in ("Age", "Sex")}
    assert (patient.age_years, patient.sex) == (44.0, "female")
    for kind, ev in (("Age", patient.age_evidence), ("Sex", patient.sex_evidence)):
        assert (rows[kind]["start"], rows[kind]["end"], rows[kind]["section"]) == (ev.start, ev.end, ev.section)
    sentences = split_sentences(CASE, find_sections(CASE))
    (age, age_cue, age_sentence), (sex, sex_cue, _) = _patient_cues(CASE, sentences)
    assert (age, sex, CASE[age_cue.start:age_cue.end], CASE[sex_cue.start:sex_cue.end]) == \
        (44.0, "female", "44-year-old", "woman")
    assert age_sentence.text.startswith("A 44-year-old woman")
    assert _patient("c", CASE, sentences).age_evidence.sentence == age_sentence.text


def test_title_outside_the_sentences_is_placed_in_text_order():
    """A title that no sentence holds becomes the "Title" sentence at its place; the sentences after it are
    re-indexed. A title inside a sentence adds nothing."""
    text = "A woman had fever.\nFever and rash in a woman\nFever is common."
    cut, resume = text.index("Fever and"), text.index("Fever is")
    sentences = split_sentences(text, [Section("", "case", 0, cut), Section("", "discussion", resume, len(text))])
    out = _with_title(text, "Fever and rash in a woman", sentences)
    assert [s.section_kind for s in out] == ["case", "title", "discussion"]
    assert [s.index for s in out] == [0, 1, 2] and out[1].text == "Fever and rash in a woman"
    assert out[0] is sentences[0]
    assert _with_title(text, "A woman had fever.", sentences) == list(sentences)


def test_a_title_line_of_the_front_matter_is_read_as_the_title():
    """A plain-text report's first line is a front-matter sentence of its own: it is read as the title (case report
    titles name the patient's problem), and a text of one sentence is read as running text."""
    text = "Primary microcephaly caused by mutations in ASPM\n\nA 5-year-old boy had a small head. He was well."
    sentences = split_sentences(text, find_sections(text))
    assert sentences[0].section_kind == "front"
    out = _with_title(text, "Primary microcephaly caused by mutations in ASPM", sentences)
    assert (out[0].section, out[0].section_kind, out[0].text) == \
        ("Title", "title", "Primary microcephaly caused by mutations in ASPM")
    assert out[1:] == list(sentences[1:])
    one = "The patient had fever and elevated liver enzymes."
    alone = _with_title(one, one, split_sentences(one, find_sections(one)))
    assert [(s.section, s.section_kind) for s in alone] == [("", "other")]


def test_a_one_sentence_report_is_annotated(pipeline):
    doc = Document(doc_id="t", source="t.txt", format="text", text="The patient had fever and seizures.")
    assert [(r["text"], r["id"], r["subject"]) for r in pipeline.annotate(doc)] == [
        ("fever", "HP:0001945", "patient"), ("seizures", "HP:0001250", "patient")]


@pytest.mark.parametrize("text", ["brachydactyly", "severe brachydactyly of both hands"])
def test_a_phrase_without_a_title_is_annotated(pipeline, text):
    """A lower-case phrase reads as no title, yet as the whole text it is running text."""
    doc = Document(doc_id="t", source="t.txt", format="text", text=text)
    assert [(r["text"], r["id"]) for r in pipeline.annotate(doc) if r["type"] == "Finding"] == [
        ("brachydactyly", "HP:0001156")]


CORROBORATION = ("Case presentation\nA 5-year-old boy was referred for short stature. Examination showed hypotonia "
                 "and thoracic scoliosis.\n\nDiscussion\nOur patient had short stature, scoliosis and generalized "
                 "hypotonia. Like the siblings reported by Agrawal et al., our patient had delayed motor milestones.\n")


def test_a_patient_finding_named_only_in_the_discussion_is_not_the_patients(pipeline):
    doc = Document(doc_id="d", source="d.txt", text=CORROBORATION, format="text")
    rows = [r for r in pipeline.annotate(doc) if r["type"] == "Finding"]
    discussion = {r["id"]: r["subject"] for r in rows if r["section"] == "Discussion"}
    assert discussion["HP:0004322"] == "patient"  # Short stature, also in the case presentation
    assert discussion["HP:0002650"] == "patient"  # Scoliosis, a parent of the case's Thoracic scoliosis
    assert discussion["HP:0001290"] == "other"  # Generalized hypotonia: the case says only Hypotonia
    assert discussion["HP:0001270"] == "other"  # Motor delay, only in the discussion
    assert {r["subject"] for r in rows if r["section"] == "Case presentation"} == {"patient"}
    extracted = {(m.concept.curie, m.subject) for m in pipeline.extract(doc).mentions if m.section == "Discussion"}
    assert ("HP:0001270", "other") in extracted


GLOSSARY = ("Case presentation\n\nA 40-year-old man had frontotemporal dementia.\n\n"
            "Table 1. Findings of the family\nAbbreviations: FTD, frontotemporal dementia; SCD, sudden cardiac "
            "death\nHis brother had seizures.\n")


def test_a_glossary_line_asserts_no_finding(pipeline):
    rows = pipeline.annotate(Document(doc_id="g", source="g.txt", text=GLOSSARY, format="text"))
    glossary = GLOSSARY.index("Abbreviations")
    line_end = GLOSSARY.index("\n", glossary)
    assert [r["id"] for r in rows if r["start"] < glossary and r["id"] == "HP:0002145"]
    assert not [r for r in rows if glossary <= r["start"] < line_end]
    assert [r for r in rows if r["start"] > line_end and r["id"] == "HP:0001250"]


SECOND_PATIENT = ("Case presentation\nTwo sisters were referred for weakness.\n\nPatient 1\nShe had scoliosis and "
                  "ptosis.\n\nPatient 2\nThe patient had a waddling gait and ptosis.\n\nDiscussion\nPtosis is "
                  "common.\n")
LATER_PATIENTS = ("Case presentation\nThe siblings had epilepsy.\nClinical events are summarised for patients 2 and 3.\n"
                  "Patient 2.\nHe has nystagmus.\nPatient 3.\nShe has scoliosis.\n")


def test_the_report_s_patient_is_its_first_numbered_individual(pipeline):
    """The graph has one patient per report: the findings of the sections of another numbered individual
    ("Patient 2" after "Patient 1") are other people's; when the report numbers its patients from 2, patient 2
    is its patient."""
    rows = pipeline.annotate(Document(doc_id="s", source="s.txt", text=SECOND_PATIENT, format="text"))
    subjects = {(r["section"], r["label"]): r["subject"] for r in rows if r["type"] == "Finding"}
    assert subjects[("Patient 1", "Scoliosis")] == "patient"
    assert subjects[("Patient 1", "Ptosis")] == "patient"
    assert subjects[("Patient 2", "Waddling gait")] == "other"
    assert subjects[("Patient 2", "Ptosis")] == "other"
    rows = pipeline.annotate(Document(doc_id="l", source="l.txt", text=LATER_PATIENTS, format="text"))
    subjects = {(r["section"], r["label"]): r["subject"] for r in rows if r["type"] == "Finding"}
    assert subjects[("Patient 2", "Nystagmus")] == "patient"
    assert subjects[("Patient 3", "Scoliosis")] == "other"


LED_PARAGRAPHS = ("Case presentation\nPatient 1 had hypotonia at 8 months.\nPatient 2 is a girl of Turkish parents. She "
                  "had scoliosis.\nPatient 1 and patient 2 had ptosis.\n")


def test_a_paragraph_led_by_another_numbered_individual_is_other_people_s(pipeline):
    """A line that opens with "Patient 2" is about patient 2 when the report also opens one with "Patient 1"; a
    joint lead ("Patient 1 and patient 2") is about the report's patient too."""
    rows = pipeline.annotate(Document(doc_id="p", source="p.txt", text=LED_PARAGRAPHS, format="text"))
    subjects = {r["label"]: r["subject"] for r in rows if r["type"] == "Finding"}
    assert subjects == {"Hypotonia": "patient", "Scoliosis": "other", "Ptosis": "patient"}


COHORT = ("Results\nAt the first examination, patients 1, 2 and 4 had distal muscle weakness, while patients 5 and 6 "
          "had ptosis. Patients 3 and 5 exhibited lumbar lordosis, and patient 6 had severe scoliosis. All patients "
          "except for patients 5 and 6 had absence of speech. Dyspnea was present in all patients except for "
          "patient 6, who had cardiomyopathy.\n")


def test_a_finding_belongs_to_the_numbered_individuals_named_before_it(pipeline):
    """In running text, a finding is about the numbered individuals named last before it ("patient 6 had severe
    scoliosis"): another individual's when they leave out the report's patient (patient 1 here, the lowest
    number), the patient's when they include it or are set apart ("all patients except for patients 5 and 6")."""
    rows = pipeline.annotate(Document(doc_id="c", source="c.txt", text=COHORT, format="text"))
    subjects = {r["label"]: r["subject"] for r in rows if r["type"] == "Finding"}
    assert subjects["Distal muscle weakness"] == "patient"
    assert subjects["Absent speech"] == subjects["Dyspnea"] == "patient"
    assert subjects["Ptosis"] == subjects["Lumbar hyperlordosis"] == subjects["Scoliosis"] == "other"
    assert subjects["Cardiomyopathy"] == "other"
