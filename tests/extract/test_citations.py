"""Citation markers on the seed texts and on the marker forms the seeds and PubMed Central use."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.extract.citations import _BRACKET, _brackets, _word_before, contexts, find_markers
from kg.model import Concept, Mention, Sentence

ROOT = Path(__file__).resolve().parents[2]
SEED_EN = (ROOT / "data" / "reports" / "000_5d4d30acd5d24a24.txt").read_text(encoding="utf-8")
SEED_FA = (ROOT / "data" / "reports" / "003_39e4350859975b31.txt").read_text(encoding="utf-8")


def _body(text: str, first_heading: str) -> tuple[int, int]:
    start = text.index(first_heading)
    end = re.search(r"^[#* ]*References\s*$", text, re.M).start()
    return start, end


def test_english_seed_markers_in_body():
    start, end = _body(SEED_EN, "## Introduction")
    markers = find_markers(SEED_EN, start, end, max_ref=5)
    assert [m.numbers for m in markers] == [(1,), (2,), (3,), (2,), (4,), (5,), (3,)]
    assert [m.text for m in markers] == ["[1]", "[2]", "[3]", "[2]", "[4]", "[5]", "[3]"]
    for m in markers:
        assert SEED_EN[m.start:m.end] == m.text
    glued = markers[0]
    assert SEED_EN[glued.start - 5:glued.end] == "years[1]"
    assert "(Figure 1)" in SEED_EN[start:end] and "(DIP)" in SEED_EN[start:end]


def test_persian_seed_markers_expand_right_to_left_ranges():
    start = SEED_FA.index("Keywords")
    end = re.search(r"^References\s*$", SEED_FA, re.M).start()
    markers = find_markers(SEED_FA, start, end, max_ref=22)
    by_text = {m.text: m.numbers for m in markers}
    assert by_text["(۱۰-۸)"] == (8, 9, 10)
    assert by_text["(۸-۱۷،۶-۱۱)"] == tuple(range(6, 18))
    assert by_text["(۴،۳)"] == (3, 4)
    assert by_text["(۲۲،۴)"] == (4, 22)
    assert by_text["(۷،۶)"] == (6, 7)
    assert "(187)" not in by_text  # the journal issue in "30 (187): 166-172"
    assert all("تصویر" not in m.text for m in markers)
    cited = sorted({n for m in markers for n in m.numbers})
    assert cited == list(range(1, 23))


def test_reference_list_issue_numbers_are_not_markers():
    start = re.search(r"^References\s*$", SEED_FA, re.M).end()
    assert find_markers(SEED_FA, start) == ()


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("as shown [1,2].", [(1, 2)]),
        ("as shown [8-10].", [(8, 9, 10)]),
        ("as shown [8–10].", [(8, 9, 10)]),
        ("as reported (7, 6).", [(6, 7)]),
        ("as reported (3).", [(3,)]),
        ("calcinosis.<sup>3</sup> Next", [(3,)]),
        ("calcinosis<sup>1-3</sup> and", [(1, 2, 3)]),
        ("in calcinosis,¹⁻³ and", [(1, 2, 3)]),
        ("in calcinosis⁴ and", [(4,)]),
        ("در مطالعات (۴،۳) و", [(3, 4)]),
        ("در مطالعات (۱۰-۸) و", [(8, 9, 10)]),
        ("in 2010 (2010) a", []),
        ("see (Figure 1)", []),
        ("(۱۸-۴۹ درصد)", []),
        ("the (DIP) joint", []),
        ("an area of 3 m² was", []),
        ("see Figure (3) here", []),
        ("dose 10⁹/L", []),
        ("J 2005; 34(6): 805-812.", []),
        ("¹ Associate Professor", []),
    ],
)
def test_marker_forms(text, numbers):
    assert [m.numbers for m in find_markers(text, max_ref=22)] == numbers


def test_max_ref_rejects_the_whole_marker():
    assert find_markers("as shown [4,30].", max_ref=22) == ()
    assert find_markers("as shown [0].", max_ref=22) == ()
    assert [m.numbers for m in find_markers("as shown [4,30].")] == [(4, 30)]


def test_contexts_one_per_sentence_with_markers_and_concepts():
    text = "Calcinosis in scleroderma occurs [3]; see [2]. No citation here. Arthritis of the wrist [4]."
    s1 = Sentence(0, 45, text[0:45], "Discussion", "discussion", index=0)
    s2 = Sentence(46, 63, text[46:63], "Discussion", "discussion", index=1)
    s3 = Sentence(64, len(text), text[64:], "Discussion", "discussion", index=2)
    calc = Concept("HP:0003761", "Calcinosis", "Finding")
    ssc = Concept("MONDO:0005100", "systemic sclerosis", "Condition")
    arth = Concept("HP:0001369", "Arthritis", "Finding")
    mentions = [
        Mention(0, 10, "Calcinosis", calc, sentence=0),
        Mention(14, 25, "scleroderma", ssc, sentence=0),
        Mention(64, 73, "Arthritis", arth, sentence=2),
    ]
    markers = find_markers(text)
    ctx = contexts("r1", [s1, s2, s3], markers, mentions)
    assert [c.cites for c in ctx] == [(2, 3), (4,)]
    assert ctx[0].marker == "[3] [2]"
    assert ctx[0].concepts == (calc, ssc)
    assert ctx[1].concepts == (arth,)
    assert (ctx[1].evidence.report, ctx[1].evidence.start, ctx[1].evidence.end) == ("r1", 64, len(text))
    assert ctx[1].evidence.sentence == s3.text


def test_brackets_are_tried_where_they_open():
    text = ("Fig. 2 (see [3], table (1)) shows <sup>2,4</sup> and (unclosed [5 (6) \u2014 caf\u00e9 [7]\n(8)"
            " x(9)(10)")
    for start, end in ((0, len(text)), (5, len(text) - 3), (14, 30), (0, 0)):
        assert [m.span() for m in _brackets(text, start, end)] == \
            [m.span() for m in _BRACKET.finditer(text, start, end)]


@pytest.mark.parametrize("before,word", [("see Figure 3 ", ""), ("in Figure ", "figure"), ("reported by Smith et al. ", "al."),
                                         ("in m/s ", "m/s"), ("at 37\u00b0", ""), ("x", "x"), ("", ""),
                                         ("of the 2nd", "nd"), ("   ", "")])
def test_word_before_a_marker(before, word):
    text = before.lower() + "[1]"
    assert _word_before(text, len(before)) == word
