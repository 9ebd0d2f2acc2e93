"""In-text citation markers and the sentences that carry them.

Markers: ``[3]``, ``[1,2]``, ``[8–10]``, ``years[1]``, ``(7, 6)``, ``(3)``, ``<sup>3</sup>``, Unicode superscript
digits, and Persian/Arabic-Indic digits with Persian separators, where a range may be written right to left
(``(۱۰-۸)`` is 8-10). A bracket that holds anything but numbers and separators is not a marker.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Sequence

from kg.resources import load_tsv, resource_path
from kg.extract.normalize import non_ascii_chars, normalize_for_matching
from kg.extract.sentences import char_offsets, matches_at
from kg.model import CitationContext, CitationMarker, Concept, Evidence, Mention, Sentence

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_NUM = r"\d{1,4}"
_ITEM = rf"{_NUM}(?:\s*-\s*{_NUM})?"
_LIST = re.compile(rf"^\s*{_ITEM}(?:\s*[,;]\s*{_ITEM})*\s*$")
_BRACKET = re.compile(r"\[([^\[\]\n]{1,80})\]|\(([^()\n]{1,80})\)|<sup>(.{1,80}?)</sup>")
_SUPERSCRIPT_DIGITS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹")  # what a _SUP_RUN opens with: a region without one is not searched
# One superscript digit, then the rest: a pattern that opens with a character set lets the engine skip ahead.
_SUP_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]*(?:\s?[,⁻\-]\s?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")
_WORD_END = re.compile(r"[^\W\d_][\w./]*+\Z")  # a word ending a stretch without white space
_ITEM_SEPARATOR = re.compile(r"[,;]")
_DIGITS = re.compile(r"\d+")
_PAGES_AFTER = re.compile(r"\s*:\s*[a-z]?\d")
MAX_RANGE = 50
MAX_UNBOUNDED = 999


@lru_cache(maxsize=1)
def _blockers() -> tuple[frozenset[str], frozenset[str]]:
    labels, units = set(), set()
    for row in load_tsv(resource_path("citation_blockers.tsv"), ("kind", "word"), allowed={"kind": {"label", "unit"}}):
        (labels if row["kind"] == "label" else units).add(normalize_for_matching(row["word"]))
    return frozenset(labels), frozenset(units)


def _numbers(content: str, max_ref: Optional[int]) -> Optional[tuple[int, ...]]:
    """Expanded, sorted reference numbers of a marker body, or None when it is not a citation."""
    if not _LIST.match(content):
        return None
    found: set[int] = set()
    for item in _ITEM_SEPARATOR.split(content):
        ends = [int(x) for x in _DIGITS.findall(item)]
        lo, hi = min(ends), max(ends)
        if hi - lo > MAX_RANGE:
            return None
        found.update(range(lo, hi + 1))
    limit = max_ref if max_ref is not None else MAX_UNBOUNDED
    if not found or min(found) < 1 or max(found) > limit:
        return None
    return tuple(sorted(found))


def _word_before(norm: str, pos: int) -> str:
    """The word that ends the 40 characters before ``pos`` (trailing white space ignored): a letter, then letters,
    digits, "." and "/"; "" when they end otherwise. It lies in their last white-space-separated chunk, so only
    that chunk is searched (a search of the whole stretch tries every position of it)."""
    chunks = norm[max(0, pos - 40):pos].rsplit(None, 1)
    m = _WORD_END.search(chunks[-1]) if chunks else None
    return m.group() if m else ""


def _at_line_start(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip(" \t*-•>#")


def _brackets(norm: str, start: int, end: int) -> list[re.Match]:
    """``_BRACKET.finditer(norm, start, end)``, tried only where a bracket opens: every alternative begins with
    "[", "(" or "<" (``char_offsets``)."""
    return matches_at(_BRACKET, norm, char_offsets("[(<", norm, start, end), end)


def find_markers(
    text: str, start: int = 0, end: Optional[int] = None, max_ref: Optional[int] = None,
    normalized: Optional[str] = None,
) -> tuple[CitationMarker, ...]:
    """Citation markers in ``text[start:end]``, in text order, with expanded reference numbers.

    With ``max_ref`` (the length of the reference list) a marker naming 0 or a number above it is rejected
    whole; without it numbers above 999 (years such as "(2010)") are. A bracket glued to a digit or followed by
    ":" and a page ("34(6): 805") is a volume's issue; one after "Figure"/"جدول" labels a figure or table. A
    superscript at the start of a line is a footnote or affiliation label, one after a digit or a unit ("m²")
    an exponent. Superscripts after author names are affiliations: pass ``start`` past the byline.
    ``normalized``: ``normalize_for_matching(text)`` when the caller has it already (one pass per document
    instead of one per section).
    """
    end = len(text) if end is None else end
    norm = normalize_for_matching(text) if normalized is None else normalized
    labels, units = _blockers()
    found: list[CitationMarker] = []
    for m in _brackets(norm, start, end):
        content = m.group(m.lastindex)  # each alternative of _BRACKET has one group
        is_sup = m.lastindex == 3
        if is_sup:
            content = content.translate(_SUPERSCRIPT)
            if re.fullmatch(r"\s*\[([^\]]*)\]\s*", content):
                content = content.strip()[1:-1]
        numbers = _numbers(content, max_ref)
        if numbers is None:
            continue
        before = _word_before(norm, m.start())
        if before in labels:
            continue
        if not is_sup and (norm[m.start() - 1: m.start()].isdigit() or _PAGES_AFTER.match(norm, m.end())):
            continue
        if is_sup and (_at_line_start(text, m.start()) or before in units or norm[m.start() - 1: m.start()].isdigit()):
            continue
        found.append(CitationMarker(m.start(), m.end(), text[m.start():m.end()], numbers))
    superscripts = () if text.isascii() or _SUPERSCRIPT_DIGITS.isdisjoint(non_ascii_chars(text[start:end])) \
        else _SUP_RUN.finditer(text, start, end)
    for m in superscripts:
        prev = text[m.start() - 1: m.start()]
        if prev.isdigit() or _at_line_start(text, m.start()) or _word_before(norm, m.start()) in units:
            continue
        numbers = _numbers(m.group(0).translate(_SUPERSCRIPT), max_ref)
        if numbers is not None:
            found.append(CitationMarker(m.start(), m.end(), m.group(0), numbers))
    found.sort(key=lambda c: (c.start, -c.end))
    kept: list[CitationMarker] = []
    for marker in found:
        if kept and marker.start < kept[-1].end:
            continue
        kept.append(marker)
    return tuple(kept)


def _inside(start: int, end: int, sentence: Sentence) -> bool:
    return sentence.start <= start and end <= sentence.end


def _mentions_in(sentence: Sentence, mentions: Sequence[Mention]) -> list[Mention]:
    return [
        m for m in mentions
        if (m.sentence == sentence.index and m.sentence >= 0) or (m.sentence < 0 and _inside(m.start, m.end, sentence))
    ]


def contexts(
    report: str, sentences: Sequence[Sentence], markers: Sequence[CitationMarker], mentions: Sequence[Mention]
) -> tuple[CitationContext, ...]:
    """One CitationContext per sentence holding at least one marker: the cited numbers, the markers' texts
    and the concepts mentioned in the sentence (first occurrence order, no repeats)."""
    out = []
    ordered = sorted(markers, key=lambda c: c.start)
    for sentence in sentences:
        inside = [c for c in ordered if _inside(c.start, c.end, sentence)]
        if not inside:
            continue
        cites = tuple(sorted({n for c in inside for n in c.numbers}))
        concepts: list[Concept] = []
        seen: set[str] = set()
        for mention in sorted(_mentions_in(sentence, mentions), key=lambda m: m.start):
            key = mention.concept.curie or mention.concept.label
            if key not in seen:
                seen.add(key)
                concepts.append(mention.concept)
        evidence = Evidence(
            report=report,
            section=sentence.section,
            sentence=sentence.text,
            start=sentence.start,
            end=sentence.end,
            language=sentence.language,
        )
        out.append(CitationContext(cites=cites, marker=" ".join(c.text for c in inside), evidence=evidence,
                                   concepts=tuple(concepts)))
    return tuple(out)
