"""Literature treatment claims: what a report says the cited papers report about an agent for a condition.

A claim sentence is attributed to the literature (it carries citation markers, its mentions have subject
"literature", or it is an item of a list whose introduction or siblings are), names treatment agents (Drug or
Procedure concepts) and holds a treatment or effect cue from kg/resources/claim_cues.tsv. Each agent gets one
claim. Reference titles, read with the caller's ``recognize``, supply the condition when the sentence names none
and the citations of a list item that has no marker ("۶- ریتوکسیماب: ...": ``inferred_citation=True``).
A list item's own text after "agent:" states a mechanism, so its condition and effect come first from the
list's introduction and the cited titles.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Optional

from kg.resources import load_tsv, resource_path
from kg.extract.normalize import normalize_for_matching
from kg.model import CitationMarker, Concept, Evidence, Mention, Reference, Sentence, TreatmentClaim

AGENT_TYPES = frozenset({"Drug", "Procedure"})
CONDITION_TYPES = frozenset({"Condition", "Finding"})
KINDS = ("treatment", "literature", "list_intro", "effect")
_LIST_ITEM = re.compile(r"^\s*(?:(?:[-*•+]\s*)?\d{1,2}\s*[-.)]\s*)+|^\s*[-*•+]\s+")
_BARE_ENUMERATOR = re.compile(r"^\s*(?:[-*•+]\s*)?(?:\d{1,2}\s*[-.)]?\s*)?$")

Recognizer = Callable[[str], list[Concept]]


class _Cue:
    __slots__ = ("pattern", "value", "length")

    def __init__(self, cue: str, value: str, language: str):
        norm = normalize_for_matching(cue)
        body = re.escape(norm).replace(r"\ ", r"\s+")
        if language == "en":
            body = rf"(?<![^\W_]){body}(?![^\W_])"
        self.pattern = re.compile(body)
        self.value = value
        self.length = len(norm)


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[_Cue, ...]]:
    table: dict[str, list[_Cue]] = {kind: [] for kind in KINDS}
    rows = load_tsv(resource_path("claim_cues.tsv"), ("kind", "cue", "value", "language"),
                    allowed={"kind": set(KINDS)})
    for row in rows:
        table[row["kind"]].append(_Cue(row["cue"], row["value"], row["language"]))
    return {kind: tuple(cues) for kind, cues in table.items()}


def _has(kind: str, norm: str) -> bool:
    return any(c.pattern.search(norm) for c in _cues()[kind])


def find_effect(text: str) -> str:
    """The normalised effect named in ``text`` ("little effect", "remission", ...), or "" when none is.

    Of overlapping cues the longest wins ("little effect" over "effect"); of the rest the first in the text.
    """
    norm = normalize_for_matching(text)
    hits = []
    for cue in _cues()["effect"]:
        for m in cue.pattern.finditer(norm):
            hits.append((m.start(), m.end(), cue.value))
    kept = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0]) for o in hits)]
    return min(kept)[2] if kept else ""


def _inside(start: int, end: int, sentence: Sentence) -> bool:
    return sentence.start <= start and end <= sentence.end


def _key(concept: Concept) -> str:
    return concept.curie or concept.label.casefold()


def _unique(concepts: Sequence[Concept]) -> list[Concept]:
    seen: set[str] = set()
    out = []
    for concept in concepts:
        if _key(concept) not in seen:
            seen.add(_key(concept))
            out.append(concept)
    return out


def _choose(candidates: Sequence[Concept], default: Optional[Concept]) -> Optional[Concept]:
    """The report's main condition when the candidates name it, else the first candidate."""
    if default is not None and any(_key(c) == _key(default) for c in candidates):
        return default
    return candidates[0] if candidates else None


class _Titles:
    """Concepts named in each reference title, recognised once per reference."""

    def __init__(self, references: Sequence[Reference], recognize: Recognizer):
        self.by_number = {r.number: r for r in references if r.number is not None}
        self.recognize = recognize
        self.cache: dict[int, list[Concept]] = {}

    def concepts(self, number: int) -> list[Concept]:
        if number not in self.cache:
            ref = self.by_number.get(number)
            self.cache[number] = list(self.recognize(ref.title)) if ref is not None and ref.title else []
        return self.cache[number]

    def naming(self, agent: Concept) -> tuple[int, ...]:
        return tuple(sorted(n for n in self.by_number if any(_key(c) == _key(agent) for c in self.concepts(n))))

    def conditions(self, numbers: Sequence[int]) -> list[Concept]:
        """Conditions named in these titles: the most often named first, ties in order of first appearance."""
        counts: dict[str, int] = {}
        first: dict[str, tuple[int, int]] = {}
        concept_of: dict[str, Concept] = {}
        for i, number in enumerate(numbers):
            for j, concept in enumerate(_unique([c for c in self.concepts(number) if c.type in CONDITION_TYPES])):
                k = _key(concept)
                counts[k] = counts.get(k, 0) + 1
                first.setdefault(k, (i, j))
                concept_of.setdefault(k, concept)
        return [concept_of[k] for k in sorted(counts, key=lambda k: (-counts[k], first[k]))]


def _list_membership(sentences: Sequence[Sentence], norms: Sequence[str]) -> dict[int, int]:
    """For each sentence inside a list introduced by a treatment line ending in ":", the position of that line."""
    member: dict[int, int] = {}
    intro: Optional[int] = None
    for pos, (sentence, norm) in enumerate(zip(sentences, norms)):
        if intro is not None:
            same_section = sentence.section == sentences[intro].section
            if same_section and (_LIST_ITEM.match(norm) or _BARE_ENUMERATOR.match(norm)):
                member[pos] = intro
                continue
            intro = None
        if norm.rstrip().endswith(":") and (_has("treatment", norm) or _has("list_intro", norm)):
            intro = pos
    return member


def extract_claims(
    report: str,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    markers: Sequence[CitationMarker],
    references: Sequence[Reference],
    recognize: Recognizer,
    default_condition: Optional[Concept],
) -> tuple[TreatmentClaim, ...]:
    """Treatment claims of one report, in text order (one per agent and sentence).

    ``recognize(text)`` returns the concepts named in a string (used on reference titles); ``default_condition``
    is the report's main condition: preferred whenever the sentence or the cited titles name it, and used when
    neither names any condition.
    """
    ordered = sorted(sentences, key=lambda s: s.start)
    norms = [normalize_for_matching(s.text) for s in ordered]
    in_sentence: list[list[Mention]] = [[] for _ in ordered]
    index_of = {s.index: pos for pos, s in enumerate(ordered)}
    for mention in sorted(mentions, key=lambda m: m.start):
        pos = index_of.get(mention.sentence) if mention.sentence >= 0 else None
        if pos is None or not _inside(mention.start, mention.end, ordered[pos]):
            pos = next((p for p, s in enumerate(ordered) if _inside(mention.start, mention.end, s)), None)
        if pos is not None:
            in_sentence[pos].append(mention)
    cited: list[tuple[int, ...]] = [
        tuple(sorted({n for c in markers if _inside(c.start, c.end, s) for n in c.numbers})) for s in ordered
    ]
    lists = _list_membership(ordered, norms)
    literature_lists = {
        intro for pos, intro in lists.items()
        if cited[pos] or any(m.subject == "literature" for m in in_sentence[pos])
    } | {intro for intro in set(lists.values()) if _has("literature", norms[intro])}
    titles = _Titles(references, recognize)

    claims: list[TreatmentClaim] = []
    for pos, sentence in enumerate(ordered):
        here = in_sentence[pos]
        intro = lists.get(pos)
        literature = bool(cited[pos]) or any(m.subject == "literature" for m in here) or (
            intro is not None and intro in literature_lists)
        if not literature:
            continue
        norm = norms[pos]
        if not (intro is not None or _has("treatment", norm) or _has("effect", norm)):
            continue
        mixed = any(m.subject == "literature" for m in here)
        agents = _unique([m.concept for m in here if m.concept.type in AGENT_TYPES
                          and not (mixed and m.subject == "patient")])
        if not agents:
            continue
        conditions = _unique([m.concept for m in here if m.concept.type in CONDITION_TYPES and not m.negated])
        intro_conditions = _unique([m.concept for m in in_sentence[intro]
                                    if m.concept.type in CONDITION_TYPES and not m.negated]) if intro is not None else []
        sentence_effect = find_effect(sentence.text)
        evidence = Evidence(report=report, section=sentence.section, sentence=sentence.text,
                            start=sentence.start, end=sentence.end, language=sentence.language)
        for agent in agents:
            cites, inferred = cited[pos], False
            if not cites:
                cites = titles.naming(agent)
                inferred = bool(cites)
            naming = tuple(n for n in cites if any(_key(c) == _key(agent) for c in titles.concepts(n)))
            title_conditions = titles.conditions(naming or cites)
            condition = None
            if intro is None:
                condition = _choose(conditions, default_condition)
            elif default_condition is not None and any(_key(c) == _key(default_condition) for c in conditions):
                condition = default_condition
            condition = (condition or _choose(intro_conditions, default_condition)
                         or _choose(title_conditions, default_condition) or default_condition)
            title_effect = next((e for e in (find_effect(titles.by_number[n].title) for n in naming) if e), "")
            effect = (title_effect or sentence_effect) if intro is not None else (sentence_effect or title_effect)
            claims.append(TreatmentClaim(agent=agent, condition=condition, effect=effect, cites=cites,
                                         evidence=evidence, inferred_citation=inferred))
    return tuple(claims)
