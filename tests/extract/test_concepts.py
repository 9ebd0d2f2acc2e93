"""Concept recognition on real sentences (from the GSC+ and case-report style): spans, ids and overlaps."""
from __future__ import annotations

from kg.extract.concepts import Tokens, recognize
from kg.model import Document


def _found(pipeline, text, kind=None):
    return [(text[m.start:m.end], m.concept.curie) for m in recognize(pipeline.lexicon, Tokens(text))
            if kind is None or m.concept.type == kind]


def test_phrases_with_articles_plurals_and_adjectives(pipeline):
    text = ("Physical examination revealed jaw cysts and calcification of the falx cerebri; MRI showed "
            "acoustic neuromas and renal cysts.")
    found = _found(pipeline, text)
    assert ("calcification of the falx cerebri", "HP:0005462") in found
    assert ("acoustic neuromas", "HP:0009588") in found
    assert ("renal cysts", "HP:0000107") in found
    assert ("motor delays", "HP:0001270") in _found(pipeline, "She had minor motor delays throughout infancy.")


def test_reordered_abnormality_phrase(pipeline):
    found = _found(pipeline, "A variety of ocular abnormalities are present in neurofibromatosis 2.")
    assert ("ocular abnormalities", "HP:0000478") in found


def test_longest_match_wins_within_a_group(pipeline):
    found = _found(pipeline, "She had sensorineural hearing loss since childhood.")
    ids = [i for _, i in found]
    assert "HP:0000407" in ids
    assert "HP:0000365" not in ids


def test_abbreviation_defined_in_text_is_applied_later(pipeline):
    text = "She was diagnosed with systemic lupus erythematosus (SLE). Later, SLE flared."
    found = _found(pipeline, text)
    long_ids = {i for t, i in found if t == "systemic lupus erythematosus"}
    assert long_ids
    later = [(t, i) for t, i in found if t == "SLE"]
    assert later and all(i in long_ids for _, i in later)


def test_offsets_point_into_the_original_text(pipeline):
    text = "Haemorrhage\u2013free; no oedema."
    found = recognize(pipeline.lexicon, Tokens(text))
    assert all(0 <= m.start < m.end <= len(text) for m in found)
    assert ("oedema", "HP:0000969") in _found(pipeline, text)


def test_coordinated_modifiers_share_the_head(pipeline):
    found = _found(pipeline, "The boy had a short and broad neck and iris and chorioretinal coloboma.")
    assert ("short", "HP:0000470") in found
    assert ("broad neck", "HP:0000475") in found
    assert ("iris", "HP:0000612") in found
    assert ("chorioretinal coloboma", "HP:0000567") in found


def test_gapped_coordination_reads_each_conjunct_with_the_shared_words(pipeline):
    text = "Brain MRI showed moderate dilatation of the third and lateral ventricles."
    found = _found(pipeline, text)
    phrase = "dilatation of the third and lateral ventricles"
    assert (phrase, "HP:0007082") in found  # Dilated third ventricle, read over "and lateral"
    assert (phrase, "HP:0006956") in found  # Lateral ventricle dilatation, read over "third and"
    assert ("Enlarged and dysmorphic lateral ventricles", "HP:0006956") in _found(
        pipeline, "Enlarged and dysmorphic lateral ventricles were seen on MRI.")
    assert ("pain and swelling of the left knee", "HP:0030839") in _found(
        pipeline, "She reported pain and swelling of the left knee.")


def test_gapped_coordination_needs_parallel_conjuncts(pipeline):
    found = _found(pipeline, "X-rays showed short metacarpals and a slight leg length inequality.")
    assert all(i != "HP:0006385" for _, i in found)  # no Short lower limbs over "metacarpals and a slight"
    found = _found(pipeline, "Radiographs showed bowed long bones and broad ribs.")
    assert all(t != "bones and broad ribs" for t, _ in found)


def test_rare_diseases_are_grounded_and_keep_the_phenotypes_they_name(pipeline):
    found = _found(pipeline, "She was diagnosed with Cowden syndrome and hypermobile Ehlers–Danlos syndrome.")
    assert ("Cowden syndrome", "ORPHA:201") in found
    assert ("hypermobile Ehlers–Danlos syndrome", "ORPHA:285") in found
    found = _found(pipeline, "Her father had Ehlers-Danlos syndrome.")
    assert ("Ehlers-Danlos syndrome", "CKG:disease-ehlers-danlos-syndrome") in found  # the family, no subtype
    found = _found(pipeline, "The phenotype of basal cell nevus syndrome was reported.")
    assert ("basal cell nevus", "HP:0002671") in found  # the disease named after a phenotype leaves it to HPO
    found = _found(pipeline, "The child had Smith-Magenis syndrome and neonatal hypotonia.")
    assert ("Smith-Magenis syndrome", "ORPHA:819") in found
    found = _found(pipeline, "He was referred for hereditary angioedema type 1.")
    assert ("hereditary angioedema type 1", "ORPHA:100050") in found
    assert ("angioedema", "HP:0100665") in found  # the phenotype inside the disease's name is kept


def test_latin_plurals_name_their_singular(pipeline):
    assert ("shallow acetabuli", "HP:0003182") in _found(pipeline, "The pelvis had flat and shallow acetabuli.")
    assert ("long lashes", "HP:0000527") in _found(pipeline, "She had long lashes and a high palate.")


def test_coordination_over_a_comma_list(pipeline):
    found = _found(pipeline, "Radiographs of the cervical, thoracic, and lumbar spine were normal.")
    assert [t for t, _ in found if t in ("cervical", "thoracic")] == ["cervical", "thoracic"]


def test_a_match_does_not_cross_a_comma(pipeline):
    found = _found(pipeline, "She had short stature, mild learning difficulties and seizures.")
    assert ("short stature", "HP:0004322") in found
    assert all(i != "HP:0003502" for _, i in found)  # "Short stature, mild" is HPO's inverted synonym


def test_modifier_words_inside_a_term_are_skipped(pipeline):
    found = _found(pipeline, "The newborn showed neonatal severe hypotonia.")
    assert ("neonatal severe hypotonia", "HP:0001319") in found
    found = _found(pipeline, "She had weakness of the left leg and paresthesia of the right hand.")
    assert ("weakness of the left leg", "HP:0007340") in found  # an article and a side in a row
    assert ("paresthesia of the right hand", "HP:0033660") in found


def test_adjective_forms_and_reversed_order(pipeline):
    found = _found(pipeline, "On examination he was hypotonic, with weakness of the legs and a hypoplastic kidney.")
    assert ("hypotonic", "HP:0001252") in found
    assert ("weakness of the legs", "HP:0007340") in found
    assert ("hypoplastic kidney", "HP:0000089") in found


def test_organ_adjective_does_not_end_a_phenotype(pipeline):
    found = _found(pipeline, "CT showed hypoplasia of the mandibular condyles.")
    assert all(i != "HP:0000347" and i != "HP:0000303" for _, i in found)


def test_equal_forms_resolve_to_the_more_general_term(pipeline):
    found = _found(pipeline, "Both had ear anomalies and multiple naevi.")
    assert ("ear anomalies", "HP:0000598") in found
    assert ("multiple naevi", "HP:0001054") in found


def test_generic_head_nouns_name_the_abnormality_terms(pipeline):
    found = _found(pipeline, "The boy had renal defects, cardiac malformations and neurological signs.")
    assert ("renal defects", "HP:0000077") in found
    assert ("cardiac malformations", "HP:0001627") in found
    assert ("neurological signs", "HP:0000707") in found


def test_neutral_head_nouns_and_the_phenotype_root_name_no_abnormality(pipeline):
    found = _found(pipeline, "Her facial features, brain findings and other phenotypic abnormalities are listed; "
                             "dysmorphic facial features were noted.")
    ids = {i for _, i in found}
    assert not ids & {"HP:0000271", "HP:0012443", "HP:0000118"}
    assert ("dysmorphic facial features", "HP:0001999") in found


def test_hyphenated_prefix_and_like_forms(pipeline):
    found = _found(pipeline, "She had pre-auricular pits and a shield-like chest.")
    assert ("pre-auricular pits", "HP:0004467") in found
    assert ("shield-like chest", "HP:0000914") in found


def test_noun_forms_of_adjective_terms_and_of_order(pipeline):
    found = _found(pipeline, "Radiographs showed patellar dysplasia; echocardiography showed hypoplasia of the "
                             "left ventricle and an abnormal clavicular shape.")
    assert ("patellar dysplasia", "HP:0006446") in found
    assert ("hypoplasia of the left ventricle", "HP:0004383") in found
    assert ("abnormal clavicular shape", "HP:0000889") in found


def test_coordinated_of_phrase_distributes_its_head(pipeline):
    found = _found(pipeline, "There was aplasia of the radius and ulna.")
    assert ("aplasia of the radius", "HP:0003974") in found
    assert ("ulna", "HP:0003982") in found


def test_modifier_is_stepped_over_even_where_the_term_tree_continues(pipeline):
    found = _found(pipeline, "Laboratory tests showed increased serum IgG levels.")
    assert ("increased serum IgG levels", "HP:0003237") in found


def test_a_comma_alone_does_not_coordinate(pipeline):
    found = _found(pipeline, "She had soft, doughy skin, skin fragility and easy bruising.")
    assert ("skin fragility", "HP:0001030") in found
    assert all(not (t == "skin" and i.startswith("HP:")) for t, i in found)


def test_token_columns_are_the_token_spans_of_any_script():
    from kg.extract.concepts import token_columns
    from kg.extract.lexicon import stem
    from kg.extract.normalize import normalize_for_matching, token_spans
    texts = ["Renal cysts (bilateral); no hepatomegaly.", "Ca2+ \u2191 \u2192 1.2\u00a0mmol/L, snake_case",
             "\u03b2-thalassaemia and caf\u00e9-au-lait macules", "hypo\u00adpigmentation of the skin",
             "\u0628\u06cc\u0645\u0627\u0631 \u062a\u0628 \u062f\u0627\u0634\u062a.", "", "  ", "x",
             "\u00c9t\u00e9: 5 \u00b5g of \u03b1-fetoprotein\u2014na\u00efve",  # a few non-ASCII letters
             "\x01 caf\u00e9",  # the stand-in character itself in the text
             "\u03b1\u03b2\u03b3\u03b4\u03b5 \u03b6\u03b7\u03b8\u03b9\u03ba \u03bb\u03bc\u03bd\u03be\u03bf, "
             "\u03c0\u03c1 x"]  # more distinct non-ASCII letters than are stood in for
    for text in texts:
        spans = token_spans(normalize_for_matching(text))
        starts, ends, words = token_columns(normalize_for_matching(text))
        assert list(zip(starts, ends, words)) == spans and len(starts) == len(ends) == len(words) == len(spans)
        assert Tokens(text).spans == [(s, e, stem(w)) for s, e, w in spans]
    assert Tokens("\u03b2-thalassaemia").keys == ["beta", "thalassemia"]


def test_token_breaks_are_the_break_positions_of_any_text():
    from kg.extract.lexicon import break_positions
    texts = ["short stature, mild (severe) cases; a:b [c] d", "(leading) and trailing,", ", ;x", "", "  ", "x",
             "caf\u00e9-au-lait (\u03b2-thalassaemia), na\u00efve: 5 \u00b5g",  # a few non-ASCII letters
             "hypo\u00adpigmentation (skin), eyes",  # a soft hyphen
             "\u03b1\u03b2\u03b3\u03b4\u03b5 \u03b6\u03b7\u03b8\u03b9\u03ba, "
             "\u03bb\u03bc\u03bd\u03be\u03bf (\u03c0\u03c1) x",  # more non-ASCII letters than are stood in for
             "\u0628\u06cc\u0645\u0627\u0631\u060c x: y",  # an Arabic comma: read as written, no break
             "fever\u060c cough; rash"]
    for text in texts:
        tokens = Tokens(text)
        assert tokens.breaks == break_positions(text, tokens.starts), text
    tokens = Tokens("fever\u060c cough; rash")
    assert tokens.breaks == {2}


def test_sentence_windows_share_one_token_scan(pipeline):
    text = "She had hearing. Loss of vision and renal cysts were noted."
    cut = text.index("Loss")
    tokens = Tokens(text)
    first = recognize(pipeline.lexicon, tokens, 0, cut)
    second = recognize(pipeline.lexicon, tokens, cut, len(text))
    assert all(m.end <= cut for m in first) and all(m.start >= cut for m in second)
    assert "HP:0000365" not in [m.concept.curie for m in first + second]  # "hearing. Loss" crosses the window
    assert ("renal cysts", "HP:0000107") in [(text[m.start:m.end], m.concept.curie) for m in second]
    fresh = recognize(pipeline.lexicon, Tokens(text), cut, len(text))
    assert [(m.start, m.end, m.concept.curie) for m in second] == [(m.start, m.end, m.concept.curie) for m in fresh]


def test_short_capital_forms_match_only_as_written(pipeline):
    assert ("US", "RADLEX:RID10326") in _found(pipeline, "Abdominal US showed a cyst.")
    assert all(i != "RADLEX:RID10326" for _, i in _found(pipeline, "Let us see the cyst."))



def test_inverted_and_bracketed_hpo_synonyms_meet_running_text(pipeline):
    text = "At age 30 years, she had her first generalized tonic-clonic seizure."
    assert ("generalized tonic-clonic seizure", "HP:0002069") in _found(pipeline, text)
    found = _found(pipeline, "She had her first generalized, tonic-clonic seizure.")
    assert ("tonic-clonic seizure", "HP:0002069") in found
    assert "HP:0020221" not in [i for _, i in found]  # not Clonic seizure from inside "tonic-clonic"


def test_plural_mention_of_a_term_hpo_names_in_the_plural(pipeline):
    text = "Also observed were cafe au lait macules in 12 patients and lipomas in 11 patients (34%)."
    found = _found(pipeline, text)
    assert ("lipomas", "HP:0001012") in found
    assert ("cafe au lait macules", "HP:0000957") in found
    assert ("lipoma", "HP:0012032") in _found(pipeline, "A lipoma was removed from the back.")


def test_a_coordinated_conjunct_of_several_words(pipeline):
    text = "The types most suggestive are plaque-like posterior subcapsular or capsular cataract."
    found = _found(pipeline, text)
    assert ("posterior subcapsular", "HP:0007787") in found
    assert ("capsular cataract", "HP:0100017") in found
    assert "HP:0000523" not in [i for _, i in found]


def test_no_problem_match_starts_on_a_word_hyphenated_to_a_negating_prefix(pipeline):
    found = _found(pipeline, "There was muscle wasting and pseudo-atrophy of skin above affected bones.")
    assert "HP:0004334" not in [i for _, i in found]
    found = _found(pipeline, "She was treated with anti-epilepsy medications.")
    assert "HP:0001250" not in [i for _, i in found]
    assert "HP:0001250" in [i for _, i in _found(pipeline, "She was treated for epilepsy.")]
    found = _found(pipeline, "The non-neoplastic remainder of the liver showed fibrosis.")
    assert "HP:0002664" not in [i for _, i in found] and ("liver", "UBERON:0002107") in found
    assert ("pre-auricular pit", "HP:0004467") in _found(pipeline, "He had a pre-auricular pit.")


def test_everyday_wordings_of_hpo_terms(pipeline):
    found = _found(pipeline, "Two very preterm infants had skin lesions and occult spina bifida at L5.")
    assert ("preterm infants", "HP:0001622") in found
    assert ("skin lesions", "HP:0011355") in found
    assert ("occult spina bifida", "HP:0003298") in found


def test_site_finding_in_the_in_order(pipeline):
    found = _found(pipeline, "There was bleeding in the brain and pain in the elbow.")
    assert ("bleeding in the brain", "HP:0001342") in found
    assert ("pain in the elbow", "HP:0030835") in found


def test_coordinated_in_phrase_closed_by_and(pipeline):
    found = _found(pipeline, "She presented with pain in the elbow, fingers and toes, and extensive calcinosis.")
    assert ("pain in the elbow", "HP:0030835") in found
    assert ("fingers", "HP:0030837") in found
    assert ("toes", "HP:0030841") in found


def test_comma_joined_conjunct_needs_a_closing_conjunction(pipeline):
    found = _found(pipeline, "She had pain in the elbow, fingers swollen since May.")
    assert ("pain in the elbow", "HP:0030835") in found
    assert not any(i == "HP:0030837" for _, i in found)


def test_no_problem_inside_the_name_of_a_test(pipeline):
    found = _found(pipeline, "His Glasgow Coma Scale score was 14 and a bone marrow aspiration was performed.")
    ids = {i for _, i in found}
    assert "CKG:glasgow-coma-scale" in ids
    assert not any(t in ("Coma", "aspiration") for t, _ in found)


def _sites(pipeline, text):
    return _found(pipeline, text, "AnatomicalSite")


def test_site_that_opens_a_finding_or_test_is_its_own_mention(pipeline):
    text = ("She presented with severe abdominal pain; a chest X-ray was normal and a lung biopsy showed "
            "a pulmonary nodule.")
    found = _found(pipeline, text)
    assert ("abdominal pain", "HP:0002027") in found
    assert ("chest X-ray", "RADLEX:RID10345") in found
    sites = _sites(pipeline, text)
    assert ("abdominal", "UBERON:0000916") in sites
    assert ("chest", "UBERON:0001443") in sites
    assert ("lung", "UBERON:0002048") in sites
    assert ("pulmonary", "UBERON:0002048") in sites


def test_no_site_inside_a_lexicalised_term_a_lab_test_or_a_drug(pipeline):
    text = ("He had congestive heart failure, atrial fibrillation and coronary artery disease; liver enzymes and "
            "heart rate were normal on oral iron.")
    found = _found(pipeline, text)
    assert any(t == "congestive heart failure" for t, _ in found)
    assert any(t == "coronary artery disease" for t, _ in found)
    assert _sites(pipeline, text) == []


def test_nested_site_is_the_body_site_of_the_finding(pipeline):
    from kg.model import Document
    ex = pipeline.extract(Document(doc_id="r1", source="r1.txt", format="text",
                                   text="Case presentation\nA 50-year-old man presented with abdominal pain and fever.\n"))
    pain = next(o for o in ex.observations if o.concept.curie == "HP:0002027")
    assert [c.curie for c in pain.body_sites] == ["UBERON:0000916"]


def test_a_route_word_alone_is_no_site_but_opens_a_sited_finding(pipeline):
    text = "She was started on oral prednisolone 40 mg daily for her oral ulcers."
    sites = _sites(pipeline, text)
    assert sites == [("oral", "UBERON:0000165")]
    assert text.index("oral ulcers") == next(m.start for m in recognize(pipeline.lexicon, Tokens(text))
                                             if m.concept.type == "AnatomicalSite")


def test_anatomy_word_inside_a_proper_name_is_no_site(pipeline):
    text = "He was in New York Heart Association class II and staged by the American Joint Committee on Cancer."
    assert _sites(pipeline, text) == []
    assert _sites(pipeline, "Cardiac examination was normal.") == [("Cardiac", "UBERON:0000948")]


def test_region_adjectives_of_organs_name_the_organ_site(pipeline):
    text = "CT showed perihepatic fluid, an intraduodenal polyp and para-aortic lymph nodes; no intravenous line."
    sites = _sites(pipeline, text)
    assert ("perihepatic", "UBERON:0002107") in sites
    assert ("intraduodenal", "UBERON:0002114") in sites
    assert any(t.startswith("para-aortic") for t, _ in sites)
    assert not any("intravenous" in t for t, _ in sites)


def test_a_state_code_closing_an_address_is_no_abbreviation(pipeline):
    text = "Images were captured with a CCD camera (Diagnostic Instruments, Sterling Heights, MI)."
    assert ("MI", "HP:0001658") not in _found(pipeline, text)
    text = "Biopsies were stained with antibodies from Sigma (St. Louis, MS, USA)."
    assert not any(t == "MS" for t, _ in _found(pipeline, text))
    assert ("MI", "HP:0001658") in _found(pipeline, "He had hypertension, MI, and a stroke.")
    assert ("MI", "HP:0001658") in _found(pipeline, "Risk factors: Smoking, MI, diabetes.")


def test_renal_impairment_and_electrolyte_imbalance_are_findings(pipeline):
    found = _found(pipeline, "He developed renal impairment, which worsened his electrolyte imbalance.")
    assert ("renal impairment", "HP:0000083") in found
    assert ("electrolyte imbalance", "HP:0003111") in found
    assert ("Impaired renal function", "HP:0000083") in _found(pipeline, "Impaired renal function was noted.")


def test_a_short_form_defined_in_the_text_holds_to_its_end(pipeline):
    text = ("Severe mitral regurgitation (MR) was found on echocardiography. Two years later the MR recurred. "
            "A moderately dilated left ventricle (LV) was seen; the LV was hypokinetic.")
    found = _found(pipeline, text)
    assert found.count(("MR", "HP:0001653")) == 2
    assert ("MR", "RADLEX:RID10312") not in found
    assert found.count(("LV", "UBERON:0002084")) == 2


def test_a_short_form_whose_long_form_names_no_concept_drops_the_lexicons_reading(pipeline):
    text = "Identity by descent (IBD) was calculated with PLINK. The IBD segments were long."
    assert not any(t == "IBD" for t, _ in _found(pipeline, text))
    text = "The patient had ST-segment elevation myocardial infarction (STEMI). STEMI was treated."
    assert sum(t == "STEMI" for t, _ in _found(pipeline, text)) == 2
    assert any(t == "IBD" for t, _ in _found(pipeline, "He had IBD since childhood."))


def test_a_short_form_defined_in_a_sentence_is_read_in_the_rest_of_it(pipeline):
    text = "He had a ventricular septal defect (VSDef), and the VSDef was closed."
    assert _found(pipeline, text).count(("VSDef", "HP:0001629")) == 2
    text = "Renal biopsy showed focal segmental glomerulosclerosis (FSGS); the FSGS was primary."
    assert _found(pipeline, text).count(("FSGS", "HP:0000097")) == 2


def test_lobar_atrophy_in_a_coordination(pipeline):
    found = _found(pipeline, "Brain MRI showed a diffuse cortical and subcortical atrophy and frontal and temporal "
                             "atrophy.")
    assert {i for _, i in found if i.startswith("HP:")} >= {"HP:0002120", "HP:0012157", "HP:0006913", "HP:0007112"}


def test_hypersensitivity_is_not_an_emotional_trait(pipeline):
    """HPO lists "Hypersensitivity" and "Highly sensitive" as synonyms of Emotional hypersensitivity; in reports they
    name allergic reactions and sensitive assays (kg/resources/lexicon_exclusions.tsv)."""
    found = _found(pipeline, "She had hypersensitivity to penicillin. A highly sensitive assay found the variant.")
    assert "HP:0041092" not in {i for _, i in found}


def test_marker_expression_of_an_assay_is_no_phenotype(pipeline):
    """HPO's "Marker expression" (a biospecimen feature) names the readout of research assays."""
    found = _found(pipeline, "Quantification of cell surface marker expression showed sustained CD34 expression.")
    assert "HP:0430091" not in {i for _, i in found}


def test_a_short_form_the_lexicon_does_not_read_is_read_in_the_later_sentences(pipeline):
    """A short form defined in one sentence ("holoprosencephaly (HPE)") that the lexicon does not know is read in
    every later sentence, with a word before it that makes a term with its long form ("semilobar HPE": Semilobar
    holoprosencephaly); one defined as a drug, most often a gene's or a protein's, is not."""
    text = ("Case presentation\nThe infant had holoprosencephaly (HPE). MRI confirmed semilobar HPE. The HPE was "
            "severe.\n")
    rows = pipeline.annotate(Document(doc_id="h", source="h.txt", text=text, format="text"))
    assert [(r["text"], r["id"]) for r in rows if r["type"] == "Finding"] == [
        ("holoprosencephaly", "HP:0001360"), ("HPE", "HP:0001360"), ("semilobar HPE", "HP:0002507"),
        ("HPE", "HP:0001360")]
    text = "Case presentation\nWe found a variant of presenilin 2 (PSEN2). The PSEN2 variant was novel.\n"
    rows = pipeline.annotate(Document(doc_id="p", source="p.txt", text=text, format="text"))
    assert [r["text"] for r in rows if r["start"] > text.index("The PSEN2")] == []


def test_a_short_form_the_lexicon_reads_takes_the_words_before_it_too(pipeline):
    text = "Echocardiography showed an atrial septal defect (ASD). Closure of the secundum ASD was planned."
    tokens = Tokens(text)
    later = text.index("Closure")
    recognize(pipeline.lexicon, tokens, 0, later)
    found = [(text[m.start:m.end], m.concept.curie) for m in recognize(pipeline.lexicon, tokens, later, len(text))]
    assert found == [("secundum ASD", "HP:0001684")]


def test_a_short_form_defined_before_a_semicolon_in_its_bracket(pipeline):
    text = "Case presentation\nHoloprosencephaly (HPE; MIM: 236100) was suspected. MRI showed alobar HPE.\n"
    rows = pipeline.annotate(Document(doc_id="h", source="h.txt", text=text, format="text"))
    assert [(r["text"], r["id"]) for r in rows if r["type"] == "Finding"] == [
        ("Holoprosencephaly", "HP:0001360"), ("HPE", "HP:0001360"), ("alobar HPE", "HP:0006988")]
