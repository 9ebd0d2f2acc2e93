"""Who a sentence is about (subject attribution) and ConText attributes of a span."""
from __future__ import annotations

import pytest

from kg.extract.concepts import Tokens
from kg.extract.context import (Attributes, Scopes, attributes_for, caption_subject, context_rules, cue_starts,
                                find_triggers, index_cell_reading, index_column, line_subject, scan_phrases,
                                sentence_cues, sentence_subject, subject_cues, table_caption, table_row_negated)
from kg.model import Document


def _keys(text):
    return [k for _, _, k in Tokens(text).spans]


def _annotated(pipeline, text: str) -> list[dict]:
    """``kg annotate`` rows of a plain-text report."""
    return pipeline.annotate(Document(doc_id="t", source="t", text=text, format="text"))


def test_case_sentence_is_the_patients():
    assert sentence_subject(_keys("The patient had renal cysts."), "discussion", False) == "patient"
    assert sentence_subject(_keys("She had renal cysts."), "case", False) == "patient"


def test_family_member_sentence_is_the_familys():
    assert sentence_subject(_keys("Her mother had severe brachycephaly and hearing loss."), "case", False) == "family"


def test_generic_disease_description_is_not_the_patients():
    keys = _keys("Hereditary gelsolin amyloidosis is an autosomal dominant disease characterized by cutis laxa.")
    assert sentence_subject(keys, "abstract", False) == "other"
    assert sentence_subject(_keys("Knockout mice showed splenomegaly."), "case", False) == "other"


def test_citation_marker_makes_literature():
    assert sentence_subject(_keys("Hepatomegaly was found in 3 of 10 cases."), "case", True) == "literature"


def test_negation_scope():
    text = "There was no fever but the liver was enlarged."
    tokens = Tokens(text)
    keys = [k for _, _, k in tokens.spans]
    triggers = find_triggers(keys)
    fever = keys.index("fever")
    liver = keys.index("liver")
    assert attributes_for(fever, fever + 1, triggers).negated
    assert not attributes_for(liver + 2, liver + 3, triggers).negated


def test_relative_at_the_head_of_a_sentence_is_the_familys():
    keys = _keys("The patient's father reported recurrent episodes of exercise-induced myalgia.")
    assert sentence_subject(keys, "case", False) == "family"
    assert sentence_subject(_keys("The patient was brought by her father because of myalgia."), "case", False) == "patient"


def test_definitions_and_generic_wording_are_not_the_patients():
    keys = _keys("Holoprosencephaly (HPE) is a severe congenital brain malformation of the forebrain.")
    assert sentence_subject(keys, "abstract", False) == "other"
    assert sentence_subject(_keys("She is a 5-year-old girl with microcephaly."), "case", False) == "patient"
    assert sentence_subject(_keys("Affected individuals usually develop ataxia in childhood."), "case", False) == "other"
    assert sentence_subject(_keys("Ataxia developed in childhood."), "case", False) == "patient"
    keys = _keys("Retinitis pigmentosa refers to a heterogeneous set of hereditary retinal disorders.")
    assert sentence_subject(keys, "other", False) == "other"


def test_pronoun_sentence_continues_the_patient_in_the_discussion():
    keys = _keys("Her MRI revealed polymicrogyria.")
    assert sentence_subject(keys, "discussion", False, previous="patient") == "patient"
    assert sentence_subject(keys, "discussion", False, previous="other") == "other"
    keys = _keys("Her MRI revealed polymicrogyria, as usually seen in this syndrome.")
    assert sentence_subject(keys, "discussion", False, previous="patient") == "other"


def test_table_row_with_no_for_every_patient_is_negated():
    row = "Mild spasticity\tNo\tNo\tN.D."
    assert table_row_negated(row, row.index("spasticity"))
    assert not table_row_negated("Mild spasticity\tNo\tYes\tNo", 5)
    assert not table_row_negated("Mild spasticity\tNo\tmild\tNo", 5)
    row = "Other\tmyopia\tNo"
    assert not table_row_negated(row, row.index("myopia"))
    assert not table_row_negated("Spasticity was mild.", 0)
    row = "Ptosis\t0/2\t0\\1\t0 of 3 (0%)"
    assert table_row_negated(row, 0)  # counts of none
    assert not table_row_negated("Ptosis\t0/2\t1\\1\t10/36", 0)


def test_table_caption_naming_reported_cases_makes_its_rows_literature():
    assert caption_subject("Summary of clinical features of all reported cases with desmosterolosis.") == "literature"
    assert caption_subject("Clinical features of the patient and of previously reported cases.") is None
    assert caption_subject("Laboratory findings at admission.") is None
    text = "Summary of clinical features of all reported cases.\nPatient 1\tPatient 2\nFacial anomalies\nAtaxia\t+\t-\n"
    start, end = table_caption(text, text.index("Ataxia"))
    assert text[start:end] == "Summary of clinical features of all reported cases."
    assert table_caption("Ataxia\t+\t-", 0) == (0, 0)


def test_table_caption_with_known_captions_finds_the_same_spans():
    text = ("Table 1. Clinical features of the two patients described here.\nFeature\tP1\tP2\nAtaxia\t+\t-\n"
            "Seizures\t-\t+\nThe second table lists the laboratory values at admission.\nSodium\t130\t140\n")
    known: dict = {}
    for row in ("Seizures", "Ataxia", "Feature", "Sodium"):
        assert table_caption(text, text.index(row), known) == table_caption(text, text.index(row))
    assert text[slice(*known[text.index("Ataxia")])].startswith("Table 1.")
    assert text[slice(*known[text.index("Sodium")])].startswith("The second table")


def test_annotate_reads_tables_and_abbreviations(pipeline):
    text = ("Case presentation\nA 6-year-old boy had polydactyly and obesity.\n"
            "Clinical features of the affected children of the family.\nPolydactyly\tYes\tYes\nHypogonadism\tNo\tNo\n"
            "Summary of the clinical features of all previously reported cases.\nAtaxia\t+\t+\n"
            "Discussion\nHereditary elliptocytosis (HE) is a red cell disorder. HE causes splenomegaly.\n")
    rows = _annotated(pipeline, text)
    by_text = {r["text"].lower(): r for r in rows if r["id"].startswith("HP:")}
    assert not by_text["polydactyly"]["negated"] and by_text["polydactyly"]["subject"] == "patient"
    assert by_text["hypogonadism"]["negated"]
    assert by_text["ataxia"]["subject"] == "literature"
    assert by_text["splenomegaly"]["subject"] == "other"


def test_index_column_is_the_one_header_cell_naming_the_reports_own_patient():
    assert index_column("Clinical feature (HPO id)\tIndex case\tAffected brother\tFindings in 25 previously "
                        "reported cases") == 1
    assert index_column("Feature\tReported cases (n = 12)\tPresent patient") == 2
    assert index_column("Feature\tPatient 1\tPatient 2\tPatient 3") is None
    assert index_column("Feature\tOur patient\tThis case report of 2001") is None  # two columns claim it
    assert index_column("Ataxia in the index case was mild") is None


def test_index_cell_reading_takes_the_index_patients_cell():
    row = "Chronic diarrhea (HP:0002028)\tN\tY\t24/25 (96%)"
    assert index_cell_reading(row, 0, 4, 1) == (True, "patient")
    assert index_cell_reading(row, 0, 4, 2) == (False, "patient")
    row = "Unusual hair (trichorrhexis nodosa)\tUnknown (shaved)\tY\t20/20"
    assert index_cell_reading(row, row.index("trichorrhexis"), 4, 1) == (False, "other")
    row = "Findings at onset\tmacrocephaly\tseizures"
    assert index_cell_reading(row, row.index("seizures"), 3, 1) == (False, "other")
    assert index_cell_reading(row, row.index("macrocephaly"), 3, 1) == (False, "patient")
    assert index_cell_reading("Ataxia\tY", 0, 4, 1) is None  # cells do not line up with the header
    row = "Strabismus\t11\\36\t0\\1\t15\\75"
    assert index_cell_reading(row, 0, 4, 2) == (True, "patient")  # none of one: the index patient has not
    assert index_cell_reading("Myopia\t9\\28\t1\\1\t15\\67", 0, 4, 2) == (False, "patient")


def test_annotate_reads_a_table_by_its_index_patient_column(pipeline):
    text = ("Case presentation\nA 3-month-old boy was admitted with chronic diarrhoea.\n"
            "Table 1. Clinical features of the index case, his brother and previously reported cases.\n"
            "Feature\tIndex case\tAffected brother\tPreviously reported cases\n"
            "Hypertelorism\tN\tN\t20/20 (100%)\nIntrauterine growth retardation\tY\tY\t23/25 (92%)\n"
            "Villous atrophy\t?\tY\t21/21\n")
    rows = _annotated(pipeline, text)
    by_text = {r["text"].lower(): r for r in rows if r["id"].startswith("HP:")}
    assert by_text["hypertelorism"]["negated"] and by_text["hypertelorism"]["subject"] == "patient"
    assert not by_text["intrauterine growth retardation"]["negated"]
    assert by_text["intrauterine growth retardation"]["subject"] == "patient"
    assert by_text["villous atrophy"]["subject"] == "other"


def test_the_index_column_header_can_follow_a_title_row(pipeline):
    text = ("Case presentation\nA 3-year-old girl had microphthalmia and myopia.\n"
            "The reported ocular manifestations of the syndrome in the literature and in this study.\n"
            "Eye findings\t \t \t \nOcular feature\tSmith 2008\tJones 2010\tThis study\n"
            "Ptosis\t10\\36\t0\\2\t0\\1\nMyopia\t9\\28\t1\\2\t1\\1\n")
    rows = _annotated(pipeline, text)
    ptosis = next(r for r in rows if r["id"] == "HP:0000508")
    assert ptosis["negated"] and ptosis["subject"] == "patient"
    assert any(r["id"] == "HP:0000545" and r["start"] == text.index("Myopia") and not r["negated"] for r in rows)


def test_a_relative_who_reports_a_finding_is_not_its_subject(pipeline):
    assert sentence_subject(_keys("The parents noted subtle patchy hyperpigmentation after phototherapy."), "case",
                            False) == "patient"
    assert sentence_subject(_keys("His mother noticed that he was very irritable."), "case", False) == "patient"
    assert sentence_subject(_keys("His mother had recurrent migraine."), "case", False) == "family"
    text = "Case presentation\nA history of nocturnal sleep apnea was mentioned by the parents.\n"
    rows = _annotated(pipeline, text)
    apnea = next(r for r in rows if r["id"] == "HP:0010535")
    assert apnea["subject"] == "patient" and not apnea["negated"]


def test_affected_siblings_of_a_family_report_are_its_patients(pipeline):
    assert sentence_subject(_keys("The second affected sibling had preauricular tags."), "case", False) == "patient"
    assert sentence_subject(_keys("Her brother had preauricular tags."), "case", False) == "family"
    text = "Case presentation\nVomiting and constipation were also noted in both brothers.\n"
    rows = _annotated(pipeline, text)
    assert {r["subject"] for r in rows if r["id"].startswith("HP:")} == {"patient"}


def test_definition_before_the_patient_is_named_is_generic():
    keys = _keys("Polydactyly is a common feature of BBS; the absence of polydactyly in the proband is unusual.")
    assert sentence_subject(keys, "discussion", False) == "other"
    keys = _keys("Cone-shaped epiphyses are a frequent finding in skeletal dysplasias, in this case in the thumb.")
    assert sentence_subject(keys, "discussion", False) == "other"
    assert sentence_subject(_keys("The proband is a 7-year-old girl with ataxia."), "case", False) == "patient"
    keys = _keys("Tongue atrophy, which is a sign of myasthenia, was a remarkable finding in our patient.")
    assert sentence_subject(keys, "discussion", False) == "patient"


def test_table_row_citing_a_reference_with_a_glued_number_is_literature():
    row = "c.1937A>G\tQ646R\tYes\tGDD, microcephaly, axial hypotonia\tHomozygous\t28\tLionel et al10"
    assert line_subject(row, "results") == "literature"
    assert line_subject("c.670C>G\tR224G\tYes\tDevelopmental delay, microcephaly\tHomozygous\tThis study",
                        "results") == "patient"
    assert line_subject("Hb\t11.8 g/dL\tNormal\tHbA2 3.1", "results") == "patient"


def test_negation_hypothesis_and_family_wording(pipeline):
    def rows(sentence):
        text = "Case presentation\n" + sentence + "\n"
        return {r["text"].lower(): r for r in _annotated(pipeline, text) if r["id"].startswith("HP:")}
    found = rows("Mild changes such as toe syndactyly were not observable on clinical examination.")
    assert found["toe syndactyly"]["negated"]
    found = rows("Although patient 2 did not present overt immune deficiency, she had oral candidiasis.")
    assert found["immune deficiency"]["negated"]
    found = rows("Using urinary amino acids, we excluded cystinuria as a cause of the urolithiasis.")
    assert found["cystinuria"]["negated"] and not found["urolithiasis"]["negated"]
    found = rows("Previous genetic testing for Friedreich ataxia was negative.")
    assert found["ataxia"]["subject"] != "patient"
    found = rows("A 20-month-old boy was referred for diagnostic workup for cleft palate and hydrocephalus.")
    assert found["hydrocephalus"]["subject"] == "patient" and not found["hydrocephalus"]["negated"]
    found = rows("The pregnancy was marked by maternal anorexia, and the boy had microcephaly.")
    assert found["anorexia"]["subject"] == "family" and found["microcephaly"]["subject"] == "patient"


def test_the_patients_relative_names_the_relative():
    keys = _keys("Fundus photographs of the proband's sister show bull's eye macular atrophy.")
    assert sentence_subject(keys, "case", False) == "family"
    assert sentence_subject(_keys("Fundus photographs of the proband show macular atrophy."), "case", False) == "patient"


def test_unlikely_negates(pipeline):
    def rows(sentence):
        text = "Case presentation\n" + sentence + "\n"
        return {r["text"].lower(): r for r in _annotated(pipeline, text) if r["id"].startswith("HP:")}
    assert rows("Bronchospasm seemed to be unlikely because the x-ray showed normal findings.")["bronchospasm"][
        "negated"]


def test_naming_the_patient_ends_a_relatives_scope(pipeline):
    text = ("Case presentation\nWhile the twin brother had a birth weight of 2.50 kg, the proband was small for "
            "gestational age with birth weight 1.79 kg.\n")
    rows = _annotated(pipeline, text)
    sga = next(r for r in rows if r["id"] == "HP:0001518")
    assert sga["subject"] == "patient"
    text = "Case presentation\nHer brother had small for gestational age birth weight.\n"
    rows = _annotated(pipeline, text)
    assert next(r for r in rows if r["id"] == "HP:0001518")["subject"] == "family"


def test_scopes_of_a_sentence_read_its_triggers_once():
    keys = _keys("Renal cysts and a cough.")
    assert not find_triggers(keys) and Scopes.of_keys(keys) is Scopes.of_keys(_keys("She had a cough."))
    assert Scopes.of_keys(keys).attributes(0, 2) == Attributes()
    keys = _keys("A tumour was suspected, confirmed later, but no fever was seen, except a rash.")
    scopes = Scopes.of_keys(keys)
    triggers = find_triggers(keys)
    assert scopes.confirmed and scopes.terminators and {t.category for t in triggers} >= {"NEGATED_EXISTENCE"}
    for first in range(len(keys)):
        assert scopes.attributes(first, first + 1) == attributes_for(first, first + 1, triggers)
    fever = keys.index("fever")
    assert scopes.attributes(fever, fever + 1).negated and not scopes.attributes(keys.index("rash"), len(keys)).negated


def test_a_new_clause_ends_a_backward_normal(pipeline):
    text = "Case presentation\nThere was a reducible left inguinal hernia and the genitalia were normal.\n"
    rows = _annotated(pipeline, text)
    hernia = next(r for r in rows if r["id"] == "HP:0000023")
    assert not hernia["negated"]
    text = "Case presentation\nThere was no hernia and the genitalia were normal.\n"
    rows = _annotated(pipeline, text)
    assert next(r for r in rows if r["text"] == "hernia")["negated"]


def test_the_manifestations_of_a_disease_are_generic():
    keys = _keys("The radiological manifestations of AD include delayed bone age and short metacarpals.")
    assert sentence_subject(keys, "case", False) == "other"
    keys = _keys("The manifestations of the disease in our patient were short metacarpals.")
    assert sentence_subject(keys, "case", False) == "patient"


def test_the_features_that_define_a_disease_are_generic():
    for sentence in ("Its main features include skin lesions, persistent diarrhea and failure to thrive.",
                     "The combination of cerebellar ataxia and hypogonadism defines Boucher-Neuhauser syndrome.",
                     "Although many SLOS cases exhibit microcephaly, his head circumference was normal."):
        assert sentence_subject(_keys(sentence), "case", False) == "other"


def test_a_disease_group_or_a_gene_causing_a_disease_is_generic():
    for sentence in ("Thrombocytopenia with absent radii belongs to the group of inherited thrombocytopenias.",
                     "NBEAL2 is causative for the alpha-granule deficiency in classical gray platelet syndrome."):
        assert sentence_subject(_keys(sentence), "results", False) == "other"
    keys = _keys("The variant causative for the patient's thrombocytopenia was found in his father too.")
    assert sentence_subject(keys, "results", False) == "patient"
    keys = _keys("The variant was absent from public databases, including COSMIC (Catalogue of Somatic Mutations in "
                 "Cancer).")
    assert sentence_subject(keys, "results", False) == "other"


def test_what_is_typical_of_a_disease_is_generic():
    for sentence in ("Y-shaped 2-3 toe syndactyly, referring to incomplete cutaneous syndactyly of the second and third "
                     "toes, is a unique SLOS symptom.",
                     "Flared iliac wings are characteristic of dysostosis multiplex."):
        assert sentence_subject(_keys(sentence), "case", False) == "other"
    keys = _keys("In addition to congenital nuclear cataracts, the young patient had a long narrow face.")
    assert sentence_subject(keys, "discussion", False) == "patient"


def test_cue_starts_give_the_same_triggers_and_subjects():
    for sentence in ("Her mother had no history of seizures, but she denied headache.",
                     "Previous studies reported that patients with this syndrome usually have no fever [3].",
                     "The patient was not given steroids; there was no evidence of recurrence."):
        keys = _keys(sentence)
        starts = cue_starts(keys)
        assert starts == sorted(starts)
        for trie in (context_rules(), subject_cues()):
            assert scan_phrases(trie, keys, starts) == scan_phrases(trie, keys)
        assert scan_phrases(context_rules(), keys, starts)
        for kind in ("case", "discussion"):
            assert sentence_subject(keys, kind, False, "patient", starts) == sentence_subject(keys, kind, False, "patient")


def test_a_quantified_negation_negates_what_follows_its_verb(pipeline):
    text = ("Results\nNone of the subjects with thrombocytopenia showed a bleeding diathesis.\n"
            "Neither of the siblings with ataxia had seizures.\nNone of the above.\n")
    rows = _annotated(pipeline, text)
    by_text = {r["text"].lower(): r for r in rows if r["id"].startswith("HP:")}
    assert not by_text["thrombocytopenia"]["negated"]
    assert by_text["bleeding diathesis"]["negated"]
    assert not by_text["ataxia"]["negated"]
    assert by_text["seizures"]["negated"]


def test_sentence_cues_read_both_tries_in_one_walk():
    for sentence in ("Her mother had no history of seizures, but she denied headache.",
                     "Previous studies reported that patients with this syndrome usually have no fever [3].",
                     "In the past, the patient's family history was negative; her brother may have had ataxia.",
                     "We report a case of a girl whose father had no family history of cancer."):
        keys = _keys(sentence)
        starts = cue_starts(keys)
        triggers, cues = sentence_cues(keys, starts)
        assert triggers == [(i, j) + v for i, j, v in scan_phrases(context_rules(), keys)]
        assert cues == [(i, j) + v for i, j, v in scan_phrases(subject_cues(), keys)]
        assert triggers and cues
        assert Scopes.of_triggers(triggers).active == Scopes.of_keys(keys).active
        for kind in ("case", "discussion"):
            assert sentence_subject(keys, kind, False, "patient", starts, cues) == sentence_subject(keys, kind, False)
    assert Scopes.of_triggers([]) is Scopes.of_keys(_keys("Renal cysts and a cough."))


def test_table_lines_read_from_the_texts_tokens():
    from kg.extract.pipeline import _line_keys
    caption = "Table 2. Summary of clinical features of all reported cases with desmosterolosis."
    rows = ["Lionel et al10\tMale\tSeizures, ataxia", "c.670C>G\tR224G\tYes\tMicrocephaly\tThis study",
            "Hb\t11.8 g/dL\tNormal\tHbA2 3.1"]
    text = "Results\nThe boy had seizures.\n" + caption + "\n" + "\n".join(rows) + "\n"
    tokens = Tokens(text)
    start = text.index(caption)
    keys = _line_keys(tokens, start, start + len(caption))
    assert caption_subject(caption, keys) == caption_subject(caption) == "literature"
    for row in rows:
        start = text.index(row)
        keys = _line_keys(tokens, start, start + len(row))
        assert keys == [k for _, _, k in Tokens(row).spans]
        assert line_subject(row, "results", keys) == line_subject(row, "results")
    assert [line_subject(row, "results") for row in rows] == ["literature", "patient", "patient"]


@pytest.mark.parametrize("sentence, word", [
    ("A gene panel of 50 risk factor genes for various neurodegenerative diseases was used.", "neurodegenerative"),
    ("We sequenced 22 leukoencephalopathies-associated genes.", "leukoencephalopathies"),
    ("MR spectroscopy showed reduced N-acetyl-aspartate, a marker of neuronal loss.", "neuronal loss"),
    ("Basic primary immunodeficiency workup showed normal immunoglobulin.", "immunodeficiency"),
    ("She had a detailed autoimmunity work-up including anti-nuclear antibodies.", "autoimmunity"),
    ("The proband had a Children's Autism Rating Scale (CARS) score of 33.", "autism"),
    ("The variant is a possible risk factor for dementia.", "dementia"),
])
def test_panels_and_glosses_name_no_finding_of_the_patient(pipeline, sentence, word):
    text = "Case presentation\n" + sentence + "\n"
    rows = [r for r in _annotated(pipeline, text)
            if r["id"].startswith("HP:") and r["text"].lower().startswith(word)]
    assert rows and all(r["subject"] != "patient" for r in rows)


def test_a_table_written_one_cell_a_line_takes_its_caption(pipeline):
    """Tables converted from HTML may put each cell on a line of its own, ending with a tab. A header cell
    ("Patient 1<TAB>") is no section heading, a cell whose tab lies outside its sentence and the table's last
    cell (no tab) are table rows: all take the caption's subject."""
    cell = "\n            "
    text = ("Case presentation\nThe boy had seizures and a cleft palate.\n"
            "Table 1. Summary of clinical features of all reported cases.\n"
            f"Patient 1\t{cell}Patient 2\t{cell}Present patient\t\n          \n\n          "
            f"{cell}\u2003Short wide ribs\t{cell}+\t{cell}−\t{cell}−\t\n          \n\n          "
            f"{cell}Other features\t{cell}Parietal foramina\t{cell}−\t{cell}Cutis aplasia\n")
    rows = {r["text"]: r for r in _annotated(pipeline, text) if r["id"].startswith("HP:")}
    assert rows["seizures"]["subject"] == "patient"
    for finding in ("wide ribs", "Parietal foramina", "Cutis aplasia"):
        assert rows[finding]["subject"] == "literature", rows[finding]
        assert rows[finding]["section"] == "Case presentation"


@pytest.mark.parametrize("sentence, finding", [
    ("Family history was unremarkable, except for three prior spontaneous miscarriages.", "miscarriages"),
    ("The family history revealed epilepsy.", "epilepsy"),
    ("Family history with epilepsy was reported.", "epilepsy"),
])
def test_the_verb_of_a_family_history_does_not_end_its_scope(pipeline, sentence, finding):
    """"revealed", "showed", "with" and "except" end a trigger's scope ("no fever, but a cough"), but after
    "family history" they open what the family history holds."""
    rows = {r["text"]: r for r in _annotated(pipeline, "Case presentation\nThe boy had seizures. " + sentence + "\n")}
    assert rows["seizures"]["subject"] == "patient"
    assert rows[finding]["subject"] == "family"


def test_what_a_rating_scale_indicates_is_the_patients(pipeline):
    text = ("Case presentation\nThe proband had a Children's Autism Rating Scale (CARS) score of 33, which indicated "
            "mildly autistic characteristics.\n")
    rows = {r["id"]: r["subject"] for r in _annotated(pipeline, text) if r["id"].startswith("HP:")}
    assert rows == {"HP:0000717": "other", "HP:0000729": "patient"}
