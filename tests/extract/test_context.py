"""Who a sentence is about (subject attribution) and ConText attributes of a span."""
from __future__ import annotations

from kg.extract.concepts import Tokens
from kg.extract.context import attributes_for, find_triggers, sentence_subject


def _keys(text):
    return [k for _, _, k in Tokens(text).spans]


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
