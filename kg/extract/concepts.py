"""Concept recognition: longest-match lookup of normalised tokens in the Lexicon, overlap resolution by type
group, and abbreviations defined in the text ("Distal Interphalangeal (DIP)")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.lexicon import MATCH_BREAK, Lexicon, iter_matches, skippable, stem
from kg.extract.normalize import normalize_for_matching, token_spans
from kg.model import Concept

GROUPS = {"Finding": "problem", "Condition": "problem", "ImagingFinding": "problem", "Drug": "drug",
          "Procedure": "test", "Modality": "test", "LabTest": "test", "AnatomicalSite": "anatomy"}


@dataclass(frozen=True)
class Match:
    """A recognised concept span before context is applied; token indices refer to ``Tokens``."""

    start: int
    end: int
    concept: Concept
    first_token: int
    last_token: int  # exclusive
    distributed: bool = False  # a conjunct's word standing for a term whose head is written once, later


class Tokens:
    """Normalised tokens of a text: (start, end, key) with stemmed keys."""

    def __init__(self, text: str):
        self.text = text
        self.normalized = normalize_for_matching(text)
        self.spans = [(s, e, stem(k)) for s, e, k in token_spans(self.normalized)]

    def index_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        lo, hi = 0, len(self.spans)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.spans[mid][0] < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo


_ABBREV = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9\-]{1,9})\s*\)")


def recognize(lex: Lexicon, tokens: Tokens, start: int = 0, end: int | None = None) -> list[Match]:
    """Concept matches in tokens.text[start:end], overlaps resolved: within a type group the longest span wins,
    spans of different groups may nest (an anatomical site inside a finding)."""
    end = len(tokens.text) if end is None else end
    i0, i1 = tokens.index_at(start), tokens.index_at(end)
    window = tokens.spans[i0:i1]
    raw: list[Match] = []
    for i, j, entries in iter_matches(lex, window, tokens.text):
        best = _choose(lex, entries)
        if best is None:
            continue
        s, e = window[i][0], window[j - 1][1]
        raw.append(Match(s, e, best, i0 + i, i0 + j))
    raw.extend(_coordinated(lex, tokens, raw, i0))
    raw.extend(_coordinated_of(lex, tokens, raw, i1))
    raw.extend(_abbreviations(lex, tokens, [m for m in raw if not m.distributed], i0, i1))
    return _resolve(raw)


_CONJUNCTIONS = frozenset({"and", "or"})
MAX_CONJUNCTS = 4


def _coordinated(lex: Lexicon, tokens: Tokens, matches: list[Match], i0: int) -> list[Match]:
    """Terms whose modifiers are coordinated before one shared head: "palmar and plantar pits", "short and broad
    neck", "branchial, otic and renal anomalies". For a match of two or more tokens, each one-word conjunct
    before it (joined by "and", "or" or commas) is tried in place of the match's first word; a hit is a match
    on that conjunct's word (its span does not cover the other conjuncts, which carry their own terms). The word
    next to the match must be joined to it by "and", "or" or a slash: a comma alone ("doughy skin, skin
    fragility") does not coordinate."""
    text, spans, trie = tokens.text, tokens.spans, lex.trie
    skip = skippable()
    out: list[Match] = []
    for m in matches:
        if m.last_token - m.first_token < 2 or m.distributed:
            continue
        rest = [k for _, _, k in spans[m.first_token + 1:m.last_token]]
        pos = m.first_token
        for _ in range(MAX_CONJUNCTS - 1):
            p = pos - 1
            if p < i0:
                break
            gap = text[spans[p][1]:spans[pos][0]]
            if spans[p][2] in _CONJUNCTIONS and not MATCH_BREAK.search(gap):
                p -= 1
                if p < i0:
                    break
                gap = text[spans[p][1]:spans[p + 1][0]]
                if gap.strip() not in ("", ","):
                    break
            elif gap.strip() == "/" and pos == m.first_token:
                pass
            elif gap.strip() != "," or pos == m.first_token:
                break
            node = trie.get(spans[p][2])
            for k in rest:
                if node is None:
                    break
                nxt = node.get(k)
                node = nxt if nxt is not None or k not in skip else node
            entries = node.get("") if node is not None else None
            if entries:
                entries = tuple(e for e in entries if not e.case_form)
                concept = _choose(lex, entries) if entries else None
                if concept is not None:
                    out.append(Match(spans[p][0], spans[p][1], concept, p, p + 1, distributed=True))
            pos = p
    return out


def _coordinated_of(lex: Lexicon, tokens: Tokens, matches: list[Match], i1: int) -> list[Match]:
    """Terms whose "of" phrase is coordinated: "hypopigmentation of skin or hair", "aplasia of the radius and
    ulna". For a match that contains "of" and is followed by "and", "or" or commas, the match's words up to "of"
    are tried with each following conjunct (the longest term wins); a hit is a match on the conjunct's words."""
    text, spans, trie = tokens.text, tokens.spans, lex.trie
    skip = skippable()
    out: list[Match] = []
    for m in matches:
        if m.distributed or m.last_token >= i1:
            continue
        keys = [k for _, _, k in spans[m.first_token:m.last_token]]
        if "of" not in keys[1:-1]:
            continue
        node = trie
        for k in keys[:keys.index("of") + 1]:
            nxt = node.get(k)
            if nxt is None and k in skip:
                continue
            node = nxt
            if node is None:
                break
        if node is None:
            continue
        pos = m.last_token
        for _ in range(MAX_CONJUNCTS - 1):
            if pos >= i1:
                break
            gap = text[spans[pos - 1][1]:spans[pos][0]]
            if spans[pos][2] in _CONJUNCTIONS and not MATCH_BREAK.search(gap) and gap.strip() in ("", ","):
                pos += 1
            elif gap.strip() != "," or pos == m.last_token:
                break
            while pos < i1 and spans[pos][2] in skip:
                pos += 1
            best, cur, q = None, node, pos
            while q < i1 and cur is not None:
                if q > pos and MATCH_BREAK.search(text, spans[q - 1][1], spans[q][0]):
                    break
                cur = cur.get(spans[q][2])
                if cur is not None and cur.get(""):
                    entries = tuple(e for e in cur[""] if not e.case_form)
                    concept = _choose(lex, entries) if entries else None
                    if concept is not None:
                        best = (q + 1, concept)
                q += 1
            if best is None:
                break
            out.append(Match(spans[pos][0], spans[best[0] - 1][1], best[1], pos, best[0], distributed=True))
            pos = best[0]
    return out


def _choose(lex: Lexicon, entries) -> Concept | None:
    best_priority = entries[0].priority
    for e in entries:
        if e.priority < best_priority:
            break
        c = lex.concepts.get(e.curie)
        if c is not None:
            return c
    return None


def _abbreviations(lex: Lexicon, tokens: Tokens, matches: list[Match], i0: int, i1: int) -> list[Match]:
    """Short forms defined right after a recognised long form, applied to their later occurrences."""
    text = tokens.text
    defined: dict[str, Concept] = {}
    for m in matches:
        tail = _ABBREV.match(text, m.end + (1 if text[m.end:m.end + 1] == " " else 0))
        if not tail:
            continue
        short = tail.group(1)
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", text[m.start:m.end])).lower()
        if short[0].lower() == text[m.start].lower() or short.lower() in initials or initials.startswith(short[0].lower()):
            defined.setdefault(short, m.concept)
    if not defined:
        return []
    found = []
    already = {(m.start, m.end) for m in matches}
    for k in range(i0, i1):
        s, e, _ = tokens.spans[k]
        concept = defined.get(text[s:e])
        if concept is not None and (s, e) not in already:
            found.append(Match(s, e, concept, k, k + 1))
    return found


def _resolve(matches: list[Match]) -> list[Match]:
    matches = sorted(set(matches), key=lambda m: (m.start, -(m.end - m.start), not m.distributed, m.concept.curie))
    kept: list[Match] = []
    for m in matches:
        group = GROUPS.get(m.concept.type, m.concept.type)
        clash = False
        for k in kept[-12:]:
            if k.end <= m.start or k.start >= m.end:
                continue
            if GROUPS.get(k.concept.type, k.concept.type) == group or (k.start == m.start and k.end == m.end):
                clash = True
                break
        if not clash:
            kept.append(m)
    return kept
