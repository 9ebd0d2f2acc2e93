"""Phenotypes written as an entity and a quality word (kg/resources/qualities.tsv): examination findings in
predicate position ("reflexes were absent"), other words of a quality's class before the entity ("raised liver
enzymes") and coordinated entities, with negation and subject from the sentence context."""
from __future__ import annotations

from kg.extract.concepts import Tokens, recognize
from kg.model import Document


def _found(pipeline, text):
    return [(text[m.start:m.end], m.concept.curie) for m in recognize(pipeline.lexicon, Tokens(text))]


def _rows(pipeline, sentence):
    text = "Case presentation\n\nA 6-year-old boy was referred for evaluation. " + sentence + "\n"
    rows = pipeline.annotate(Document(doc_id="q", source="q.txt", text=text, format="text"))
    return {r["id"]: r for r in rows if r["id"].startswith("HP:")}


def test_predicate_quality_names_the_term_of_its_class(pipeline):
    found = _found(pipeline, "The sensory exam was normal and reflexes were absent.")
    assert ("reflexes were absent", "HP:0001284") in found
    found = _found(pipeline, "Muscle tone was decreased and her visual acuity was markedly reduced.")
    assert ("Muscle tone was decreased", "HP:0001252") in found
    assert ("visual acuity was markedly reduced", "HP:0007663") in found
    found = _found(pipeline, "Nerve conduction velocities were slowed.")
    assert ("Nerve conduction velocities were slowed", "HP:0000762") in found


def test_predicate_over_an_abbreviated_test_and_a_quantity_word(pipeline):
    found = _found(pipeline, "Serum CK levels were markedly elevated and liver enzymes were raised.")
    assert ("Serum CK levels were markedly elevated", "HP:0003236") in found
    assert ("liver enzymes were raised", "HP:0002910") in found


def test_quality_word_of_the_class_before_the_entity(pipeline):
    found = _found(pipeline, "Examination showed hyperactive reflexes and bilateral extensor plantar responses.")
    assert ("hyperactive reflexes", "HP:0001347") in found
    assert ("bilateral extensor plantar responses", "HP:0003487") not in found
    assert ("extensor plantar responses", "HP:0003487") in found
    found = _found(pipeline, "The knee jerks were brisk and the plantar reflexes were extensor.")
    assert ("knee jerks were brisk", "HP:0007083") in found
    assert ("plantar reflexes were extensor", "HP:0003487") in found


def test_class_names_the_more_general_term_and_the_written_word_its_own(pipeline):
    """"exaggerated" has no term of its own: the class's most general term; "brisk" and "hyperactive" have."""
    assert ("Deep tendon reflexes were exaggerated", "HP:0001347") in _found(
        pipeline, "Deep tendon reflexes were exaggerated.")
    assert ("Deep tendon reflexes were brisk", "HP:0001348") in _found(pipeline, "Deep tendon reflexes were brisk.")
    assert ("Deep tendon reflexes were hyperactive", "HP:0006801") in _found(
        pipeline, "Deep tendon reflexes were hyperactive.")


def test_reflex_grades_with_a_plus_sign(pipeline):
    found = _found(pipeline, "Deep tendon reflexes were 3+ throughout.")
    assert ("Deep tendon reflexes were 3+", "HP:0001347") in found
    assert not [i for t, i in _found(pipeline, "Reflexes were 3 and symmetric.") if i.startswith("HP:")]
    assert not [i for t, i in _found(pipeline, "Muscle power was 3+ in the legs.") if i.startswith("HP:")]


def test_quality_distributes_over_coordinated_entities(pipeline):
    text = "Testing of the deep-tendon reflexes showed reduced patellar tendon reflex and ankle reflex."
    found = _found(pipeline, text)
    assert ("reduced patellar tendon reflex", "HP:0011808") in found
    assert ("ankle reflex", "HP:0009072") in found


def test_entity_of_a_longer_noun_phrase_takes_no_quality(pipeline):
    """The quality belongs to the whole noun phrase: fat cells, creatine content, lysine and cystine excretion."""
    for text in ("The biopsy showed increased fat cells.",
                 "Spectroscopy showed markedly reduced creatine content.",
                 "The urine showed mildly elevated lysine and cystine excretion.",
                 "There was a decreased concentration of receptors."):
        assert not [i for t, i in _found(pipeline, text) if i.startswith("HP:")], text


def test_no_term_without_a_quality_of_a_class(pipeline):
    for text in ("Reflexes were normal.", "CK was not elevated.", "Deep tendon reflexes were 2+ and symmetric."):
        assert not [i for t, i in _found(pipeline, text) if i.startswith("HP:")], text


def test_predicate_findings_are_affirmed_and_about_the_patient(pipeline):
    """"absent" and "not elicited" inside the finding do not negate it; a negation before it does."""
    rows = _rows(pipeline, "On examination, deep tendon reflexes were not elicited.")
    assert rows["HP:0001284"]["negated"] is False and rows["HP:0001284"]["subject"] == "patient"
    rows = _rows(pipeline, "His eyebrows were absent.")
    assert rows["HP:0002223"]["negated"] is False
    rows = _rows(pipeline, "There was no evidence that muscle tone was decreased.")
    assert rows["HP:0001252"]["negated"] is True


def test_verb_forms_of_loss(pipeline):
    found = _found(pipeline, "The patient lost consciousness because of hypoxia.")
    assert ("lost consciousness", "HP:0007185") in found


def test_dysmorphic_features_in_predicate_position(pipeline):
    found = _found(pipeline, "The ears were low-set, the philtrum was long and the eyebrows were sparse.")
    assert ("ears were low-set", "HP:0000369") in found
    assert ("philtrum was long", "HP:0000343") in found
    assert ("eyebrows were sparse", "HP:0045075") in found
    assert not [i for t, i in _found(pipeline, "The differential diagnosis is broad.") if i.startswith("HP:")]


def test_a_quality_with_its_measured_value_is_left_to_the_laboratory_stage(pipeline):
    for text in ("Fasting lactate was elevated at 3.8 mmol/L.", "Tests revealed elevated bilirubin (2.2 mg/dL)."):
        assert not [i for t, i in _found(pipeline, text) if i.startswith("HP:")], text
    assert ("lactate was elevated", "HP:0002151") in _found(pipeline, "Fasting lactate was elevated.")
    assert ("Reflexes were reduced", "HP:0001265") in _found(pipeline, "Reflexes were reduced (1+) at the ankles.")


def test_an_absent_problem_stays_negated_and_an_absent_part_is_a_finding(pipeline):
    rows = _rows(pipeline, "Seizures were absent.")
    assert rows["HP:0001250"]["negated"] is True and len(rows) == 1
    rows = _rows(pipeline, "The corpus callosum was absent and speech was absent.")
    assert rows["HP:0001274"]["negated"] is False
    assert rows["HP:0001344"]["negated"] is False


def test_the_subject_of_a_predicate_finding_comes_from_the_sentence(pipeline):
    rows = _rows(pipeline, "His father's reflexes were absent.")
    assert rows["HP:0001284"]["subject"] == "family"


def test_a_cell_count_keeps_the_cell_it_counts(pipeline):
    found = _found(pipeline, "The natural killer (NK) cell count was low and the white blood cell count was low.")
    assert all(i != "HP:0001876" for _, i in found)
    assert ("white blood cell count was low", "HP:0001882") in found


def test_a_gait_word_in_predicate_position(pipeline):
    found = _found(pipeline, "The patient's gait was spastic with scissoring.")
    assert ("gait was spastic", "HP:0002064") in found
    found = _found(pipeline, "On examination her gait was ataxic.")
    assert ("gait was ataxic", "HP:0002066") in found


def test_frequent_names_the_recurrent_term(pipeline):
    """HPO's "Recurrent <entity>" read with another word of its class: "frequent", "repeated", "relapsing"."""
    found = _found(pipeline, "He had frequent infections and repeated pneumonia since infancy.")
    assert ("frequent infections", "HP:0002719") in found
    assert ("repeated pneumonia", "HP:0006532") in found
