"""Drug roles (kg/extract/drugs.py): a drug name is a Drug mention only where it names something given to the
patient; measured molecules, tested antibiotics, imaging agents and drug taking are not, and an analyte that is
given becomes a Drug."""
from __future__ import annotations

import pytest

from kg.extract import drugs
from kg.extract.concepts import Tokens, recognize
from kg.model import Document

HEADER = "Case presentation\n"


def _rows(pipeline, text: str) -> list[dict]:
    return pipeline.annotate(Document(doc_id="t", source="t.txt", text=HEADER + text, format="text"))


def _typed(pipeline, text: str) -> dict[str, str]:
    return {r["text"].lower(): r["type"] for r in _rows(pipeline, text) if r["id"]}


def _drugs(pipeline, text: str) -> set[str]:
    return {r["text"].lower() for r in _rows(pipeline, text) if r["type"] == "Drug"}


@pytest.mark.parametrize("text, name", [
    ("Biochemical testing revealed an elevated level of acid phosphatase (47.8 IU/L).", "acid phosphatase"),
    ("Biopsy showed cytochrome c oxidase-deficient and succinate dehydrogenase-positive fibres.",
     "succinate dehydrogenase"),
    ("Immunohistochemistry showed vascular endothelial growth factor (VEGF) (+) and CD31 (+).",
     "vascular endothelial growth factor"),
    ("Soluble interleukin-2 receptor was elevated.", "interleukin-2 receptor"),
    ("There was no evidence for infection with shiga toxin-producing bacteria.", "shiga toxin"),
])
def test_biological_molecules_that_are_not_given_are_no_drugs(pipeline, text, name):
    assert name not in _drugs(pipeline, text)


def test_a_biological_drug_that_is_given_stays_a_drug(pipeline):
    text = "He recovered quickly after the administration of granulocyte colony-stimulating factor (G-CSF)."
    assert "granulocyte colony-stimulating factor" in _drugs(pipeline, text)
    text = "The patient was treated with high-dose steroids and 2 g/kg intravenous immunoglobulin (IVIG)."
    assert {"ivig", "intravenous immunoglobulin"} <= _drugs(pipeline, text)


@pytest.mark.parametrize("text", [
    "The patient denied a history of smoking and illicit drug use.",
    "He did not smoke cigarettes or use illicit drugs.",
    "We suspected drug-induced cardiomyopathy.",
])
def test_drug_taking_and_causes_are_no_medication(pipeline, text):
    assert not _drugs(pipeline, text)


def test_medication_use_is_medication(pipeline):
    assert "medications" in _drugs(pipeline, "Her speech problem was due to the use of medications.")


def test_antibiotics_an_isolate_was_tested_against_are_not_given(pipeline):
    text = ("Antimicrobial susceptibility testing showed that the isolate was sensitive to penicillin, ceftriaxone "
            "and vancomycin but resistant to tetracycline.")
    assert not _drugs(pipeline, text)
    assert not _drugs(pipeline, "Acid-fast bacilli were identified as rifampicin-susceptible M. tuberculosis.")
    text = "The isolate was resistant to oxacillin, and the patient was treated with vancomycin."
    assert _drugs(pipeline, text) == {"vancomycin"}
    text = "The isolate was susceptible to oxacillin, and oxacillin was started."
    assert _drugs(pipeline, text) == {"oxacillin"}


def test_imaging_agents_are_not_treatments(pipeline):
    assert "gadolinium" not in _drugs(pipeline, "Cardiac MRI showed late gadolinium enhancement.")
    assert "iodized oil" not in _drugs(pipeline, "A chest CT scan revealed iodized oil deposition in the lung.")
    text = "Technetium-99m octreotide scintigraphy was performed to find the tumour."
    assert "octreotide" not in _drugs(pipeline, text)
    text = "An emulsion of oxaliplatin and lipiodol was administered intra-arterially."
    assert {"oxaliplatin", "lipiodol"} <= _drugs(pipeline, text)


def test_a_drug_named_in_a_specimen_test_is_measured(pipeline):
    assert "lithium" not in _drugs(pipeline, "Serum lithium levels were within the therapeutic range.")
    assert "lithium" in _drugs(pipeline, "She had taken lithium for ten years.")


def test_a_route_word_alone_is_no_drug(pipeline):
    found = _drugs(pipeline, "Ocular involvement was controlled by topical and oral corticosteroids.")
    assert "topical" not in found and "oral corticosteroids" in found


@pytest.mark.parametrize("text, name", [
    ("She was started on oral carnitine 1 g twice daily.", "carnitine"),
    ("The long term calcium tablets intake might explain the calcification.", "calcium"),
    ("Growth hormone (GH) therapy was initiated at age 7 years.", "gh"),
    ("Carnitine, vitamin A, thiamine, pyridoxine, folate and uridine were supplemented.", "folate"),
    ("He required transfusion of fresh-frozen plasma and platelets.", "platelets"),
])
def test_analytes_that_are_given_are_drugs(pipeline, text, name):
    assert _typed(pipeline, text).get(name) == "Drug"


@pytest.mark.parametrize("text, name", [
    ("Serum carnitine was 25.2 umol/L.", "carnitine"),
    ("Her calcium was 8.1 mg/dL after treatment with furosemide.", "calcium"),
    ("An arginine stimulation test for growth hormone (0.5 g/kg arginine) was normal.", "growth hormone"),
    ("Folate and vitamin B12 levels were normal.", "folate"),
])
def test_measured_analytes_stay_lab_tests(pipeline, text, name):
    assert _typed(pipeline, text).get(name) == "LabTest"


def test_a_drug_name_in_another_script_is_left_as_recognised(pipeline):
    text = "ایمونوگلوبولین وریدی: خواص ضد التهابی و سرکوب ماکروفاژها."
    assert "ایمونوگلوبولین وریدی" in _drugs(pipeline, text)


def test_sentences_without_drugs_are_returned_unchanged(pipeline):
    tokens = Tokens("The child had short stature and a broad forehead.")
    matches = recognize(pipeline.lexicon, tokens)
    assert drugs.drug_roles(pipeline.lexicon, tokens, matches, 0, len(tokens.text)) is matches


def test_the_cue_table_loads_every_kind():
    cues = drugs.cues()
    assert {"treated", "with"} <= set(cues.phrases) and "route" in cues.words
    assert cues.dose_after.match(" 400 units subcutaneously") and not cues.dose_after.match(" 12 mg/dL")
    assert cues.value_after.match(" was 25.2 umol/L") and not cues.value_after.match(" 1 g twice daily")


def test_an_analyte_name_after_an_administration_phrase_is_a_drug_despite_later_numbers(pipeline):
    text = "Prior to initiation of GH, height (102 cm) and armspan (102 cm) were similar."
    assert _typed(pipeline, text).get("gh") == "Drug"


@pytest.mark.parametrize("text, word, label", [
    ("His disease had been resistant to azathioprine, corticosteroiods and infliximab.", "corticosteroiods",
     "corticosteroid"),
    ("Anesthesia was induced with sodium pentothal, sevofluorane and fentanyl.", "sevofluorane", "sevoflurane"),
    ("Progressive disease led to initiation of cetixumab while erlotinib was continued.", "cetixumab", "cetuximab"),
    ("She was given corticosteroiods after a dose of aspirin.", "corticosteroiods", "corticosteroid"),
])
def test_misspelt_drug_names_in_a_drug_context_are_drugs(pipeline, text, word, label):
    rows = [r for r in _rows(pipeline, text) if r["text"] == word]
    assert [(r["type"], r["label"]) for r in rows] == [("Drug", label)]


@pytest.mark.parametrize("text, word", [
    ("Myofibrillar myopathy shows accumulation of desmin, myotilin and dystrophin.", "myotilin"),
    ("He was treated with prednisone and information on the family history was given.", "information"),
    ("Her seizures were treated with levetiracetam and eventually disappeared.", "eventually"),
])
def test_other_unknown_words_are_not_read_as_misspelt_drugs(pipeline, text, word):
    assert word not in _drugs(pipeline, text)


def test_drug_abbreviations_name_their_own_drugs(pipeline):
    rows = _rows(pipeline, "Mycophenolate mofetil (MMF) was started; MTX was stopped.")
    labels = {r["text"]: r["label"] for r in rows if r["type"] == "Drug"}
    assert labels.get("MMF") == "mycophenolate mofetil" and labels.get("MTX") == "methotrexate"


def test_every_substance_of_the_cue_table_is_a_drug_concept(pipeline):
    substances = drugs.cues().substances
    assert substances
    assert all(pipeline.lexicon.concepts[curie].type == "Drug" for curie in substances.values())


def test_a_drug_and_its_class_keep_their_own_labels(pipeline):
    rows = _rows(pipeline, "Her depression was treated with an SSRI (sertraline 50 mg daily).")
    named = {r["text"]: (r["id"], r["label"]) for r in rows if r["type"] == "Drug"}
    assert named == {"SSRI": ("MESH:D017367", "selective serotonin reuptake inhibitor"),
                     "sertraline": ("DRUGBANK:DB01104", "sertraline")}


def test_dictionary_drugs_without_a_drugbank_id_are_no_misspelling_targets(pipeline):
    """Under their own ids as under MeSH ids: "alendronat" is not read as alendronate (CKG:drug-alendronate)."""
    assert drugs._misspelt_drug(pipeline.lexicon, "alendronat") is None
    assert drugs._misspelt_drug(pipeline.lexicon, "sertralin").curie == "DRUGBANK:DB01104"
