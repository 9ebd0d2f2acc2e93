"""Literature treatment claims built from real sentences of the two seed reports."""
from __future__ import annotations

import re
from pathlib import Path

from kg.extract.citations import find_markers
from kg.extract.claims import extract_claims, find_effect
from kg.extract.references import split_reference_list
from kg.model import Concept, Mention, Sentence

ROOT = Path(__file__).resolve().parents[2]
SEED_EN = (ROOT / "data" / "reports" / "000_5d4d30acd5d24a24.txt").read_text(encoding="utf-8")
SEED_FA = (ROOT / "data" / "reports" / "003_39e4350859975b31.txt").read_text(encoding="utf-8")

CALCINOSIS = Concept("HP:0003761", "Calcinosis", "Finding")
SSC = Concept("MONDO:0005100", "systemic sclerosis", "Condition")
INFLAMMATION = Concept("HP:0012649", "Increased inflammatory response", "Finding")
DRUGS = {
    "warfarin": Concept("DRUGBANK:DB00682", "warfarin", "Drug"),
    "colchicine": Concept("DRUGBANK:DB01394", "colchicine", "Drug"),
    "probenecid": Concept("DRUGBANK:DB01032", "probenecid", "Drug"),
    "bisphosphonate": Concept("CHEBI:22925", "bisphosphonate", "Drug"),
    "diltiazem": Concept("DRUGBANK:DB00343", "diltiazem", "Drug"),
    "minocycline": Concept("DRUGBANK:DB01017", "minocycline", "Drug"),
    "excision": Concept("NCIT:C15232", "excision", "Procedure"),
    "ccb": Concept("CHEBI:38215", "calcium channel blocker", "Drug"),
    "ivig": Concept("DRUGBANK:DB00028", "immunoglobulin", "Drug"),
    "infliximab": Concept("DRUGBANK:DB00065", "infliximab", "Drug"),
    "rituximab": Concept("DRUGBANK:DB00073", "rituximab", "Drug"),
    "eswl": Concept("NCIT:C15269", "lithotripsy", "Procedure"),
    "pamidronate": Concept("DRUGBANK:DB00282", "pamidronate", "Drug"),
}
EN_LEXICON = {
    "calcinosis": CALCINOSIS, "systemic sclerosis": SSC, "scleroderma": SSC, "inflammation": INFLAMMATION,
    "warfarin": DRUGS["warfarin"], "colchicine": DRUGS["colchicine"], "probenecid": DRUGS["probenecid"],
    "bisphosphonate": DRUGS["bisphosphonate"], "diltiazem": DRUGS["diltiazem"], "minocycline": DRUGS["minocycline"],
    "surgical excision": DRUGS["excision"], "immunoglobulin": DRUGS["ivig"], "infliximab": DRUGS["infliximab"],
    "rituximab": DRUGS["rituximab"], "lithotripsy": DRUGS["eswl"], "pamidronate": DRUGS["pamidronate"],
}
FA_LEXICON = {
    "کلسینوز": CALCINOSIS, "التهاب": INFLAMMATION, "کانال کلسیم": DRUGS["ccb"], "بیسفسوناتها": DRUGS["bisphosphonate"],
    "وارفارین": DRUGS["warfarin"], "کلشی سین": DRUGS["colchicine"], "مینوسیکلین": DRUGS["minocycline"],
    "ایمونوگلوبولین": DRUGS["ivig"], "اینفلکسیماب": DRUGS["infliximab"], "ریتوکسیماب": DRUGS["rituximab"],
    "لیتوتریپسی": DRUGS["eswl"], "دیلتیازم": DRUGS["diltiazem"], "پامیدرونات": DRUGS["pamidronate"],
}


def recognize(text: str) -> list[Concept]:
    """A stand-in recogniser: lexicon words found in ``text``, in text order."""
    low = text.lower()
    hits = sorted((m.start(), c) for w, c in EN_LEXICON.items() for m in re.finditer(re.escape(w), low))
    return [c for _, c in hits]


def _sentences(text: str, pieces: list[str], section: str, language: str) -> list[Sentence]:
    out = []
    for i, piece in enumerate(pieces):
        start = text.index(piece)
        out.append(Sentence(start, start + len(piece), piece, section, "discussion", language, i))
    return out


def _mentions(sentences: list[Sentence], lexicon: dict[str, Concept], subject: str = "patient") -> list[Mention]:
    out = []
    for s in sentences:
        for word, concept in lexicon.items():
            for m in re.finditer(re.escape(word), s.text, re.I):
                out.append(Mention(s.start + m.start(), s.start + m.end(), m.group(0), concept,
                                   subject=subject, section=s.section, sentence=s.index))
    return sorted(out, key=lambda m: m.start)


def _references(text: str):
    heading = re.search(r"^[#* ]*References\s*$", text, re.M)
    return split_reference_list(text, heading.end(), len(text))


def test_english_claim_sentence_gives_one_claim_per_agent():
    sentence = ("Treatment with warfarin, colchicine, probenecid, bisphosphonate, diltiazem, minocycline and "
                "surgical excision has been reported, with little effect [3].")
    other = "Calcinosis in scleroderma occurs in tissues affected by mechanical stress, hypovascularity and tissue hypoxia [3]"
    sentences = _sentences(SEED_EN, [other, sentence], "Discussion", "en")
    mentions = _mentions(sentences, EN_LEXICON)
    markers = find_markers(SEED_EN, sentences[0].start, sentences[-1].end, max_ref=5)
    claims = extract_claims("seed1", sentences, mentions, markers, _references(SEED_EN), recognize, None)
    assert [c.agent.label for c in claims] == [
        "warfarin", "colchicine", "probenecid", "bisphosphonate", "diltiazem", "minocycline", "excision"]
    for claim in claims:
        assert claim.cites == (3,)
        assert claim.effect == "little effect"
        assert claim.condition == CALCINOSIS  # from the title of reference 3, "Tumoral calcinosis in ..."
        assert not claim.inferred_citation
        assert claim.evidence.sentence == sentence
        assert SEED_EN[claim.evidence.start:claim.evidence.end] == sentence


def _persian_list():
    intro = "داروهای مختلفی نیز در درمان این عارضه مورد ارزیابی قرار گرفته اند که عبارتند از:"
    block = SEED_FA[SEED_FA.index(intro):SEED_FA.index("\nReferences")]
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    return lines


def test_persian_treatment_list_items_are_claims():
    lines = _persian_list()
    sentences = _sentences(SEED_FA, lines, "بحث", "fa")
    mentions = _mentions(sentences, FA_LEXICON, subject="literature")
    markers = find_markers(SEED_FA, sentences[0].start, sentences[-1].end, max_ref=22)
    claims = extract_claims("seed2", sentences, mentions, markers, _references(SEED_FA), recognize, CALCINOSIS)
    got = {c.agent.label: c for c in claims}
    assert {k: v.cites for k, v in got.items()} == {
        "calcium channel blocker": (6, 7), "bisphosphonate": (8, 9, 10), "warfarin": (11,), "colchicine": (12,),
        "minocycline": (13,), "immunoglobulin": (14,), "infliximab": (15,), "rituximab": (16, 17)}
    assert all(c.condition == CALCINOSIS for c in claims)
    assert got["rituximab"].inferred_citation and not got["warfarin"].inferred_citation
    assert got["rituximab"].effect == "regression"  # "Rituximab-induced regression of CREST-related calcinosis"
    assert got["rituximab"].evidence.sentence.endswith("ریتوکسیماب: تخلیه سلولهای B.")


def test_list_item_condition_comes_from_cited_titles_without_a_default():
    sentences = _sentences(SEED_FA, _persian_list(), "بحث", "fa")
    mentions = _mentions(sentences, FA_LEXICON, subject="literature")
    markers = find_markers(SEED_FA, sentences[0].start, sentences[-1].end, max_ref=22)
    claims = extract_claims("seed2", sentences, mentions, markers, _references(SEED_FA), recognize, None)
    got = {c.agent.label: c for c in claims}
    # item 5 names inflammation and calcinosis; its own text is the mechanism, the title of [15] the indication
    assert got["infliximab"].condition == CALCINOSIS
    assert got["warfarin"].condition == CALCINOSIS


def test_cited_procedure_sentence_in_persian():
    sentence = ("در تعدادی از مطالعات، نقش امواج شوک لیتوتریپسی اکستراکورپورال در کاهش اندازه و درد ناشی از "
                "کلسینوز نشان داده شده است (۱۸،۱۹).")
    sentences = _sentences(SEED_FA, [sentence], "بحث", "fa")
    mentions = _mentions(sentences, FA_LEXICON)
    markers = find_markers(SEED_FA, sentences[0].start, sentences[0].end, max_ref=22)
    (claim,) = extract_claims("seed2", sentences, mentions, markers, _references(SEED_FA), recognize, None)
    assert (claim.agent.label, claim.cites, claim.condition, claim.effect) == (
        "lithotripsy", (18, 19), CALCINOSIS, "reduction")


def test_patient_treatment_is_not_a_literature_claim():
    sentence = "بهعلت کلسینوز وسیع بیمار تحت درمان با داروهای دیلتیازم، پامیدرونات، کلشی سین و دوز کم وارفارین قرار گرفت."
    sentences = _sentences(SEED_FA, [sentence], "گزارش مورد", "fa")
    mentions = _mentions(sentences, FA_LEXICON, subject="patient")
    claims = extract_claims("seed2", sentences, mentions, (), _references(SEED_FA), recognize, CALCINOSIS)
    assert claims == ()


def test_effect_cues():
    assert find_effect("has been reported, with little effect [3].") == "little effect"
    assert find_effect("Successful treatment of calcinosis with infliximab") == "successful"
    assert find_effect("Diltiazem induces remission of calcinosis in scleroderma") == "remission"
    assert find_effect("warfarin had no effect on the lesions") == "no effect"
    assert find_effect("Arthritis in scleroderma") == ""
