"""The bulk English term table (ontology/terms_en.tsv): anatomy, tests and procedures, drug classes and
clinical wording are recognised with the right type on case-report sentences."""
from __future__ import annotations

import pytest

from kg.extract.lexicon import CONCEPT_TYPES
from kg.model import Document
from kg.resources import load_tsv, ontology_path

# A one-line text is read as a title page; a section header makes it case-presentation text.
HEADER = "Case presentation\n"


def _rows(pipeline, text: str) -> list[dict]:
    return pipeline.annotate(Document(doc_id="t", source="t.txt", text=HEADER + text, format="text"))


def _types(pipeline, text: str) -> dict[str, str]:
    return {r["text"].lower(): r["type"] for r in _rows(pipeline, text) if r["id"]}


def test_table_loads_strictly_and_uses_known_prefixes():
    rows = load_tsv(ontology_path("terms_en.tsv"), ("curie", "type", "label", "synonyms"), min_columns=3,
                    allowed={"type": set(CONCEPT_TYPES)})
    assert len(rows) > 1000
    prefixes = {r["curie"].split(":", 1)[0] for r in rows}
    assert prefixes <= {"UBERON", "NCIT", "RADLEX", "LOINC", "DRUGBANK", "CHEBI", "MESH", "HP", "MONDO", "DOID",
                        "ORPHA", "CKG"}, prefixes
    assert all(r["curie"].split(":", 1)[1] for r in rows)


def test_anatomy_nouns_and_adjectives(pipeline):
    found = _types(pipeline, "Transthoracic imaging showed a thrombus in the left atrial appendage and a mass "
                             "in the gallbladder wall; the spleen and both adrenal glands were normal.")
    assert found["left atrial appendage"] == "AnatomicalSite"
    assert found["gallbladder wall"] == "AnatomicalSite"
    assert found["spleen"] == "AnatomicalSite"
    assert found["adrenal glands"] == "AnatomicalSite"


def test_vital_signs_and_laboratory_tests_are_tests(pipeline):
    found = _types(pipeline, "On admission her blood pressure was 90/60 mmHg, heart rate 118 beats per minute and "
                             "oxygen saturation 91%. Alanine aminotransferase and lactate dehydrogenase were raised.")
    assert found["blood pressure"] == "LabTest"
    assert found["heart rate"] == "LabTest"
    assert found["oxygen saturation"] == "LabTest"
    assert found["alanine aminotransferase"] == "LabTest"
    assert found["lactate dehydrogenase"] == "LabTest"


def test_enzyme_names_are_tests_not_drugs(pipeline):
    rows = _rows(pipeline, "Serum alkaline phosphatase was 410 U/L.")
    whole = [r for r in rows if r["text"].lower() == "alkaline phosphatase"]
    assert [r["type"] for r in whole] == ["LabTest"]


def test_procedures_and_abbreviated_modalities(pipeline):
    found = _types(pipeline, "She underwent esophagogastroduodenoscopy and an ECG, followed by a laparoscopic "
                             "cholecystectomy; she was extubated on the first postoperative day.")
    assert found["esophagogastroduodenoscopy"] == "Procedure"
    assert found["ecg"] == "Procedure"
    assert found["laparoscopic cholecystectomy"] == "Procedure"
    assert found["extubated"] == "Procedure"


def test_immunohistochemical_markers(pipeline):
    found = _types(pipeline, "Tumour cells were positive for synaptophysin, CD56 and vimentin and negative for CK20.")
    for marker in ("synaptophysin", "cd56", "vimentin", "ck20"):
        assert found[marker] == "LabTest", marker


def test_drug_classes_therapies_and_abbreviations(pipeline):
    found = _types(pipeline, "He received chemotherapy, then beta-blockers and proton pump inhibitors; "
                             "tuberculosis was treated with INH and EMB.")
    assert found["chemotherapy"] == "Drug"
    assert found["beta-blockers"] == "Drug"
    assert found["proton pump inhibitors"] == "Drug"
    assert found["inh"] == "Drug"
    assert found["emb"] == "Drug"


def test_abbreviation_is_case_sensitive(pipeline):
    assert "inh" not in _types(pipeline, "The inh of the group was high.")


@pytest.mark.parametrize("text,term,kind", [
    ("A fluctuant lesion was noted on the scalp.", "lesion", "Finding"),
    ("Biopsy revealed a moderately differentiated adenocarcinoma.", "adenocarcinoma", "Condition"),
    ("He was afebrile and alert.", "afebrile", "Finding"),
    ("Multiple liver metastases were seen.", "liver metastases", "Finding"),
    ("The common bile duct was dilated.", "dilated", "Finding"),
])
def test_problem_wording(pipeline, text, term, kind):
    found = _types(pipeline, text)
    assert found.get(term) == kind, found


def test_hpo_terms_keep_their_type(pipeline):
    found = _types(pipeline, "Physical examination revealed vitiligo.")
    assert found["vitiligo"] == "Finding"


def _ids(pipeline, text: str) -> dict[str, str]:
    return {r["text"]: r["id"] for r in _rows(pipeline, text) if r["id"]}


def test_markers_of_one_panel_are_separate_concepts(pipeline):
    found = _ids(pipeline, "Tumour cells were positive for CD20 and negative for CD3.")
    assert found["CD20"] != found["CD3"]
    assert "CKG:bcl-6" not in found.values()
    found = _ids(pipeline, "Immunohistochemistry showed CK7 and PD-L1 positivity; CDX2, SATB2 and HMB-45 were negative.")
    assert len({found[m] for m in ("CK7", "PD-L1", "CDX2", "SATB2", "HMB-45")}) == 5
    assert not {"CKG:pancytokeratin", "CKG:cyclin-d1", "CKG:alpha-inhibin", "CKG:s-100-protein"} & set(found.values())


@pytest.mark.parametrize("text,term,not_id", [
    ("Hyponatraemia was attributed to SIADH.", "SIADH", "HP:0000873"),
    ("Blood cultures grew MRSA.", "MRSA", "CKG:leprosy"),
    ("He was admitted with COVID-19 pneumonia.", "COVID-19", "CKG:acquired-immunodeficiency-syndrome"),
    ("A nodule was seen in the RUL.", "RUL", "CKG:left-lower-lobe"),
    ("There was tenderness in the RUQ.", "RUQ", "CKG:left-lower-quadrant"),
    ("Angiography showed occlusion of the MCA.", "MCA", "CKG:posterior-cerebral-artery"),
    ("The NIHSS score was 14 on arrival.", "NIHSS", "RADLEX:RID10312"),
    ("She was ventilated with a PEEP of 8 cm H2O.", "PEEP", "CKG:hyperbaric-oxygen"),
    ("HLA-B27 was positive.", "HLA-B27", "CKG:bence-jones-protein"),
    ("The tumour was treated with TACE.", "TACE", "NCIT:C15232"),
    ("A baby girl was delivered by cesarean section.", "cesarean section", "NCIT:C15232"),
])
def test_a_lumped_abbreviation_is_its_own_concept(pipeline, text, term, not_id):
    found = _ids(pipeline, text)
    assert term in found and found[term] != not_id, found


def test_findings_hpo_has_ground_to_hpo_not_to_a_local_id(pipeline):
    ids = {r["text"].lower(): r["id"] for r in _rows(pipeline, "She was pale, with paraesthesias, preeclampsia "
                                                              "and a previous miscarriage.")}
    assert ids["pale"] == "HP:0000980"
    assert ids["paraesthesias"] == "HP:0003401"
    assert ids["preeclampsia"] == "HP:0100602"
    assert ids["miscarriage"] == "HP:0005268"
