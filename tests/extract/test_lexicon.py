"""Lexicon keys and lookups: normalisation that lets real text meet HPO's wording."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ResourceError
from kg.extract.lexicon import keys_of, rare_disease_names, stem, word_order_variants


def test_plural_and_british_spelling_keys():
    assert stem("neuromas") == "neuroma"
    assert stem("hamartomas") == "hamartoma"
    assert stem("cysts") == "cyst"
    assert stem("abnormalities") == "abnormality"
    assert stem("delays") == "delay" and stem("airways") == "airway"
    assert stem("days") == "days" and stem("dialysis") == "dialysis"
    assert keys_of("Oesophageal tumours") == keys_of("esophageal tumor")


def test_relational_adjectives_share_the_organ_key():
    assert keys_of("renal cyst") == keys_of("kidney cysts")
    assert keys_of("ocular anomalies") == ("eye", "abnormality")


def test_word_order_variants_of_of_phrases():
    assert ("kidney", "abnormality") in word_order_variants(("abnormality", "of", "kidney"))
    assert ("abnormal", "kidney") in word_order_variants(("abnormality", "of", "kidney"))
    assert word_order_variants(("abnormality", "of", "kidney", "and", "ureter")) == []
    assert word_order_variants(("hepatomegaly",)) == []


def test_lookup_handles_articles_word_order_and_variants(pipeline):
    lex = pipeline.lexicon
    assert [c.curie for c in lex.lookup("calcification of the falx cerebri")] == ["HP:0005462"]
    assert [c.curie for c in lex.lookup("falx cerebri calcification")] == ["HP:0005462"]
    assert "HP:0000107" in [c.curie for c in lex.lookup("kidney cysts")]
    assert "HP:0009594" in [c.curie for c in lex.lookup("retinal hamartomas")]
    assert lex.lookup("the") == []


def test_alt_ids_map_to_current_ids(pipeline):
    lex = pipeline.lexicon
    assert lex.current_id("HP:0004715") != "HP:0004715"
    assert lex.current_id("HP:0004715") in lex.concepts
    assert lex.current_id("HP:0000107") == "HP:0000107"
    assert "HP:0000077" in lex.ancestors("HP:0000107")


def test_two_word_terms_also_index_the_of_order():
    assert ("weakness", "of", "leg") in word_order_variants(("leg", "weakness"))


def test_cached_index_loads_fast_enough_to_reuse(tmp_path):
    from kg.extract.lexicon import Lexicon
    first = Lexicon.load(cache_dir=tmp_path)
    assert list(tmp_path.glob("lexicon-*.pickle"))
    second = Lexicon.load(cache_dir=tmp_path)
    assert second.version == first.version
    assert second.lookup("hypotonia")[0].curie == "HP:0001252"


def test_greek_and_latin_plurals():
    assert stem("stenoses") == "stenosis"
    assert stem("epiphyses") == "epiphysis"
    assert stem("diseases") == "disease"
    assert keys_of("diverticula") == keys_of("diverticulum")
    assert keys_of("left ventricular hypoplasia") == ("left", "ventricle", "hypoplasia")


def test_three_word_terms_also_index_the_of_order():
    assert ("hypoplasia", "of", "left", "ventricle") in word_order_variants(("left", "ventricle", "hypoplasia"))


def test_generic_and_prefix_words_are_not_skipped():
    from kg.extract.lexicon import skippable, term_modifiers
    assert "defect" in term_modifiers("generic")
    assert "pre" in term_modifiers("prefix")
    assert {"defect", "pre", "manifestation"}.isdisjoint(skippable())
    assert {"severe", "left", "serum", "like"} <= skippable()


def test_break_positions_mark_the_token_after_punctuation():
    from kg.extract.lexicon import break_positions
    from kg.extract.concepts import Tokens
    text = "short stature, mild (severe) cases; a:b [c] d"
    tokens = Tokens(text)
    words = [text[s:e] for s, e in zip(tokens.starts, tokens.ends)]
    assert sorted(words[j] for j in break_positions(text, tokens.starts)) == ["a", "b", "c", "cases", "d", "mild", "severe"]
    assert break_positions("no breaks here", Tokens("no breaks here").starts) == frozenset()
    text = "\u03b2-thalass\u00e6mia, caf\u00e9 (au lait); \u0628\u06cc\u0645\u0627\u0631\u060c x: y"
    tokens = Tokens(text)
    words = [text[s:e] for s, e in zip(tokens.starts, tokens.ends)]
    breaks = break_positions(text, tokens.starts)  # the Arabic comma before "x" is read as written: no break
    assert sorted(words[j] for j in breaks) == ["au", "caf\u00e9", "y", "\u0628\u06cc\u0645\u0627\u0631"]


def test_nodes_with_case_forms_are_flagged(pipeline):
    from kg.extract.lexicon import CASED, ENTRIES
    trie = pipeline.lexicon.trie
    assert CASED in trie["us"] and any(e.case_form == "US" for e in trie["us"][ENTRIES])
    assert CASED not in trie["hypotonia"] and not any(e.case_form for e in trie["hypotonia"][ENTRIES])


def test_match_starts_skip_words_that_begin_no_term(pipeline):
    from kg.extract.lexicon import match_starts
    from kg.extract.concepts import Tokens
    keys = Tokens("the patient had renal cysts and hypotonia").keys
    positions, nodes = match_starts(pipeline.lexicon, keys)
    assert {3, 6} <= set(positions)
    assert 0 not in positions and nodes[0] is None
    assert all(nodes[i] is not None for i in positions)


def test_accents_and_more_british_spellings_share_keys():
    assert keys_of("café-au-lait spots") == keys_of("cafe au lait spot")
    assert keys_of("amenorrhoea") == keys_of("amenorrhea")
    assert keys_of("paraesthesiae") == keys_of("paresthesia")
    assert keys_of("left ventricular dilation") == keys_of("left ventricular dilatation")
    assert stem("acrochordons") == stem("acrochorda")


def test_noun_forms_of_participle_terms(pipeline):
    lex = pipeline.lexicon
    assert [c.curie for c in lex.lookup("bridging of sella turcica")] == ["HP:0005449"]
    assert [c.curie for c in lex.lookup("duplication of the collecting system")] == ["HP:0000081"]
    assert [c.curie for c in lex.lookup("limitation of elbow extension")] == ["HP:0001377"]
    assert lex.lookup("impaired visual") == []


def test_lab_terms_in_the_level_of_order(pipeline):
    lex = pipeline.lexicon
    assert [c.curie for c in lex.lookup("increased levels of alkaline phosphatase")] == ["HP:0003155"]
    assert [c.curie for c in lex.lookup("elevated creatine kinase level")] == ["HP:0003236"]
    assert "HP:0032254" not in [c.curie for c in lex.lookup("increased copper")]


def test_neonatal_terms_with_the_period_after_the_finding(pipeline):
    lex = pipeline.lexicon
    assert [c.curie for c in lex.lookup("hyperbilirubinemia in the neonatal period")] == ["HP:0003265"]


def test_everyday_verbs_are_not_behaviour_terms(pipeline):
    lex = pipeline.lexicon
    assert lex.lookup("collecting") == []
    assert lex.lookup("jumping") == []
    assert [c.curie for c in lex.lookup("hoarding")] == ["HP:0030212"]


def test_index_form_synonyms_reworded_for_running_text():
    from kg.extract.lexicon import _rewordings
    assert _rewordings("Seizures, tonic-clonic") == ["tonic-clonic Seizures"]
    assert _rewordings("Hearing loss, sensorineural, progressive") == ["progressive sensorineural Hearing loss"]
    assert _rewordings("Generalized tonic-clonic seizure (without specification of onset)") == \
        ["Generalized tonic-clonic seizure"]
    assert _rewordings("Intellectual disability, severe") == []  # severity words are stepped over instead
    assert _rewordings("Recurrent pneumonia due to aspiration,") == []
    assert _rewordings("Apneic episodes precipitated by illness, fatigue, stress") == []
    assert _rewordings("Elevated plasma oleylcarnitine, C18:1") == []


def test_reworded_synonyms_are_indexed_when_unambiguous(pipeline):
    lex = pipeline.lexicon
    assert [c.curie for c in lex.lookup("tonic-clonic seizures")] == ["HP:0002069"]
    assert [c.curie for c in lex.lookup("generalized tonic-clonic seizure")] == ["HP:0002069"]
    assert [c.curie for c in lex.lookup("EEG with spike-wave complexes")] == ["HP:0010850"]  # a term already
    assert lex.lookup("anti-GABAR antibody") == []  # Anti-GABA(A)R and Anti-GABA(B)R antibody stay apart


def test_regular_plural_words():
    from kg.extract.lexicon import is_plural
    assert is_plural("lipomas") and is_plural("spleens") and is_plural("neuropathies") and is_plural("tumours")
    assert not is_plural("lipoma") and not is_plural("stenosis") and not is_plural("haematoma")
    assert not is_plural("\u0628\u06cc\u0645\u0627\u0631")


def test_terms_hpo_names_in_the_plural(pipeline):
    plurals = pipeline.lexicon.plurals
    assert plurals["HP:0012032"] == "HP:0001012"  # Lipoma: "Lipomas" is a synonym of Multiple lipomas
    assert plurals["HP:0001747"] == "HP:0001748"  # Accessory spleen: "Accessory spleens" is Polysplenia
    assert "HP:0000957" not in plurals  # Cafe-au-lait spot: HPO gives its plural to no other term
    assert "HP:6001034" not in plurals  # Desmoid tumor: "Desmoid tumors" names a kind of it


def _dictionary_curies() -> dict[str, str]:
    import bz2
    import pickle

    from kg.extract.lexicon import _curated_names, _drug_path, drug_curies
    canon = pickle.load(bz2.open(_drug_path()))["drug_canonical_to_data"]
    return drug_curies(canon, _curated_names())


@pytest.mark.parametrize("name, class_id", [("insulin", "MESH:D007004"), ("alendronate", "MESH:D050071")])
def test_drugs_carrying_a_class_id_get_a_concept_of_their_own(pipeline, name, class_id):
    """The drug dictionary gives "insulin" Hypoglycemic Agents and "alendronate" Bone Density Conservation Agents
    as MeSH id, ids many other drugs carry too: each drug is a concept of its own, labelled with its name."""
    drug = next(c for c in pipeline.lexicon.lookup(name) if c.type == "Drug")
    assert drug.curie != class_id and drug.label == name
    assert list(_dictionary_curies().values()).count(drug.curie) == 1


def test_drug_curies_keep_own_ids_and_replace_class_ids():
    from kg.extract.lexicon import drug_curies
    canon = {
        "sertraline": {"name": "Sertraline", "drugbank_id": "DB01104", "mesh_id": "D017367"},
        "azaserine": {"name": "Azaserine", "mesh_id": "D007166"},
        "thioinosine": {"name": "Thioinosine", "mesh_id": "D007166"},
        "bismuth": {"name": "Bismuth", "mesh_id": "D000863"},
        "aromatase inhibitors": {"name": "Aromatase Inhibitors", "mesh_id": "D047072"},
        "aromatase": {"name": "Aromatase", "mesh_id": "D047072"},
        "analgesics": {"name": "Analgesics", "mesh_id": "D010146"},
        "lucanthone": {"name": "Lucanthone", "mesh_id": "D008151"},
    }
    curated = {"MESH:D000863": {("antacid",)}, "MESH:D047072": {("aromatase", "inhibitor")},
               "MESH:D000700": {("analgesic",)}}
    assert drug_curies(canon, curated) == {
        "sertraline": "DRUGBANK:DB01104",
        "azaserine": "CKG:drug-azaserine", "thioinosine": "CKG:drug-thioinosine",
        "bismuth": "CKG:drug-bismuth",
        "aromatase inhibitors": "MESH:D047072", "aromatase": "CKG:drug-aromatase",
        "analgesics": "MESH:D000700",
        "lucanthone": "MESH:D008151",
    }


@pytest.mark.parametrize("term, curie, label", [
    ("SSRI", "MESH:D017367", "selective serotonin reuptake inhibitor"),
    ("DMARD", "MESH:D018501", "disease-modifying antirheumatic drugs"),
    ("antihypertensive", "MESH:D000959", "antihypertensive"),
    ("aromatase inhibitor", "MESH:D047072", "aromatase inhibitor"),
])
def test_curated_drug_concepts_carry_their_curated_labels(pipeline, term, curie, label):
    """A MeSH concept of the curated tables takes its curated label even where a drug of the dictionary created it
    first ("aromatase" carries D047072 there)."""
    first = pipeline.lexicon.lookup(term)[0]
    assert (first.curie, first.label) == (curie, label)


HPOA_SAMPLE = Path(__file__).parent.parent / "fixtures" / "hpoa" / "phenotype_sample.hpoa"


def test_rare_disease_names_from_hpo_annotations():
    rows = dict(rare_disease_names(HPOA_SAMPLE))
    assert rows["ORPHA:201"] == "Cowden syndrome"
    assert rows["ORPHA:558"] == "Marfan syndrome" and rows["OMIM:154700"] == "Marfan syndrome"
    assert rows["CKG:disease-noonan-syndrome"] == "Noonan syndrome"  # the family of "Noonan syndrome 1", "… 2"
    assert rows["CKG:disease-ehlers-danlos-syndrome"] == "Ehlers-danlos syndrome"  # "…, type I"
    assert "OMIM:163950" not in rows and "OMIM:613092" not in rows  # numbered names are their family's
    assert not any(c.startswith("DECIPHER:") for c in rows)
    order = [c for c, _ in rare_disease_names(HPOA_SAMPLE)]
    assert order.index("ORPHA:558") < order.index("OMIM:154700")  # Orphanet first: a shared name is Orphanet's


def test_rare_disease_names_report_a_missing_file(tmp_path):
    with pytest.raises(ResourceError, match="missing.hpoa"):
        rare_disease_names(tmp_path / "missing.hpoa")
