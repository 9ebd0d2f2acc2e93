"""Concept recognition: longest-match lookup of normalised tokens in the Lexicon, overlap resolution by type
group, and abbreviations defined in the text ("Distal Interphalangeal (DIP)")."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property, lru_cache
from itertools import accumulate, islice, repeat
from operator import itemgetter, le
from typing import NamedTuple
from weakref import WeakKeyDictionary

from kg.extract.lexicon import (ARTICLES, CASED, CONJUNCTIONS, ENTRIES, MATCH_BREAK, QUALITY_ROLES, Lexicon,
                                break_positions, english_function_words, is_plural, longest_matches, match_starts,
                                quality_words, skippable, stem, stems, term_modifiers)
from kg.extract.normalize import (IGNORABLE, MAX_STAND_IN_LETTERS, mapped_to, non_ascii_chars,
                                  normalize_for_matching, token_spans)
from kg.model import Concept
from kg.resources import load_tsv, resource_path

RARE_DISEASE_PREFIXES = ("ORPHA:", "OMIM:", "CKG:disease-")


def _disease_holds_phenotype(a: str, b: str) -> bool:
    """Whether of two overlapping problem matches (CURIEs) one is a rare disease and the other an HPO phenotype: the
    disease's name holds the phenotype ("familial juvenile hyperuricemic nephropathy" and Nephropathy), and both
    are kept (GSC+ annotates the phenotype; the disease is the diagnosis)."""
    return a.startswith(RARE_DISEASE_PREFIXES) and b.startswith("HP:") \
        or b.startswith(RARE_DISEASE_PREFIXES) and a.startswith("HP:")


GROUPS = {"Finding": "problem", "Condition": "problem", "ImagingFinding": "problem", "Drug": "drug",
          "Procedure": "test", "Modality": "test", "LabTest": "test", "AnatomicalSite": "anatomy"}


class Match(NamedTuple):
    """A recognised concept span before context is applied; token indices refer to ``Tokens``. (A named tuple:
    immutable, and several times cheaper to create than a frozen dataclass.)"""

    start: int
    end: int
    concept: Concept
    first_token: int
    last_token: int  # exclusive
    distributed: bool = False  # a conjunct's word standing for a term whose head is written once, later


class Tokens:
    """Normalised tokens of a text, column-wise: ``starts``, ``ends`` (offsets into ``text``), ``words`` (the
    normalised text of each token, without ``IGNORABLE``) and stemmed ``keys``; ``spans`` has them as
    (start, end, key) rows."""

    def __init__(self, text: str, normalized: str | None = None):
        """``normalized``: ``normalize_for_matching(text)`` when the caller has it already."""
        self.text = text
        self.normalized = normalize_for_matching(text) if normalized is None else normalized
        self.starts, self.ends, self.words, self._separators = _columns(self.normalized)
        self.keys = stems(self.words)
        self._scan: tuple | None = None  # see ``_scan_for``
        self._breaks: frozenset[int] | None = None
        self._quality_positions: list[int] | None = None
        self._abbreviations: dict[str, Concept | None] = {}  # short form -> its definition's concept (``_define``)
        self._short_hits: list[tuple[int, int, Concept, tuple]] = []  # later short-form uses (``_defined_readings``)
        self._long_forms: dict[str, tuple[str, ...]] = {}  # short form -> the keys of its long form (``_define``)
        self._short_starts: list[int] = []  # their start offsets, ascending

    @cached_property
    def spans(self) -> list[tuple[int, int, str]]:
        return list(zip(self.starts, self.ends, self.keys))

    @property
    def breaks(self) -> frozenset[int]:
        """Indices of the tokens separated from the previous one by a comma, semicolon, colon or bracket
        (``MATCH_BREAK``). Read from the separators of ``_columns`` where the text has no character normalised to
        one: joined by "|", split at their break characters (","), the "|" before each is the index of its token
        (C-level passes over the break characters, not the tokens)."""
        if self._breaks is None:
            separators, text = self._separators, self.text
            if separators is None or not text.isascii() and any(ch in text for ch in _NORMALIZED_BREAKS):
                self._breaks = break_positions(text, self.starts)
            else:
                pieces = b"|".join(separators).split(b",")
                self._breaks = frozenset(accumulate(map(bytes.count, islice(pieces, len(pieces) - 1), repeat(124))))
            self._separators = None
        return self._breaks

    def index_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect_left(self.starts, offset)

    def _scan_for(self, lex: Lexicon) -> tuple:
        """(lex, positions, nodes, breaks, quality positions, then what ``recognize`` reads of the text and the
        lexicon on every call): where matches of ``lex`` may start (``match_starts``) and the breaks between
        tokens, computed once per text (``recognize`` is called per sentence)."""
        self._scan = (lex, *match_starts(lex, self.keys), self.breaks, self.quality_positions, self.starts,
                      self.ends, self.keys, self.text, lex.concepts, lex.plurals, _negating_prefixes(),
                      _route_words())
        return self._scan

    @property
    def quality_positions(self) -> list[int]:
        """Indices of the tokens that end a quality phrase (``_quality_table``), and of the one-digit grades written
        with a plus sign ("3+"). The first are found by C-level passes: a byte per token, 1 for such a token, read
        by ``bytes.find``."""
        if self._quality_positions is None:
            last = _quality_table().last
            flags = bytes(map(last.__contains__, self.keys))
            found = []
            i = flags.find(1)
            while i >= 0:
                found.append(i)
                i = flags.find(1, i + 1)
            text, starts = self.text, self.starts
            plus = text.find("+", 1)
            if plus > 0:
                while plus > 0:
                    i = bisect_left(starts, plus - 1)
                    if i < len(starts) and starts[i] == plus - 1 and text[plus - 1].isdigit():
                        found.append(i)
                    plus = text.find("+", plus + 1)
                found.sort()
            self._quality_positions = found
        return self._quality_positions


_WORDS = re.compile(r"([^\W_]+)")  # \w is what str.isalnum() accepts, and "_"
_STAND_IN = "\x01"  # a non-ASCII letter or digit in the ASCII copy of a text


_BREAK_BYTES = {b for b in range(128) if MATCH_BREAK.match(chr(b))}
_NORMALIZED_BREAKS = mapped_to("".join(map(chr, _BREAK_BYTES)))


def _byte_tables(word: set[int]) -> tuple[bytes, bytes]:
    """Translation tables of an ASCII copy for ``_columns``: the bytes in ``word`` kept and any other as a space;
    the bytes in ``word`` as spaces, the ``MATCH_BREAK`` characters as "," and any other as "."."""
    return (bytes(b if b in word else 32 for b in range(256)),
            bytes(32 if b in word else 44 if b in _BREAK_BYTES else 46 for b in range(256)))


_ALNUM = {b for b in range(128) if chr(b).isalnum()}
_TABLES = {False: _byte_tables(_ALNUM), True: _byte_tables(_ALNUM | {ord(_STAND_IN)})}


def token_columns(normalized: str) -> tuple[list[int], list[int], list[str]]:
    """``token_spans(normalized)`` as three lists (starts, ends, words), by C-level passes (``_columns``)."""
    return _columns(normalized)[:3]


def _columns(normalized: str) -> tuple[list[int], list[int], list[str], list[bytes] | None]:
    """``token_spans(normalized)`` as three lists (starts, ends, words), by C-level passes, and the separator
    before each token and after the last (its ``MATCH_BREAK`` characters as ",", any other as ".") when the
    text was read through an ASCII copy, else None. The text is read as
    an ASCII copy of itself (same length, a non-ASCII character as "?", a non-ASCII letter or digit as
    ``_STAND_IN`` when the text has at most ``MAX_STAND_IN_LETTERS`` distinct ones and no ``_STAND_IN``): the
    words are the whitespace-split of that copy with its separators made spaces, the separator runs that of the
    copy with its letters and digits made spaces, and the offsets running lengths of the two interleaved; a
    word holding a stand-in is then read from the text. Any other text is split by a regular expression (the
    offsets are running lengths of the pieces)."""
    letters = ()
    if normalized.isascii():
        raw = normalized.encode("ascii")
    else:
        if IGNORABLE in normalized:
            spans = token_spans(normalized)
            return [s for s, _, _ in spans], [e for _, e, _ in spans], [k for _, _, k in spans], None
        letters = [ch for ch in non_ascii_chars(normalized) if ch.isalnum()]
        if len(letters) > MAX_STAND_IN_LETTERS or (letters and _STAND_IN in normalized):
            parts = _WORDS.split(normalized)
            offsets = list(accumulate(map(len, parts), initial=0))
            return offsets[1:-1:2], offsets[2::2], parts[1::2], None
        scanned = normalized
        for ch in letters:
            scanned = scanned.replace(ch, _STAND_IN)
        raw = scanned.encode("ascii", "replace")
    word_bytes, separator_bytes = _TABLES[bool(letters)]
    words = raw.translate(word_bytes).decode("ascii").split()
    separators = raw.translate(separator_bytes).split()
    if raw and word_bytes[raw[0]] != 32:
        separators.insert(0, b"")  # the empty separator before the first word
    n = len(words)
    lengths = [0] * (2 * n)
    lengths[0::2] = list(map(len, separators[:n]))
    lengths[1::2] = list(map(len, words))
    offsets = list(accumulate(lengths))
    starts, ends = offsets[0::2], offsets[1::2]
    if letters:
        pos = scanned.find(_STAND_IN)
        while pos >= 0:
            k = bisect_right(starts, pos) - 1
            words[k] = normalized[starts[k]:ends[k]]
            pos = scanned.find(_STAND_IN, ends[k])
    return starts, ends, words, separators


_START, _END = itemgetter(0), itemgetter(1)  # Match.start, Match.end (and a short-form hit's start)
_new_tuple = tuple.__new__  # Match(...) without the Python-level __new__ of a named tuple: several times cheaper
_SHORT_FORM = re.compile(r"\(\s*([A-Z][A-Za-z0-9\-]{1,9})\s*[);]")  # "(HPE)", "(HPE; MIM: 236100)"


def recognize(lex: Lexicon, tokens: Tokens, start: int = 0, end: int | None = None) -> list[Match]:
    """Concept matches in tokens.text[start:end], overlaps resolved: within a type group the longest span wins,
    spans of different groups may nest (an anatomical site inside a finding). A match whose last word is plural
    names the term HPO gives that plural to (``Lexicon.plurals``: "lipomas" is Multiple lipomas); no problem
    match starts on a word hyphenated to a negating prefix (``_negating_prefixes``); a short form is read as the
    text has defined it so far (``_define``), and a state code closing an address is none (``_in_address``)."""
    scan = tokens._scan
    if scan is None or scan[0] is not lex:
        scan = tokens._scan_for(lex)
    _, positions, nodes, breaks, qualities, starts, ends, keys, text, concepts, plurals, prefixes, routes = scan
    i0 = bisect_left(starts, start) if start else 0
    i1 = len(starts) if end is None else bisect_left(starts, end)
    lo, hi = bisect_left(positions, i0), bisect_left(positions, i1)
    q_lo, q_hi = bisect_left(qualities, i0), bisect_left(qualities, i1)
    shorts = tokens._short_starts
    if shorts:
        s_lo = bisect_left(shorts, start)
        s_hi = len(shorts) if end is None else bisect_left(shorts, end)
    else:
        s_lo = s_hi = 0
    if lo == hi and q_lo == q_hi and s_lo == s_hi:
        return []
    raw: list[Match] = []
    longest = 0
    sites: list[Match] = []
    defined = tokens._abbreviations
    gaps: list = []
    for i, j, entries in longest_matches(lex, text, starts, ends, keys, breaks, positions[lo:hi], nodes, i1, gaps):
        best = concepts.get(entries[0].curie) or _choose(concepts, entries)
        if best is not None:
            if i and keys[i - 1] in prefixes and starts[i] == ends[i - 1] + 1 and text[ends[i - 1]] == "-" \
                    and GROUPS.get(best.type) == "problem":
                continue
            if best.type == "AnatomicalSite" and (j - i == 1 and keys[i] in routes
                                                  or _in_proper_name(text, starts, ends, i, j, i0)):
                continue
            if j - i == 1 and text[starts[i]].isupper():
                if ends[i] - starts[i] == 2 and i > i0 and _in_address(text, starts, ends, i):
                    continue
                if defined:
                    short = text[starts[i]:ends[i]]
                    if short in defined:
                        if best is not defined[short]:
                            best = defined[short]
                            if best is None:
                                continue
                        if i > i0 and short in tokens._long_forms:
                            first, best = _modified(lex, tokens, i, tokens._long_forms[short], best, i0)
                            if first < i:
                                raw.append(_new_tuple(Match, (starts[first], ends[i], best, first, j, False)))
                                continue
            if best.curie in plurals and is_plural(tokens.normalized[starts[j - 1]:ends[j - 1]]):
                best = concepts.get(plurals[best.curie], best)
            raw.append(_new_tuple(Match, (starts[i], ends[j - 1], best, i, j, False)))
            if j - i > 1:
                if best.type not in _NO_NESTED_SITE:
                    site = _opening_site(concepts, text, starts, ends, keys, nodes[i], i, j)
                    if site is not None:
                        sites.append(site)
                if j - i > longest:
                    longest = j - i
    if longest >= 2:
        raw.extend(_coordinated(lex, tokens, raw, i0))
        if longest >= 3:
            raw.extend(_coordinated_of(lex, tokens, raw, i1))
    gapped = _gapped(lex, tokens, gaps, nodes, i1) if gaps else ()
    if q_lo < q_hi:
        raw.extend(_qualified(lex, tokens, raw, qualities[q_lo:q_hi], i0, i1))
    if s_lo < s_hi:
        uses = _short_form_uses(lex, tokens, raw, s_lo, s_hi, i0)
        if uses:
            raw = sorted(raw + uses, key=_START) if raw else uses  # in text order: ``_resolve``'s quick path
    brackets = []
    for m in raw:
        if m.last_token in breaks and m.last_token < i1:
            at = text.find("(", m.end, starts[m.last_token])
            if at >= 0:
                brackets.append(at)
        if m.first_token in breaks and m.first_token > i0 and m.last_token - m.first_token == 1:
            at = text.rfind("(", ends[m.first_token - 1], m.start)
            if at >= 0:
                brackets.append(at)
    if brackets:
        new = _define(tokens, raw, starts[i0], brackets)
        if new:
            raw = _defined_readings(tokens, raw, new, ends[i1 - 1] + 3)
    if not raw:
        return list(gapped)
    raw.extend(sites)
    kept = _resolve(raw, lex, keys)
    if gapped:
        kept = _add_gapped(kept, gapped)
    return kept


@lru_cache(maxsize=1)
def _route_words() -> frozenset[str]:
    """Keys of the one-word routes of administration of kg/resources/drug_context.tsv ("oral", "subcutaneous"),
    as ``drugs.cues`` reads them. Such a word alone names how a drug is given, not a body site ("oral
    prednisolone", "100 mg, oral, daily"); it stays a site inside a longer term ("oral ulcers", "oral cavity")."""
    from kg.extract.drugs import cues  # drugs imports this module
    return cues().words["route"]


def _in_proper_name(text: str, starts: list[int], ends: list[int], i: int, j: int, i0: int) -> bool:
    """Whether a capitalised anatomy word stands in a proper name, after another capitalised word of the
    sentence: "New York Heart Association", "American Joint Committee on Cancer", "Charcot-Marie-Tooth",
    "Supplementary Appendix". A word in capitals ("LV") or a capitalised word that opens the sentence ("Cardiac
    examination", "Abdominal Ultrasound") is no name."""
    if i <= i0 or not text[starts[i]].isupper() or text[starts[i]:ends[j - 1]].isupper():
        return False
    word = text[starts[i - 1]:ends[i - 1]]
    return word[0].isupper() and not word.isupper()


_COUNTRIES = (", USA", ", U.S.A", ", United States", ", Canada")


@lru_cache(maxsize=1)
def _place_codes() -> frozenset[str]:
    """Postal codes of states and provinces, from kg/resources/place_codes.tsv."""
    return frozenset(r["code"] for r in load_tsv(resource_path("place_codes.tsv"), ("code",)))


def _in_address(text: str, starts: list[int], ends: list[int], i: int) -> bool:
    """Whether token ``i`` (two letters) is the state code that closes an address: in capitals, after a
    capitalised place name and a comma, and before the bracket that closes the address or the country
    ("(Diagnostic Instruments, Sterling Heights, MI)", "St. Louis, MO, USA")."""
    s, e = starts[i], ends[i]
    if text[s:e] not in _place_codes() or text[s - 2:s] != ", " \
            or not (text[e:e + 1] == ")" or text.startswith(_COUNTRIES, e)):
        return False
    word = text[starts[i - 1]:ends[i - 1]]
    return word[:1].isupper() and not word.isupper()


_NEGATING: frozenset[str] | None = None


def _negating_prefixes() -> frozenset[str]:
    """Keys of the negating prefixes of kg/resources/term_modifiers.tsv. No problem (finding, condition) match
    starts on the word such a prefix is hyphenated to ("non-neoplastic", "pseudo-atrophy", "anti-epilepsy
    medications"): the prefixed word denies or opposes the problem. Drugs and tests keep their match
    ("anti-estrogen therapy", "anti-insulin" antibodies name the hormone)."""
    global _NEGATING
    if _NEGATING is None:
        _NEGATING = frozenset(stem(w) for w in term_modifiers("negating"))
    return _NEGATING


MAX_CONJUNCTS = 4


def _coordinated(lex: Lexicon, tokens: Tokens, matches: list[Match], i0: int) -> list[Match]:
    """Terms whose modifiers are coordinated before one shared head: "palmar and plantar pits", "short and broad
    neck", "branchial, otic and renal anomalies". For a match of two or more tokens, each one-word conjunct
    before it (joined by "and", "or" or commas) is tried in place of the match's first word; a hit is a match
    on that conjunct's word (its span does not cover the other conjuncts, which carry their own terms). A conjunct
    may have up to ``MAX_CONJUNCT_WORDS`` words when the term goes on through them ("posterior subcapsular or
    capsular cataract": Posterior subcapsular cataract on "posterior subcapsular"). The word next to the match
    must be joined to it by "and", "or" or a slash: a comma alone ("doughy skin, skin fragility") does not
    coordinate."""
    text, starts, ends, keys, trie = tokens.text, tokens.starts, tokens.ends, tokens.keys, lex.trie
    breaks = tokens.breaks
    skip = skippable()
    out: list[Match] = []
    for m in matches:
        f = m.first_token
        if m.last_token - f < 2 or m.distributed or f <= i0 \
                or (keys[f - 1] not in CONJUNCTIONS or f in breaks) and text[ends[f - 1]:starts[f]].strip() != "/":
            continue
        rest = keys[f + 1:m.last_token]
        pos = m.first_token
        for _ in range(MAX_CONJUNCTS - 1):
            p = pos - 1
            if p < i0:
                break
            gap = text[ends[p]:starts[pos]]
            if keys[p] in CONJUNCTIONS and pos not in breaks:
                p -= 1
                if p < i0:
                    break
                gap = text[ends[p]:starts[p + 1]]
                if gap.strip() not in ("", ","):
                    break
            elif gap.strip() == "/" and pos == m.first_token:
                pass
            elif gap.strip() != "," or pos == m.first_token:
                break
            first, concept = p, _shared_head(lex, trie.get(keys[p]), rest, skip)
            q = p - 1
            while q >= max(i0, p - MAX_CONJUNCT_WORDS + 1) and q + 1 not in breaks and keys[q] not in CONJUNCTIONS \
                    and not text[ends[q]:starts[q + 1]].strip():
                node = trie.get(keys[q])
                for k in keys[q + 1:p + 1]:
                    node = node.get(k) if node is not None else None
                longer = _shared_head(lex, node, rest, skip) if node is not None else None
                if longer is not None:
                    first, concept = q, longer
                q -= 1
            if concept is not None:
                out.append(Match(starts[first], ends[p], concept, first, p + 1, distributed=True))
            pos = p
    return out


MAX_CONJUNCT_WORDS = 3
MAX_GAP_LEAD = 5  # words of a gapped term before the conjunction


def _follow(node: dict | None, words: list[str], skip: frozenset[str]) -> dict | None:
    """The trie node that ``node`` reaches through ``words``, stepping over ``skip`` words the term lacks; None
    when the term does not go on so."""
    for k in words:
        if node is None:
            return None
        nxt = node.get(k)
        if nxt is not None:
            node = nxt
        elif k not in skip:
            return None
    return node


def _node_concept(lex: Lexicon, node: dict | None) -> Concept | None:
    """The concept of the term that trie ``node`` ends (its entries without those that match only as written in
    capitals), or None."""
    entries = node.get(ENTRIES) if node is not None else None
    if not entries:
        return None
    if CASED in node:
        entries = tuple(e for e in entries if not e.case_form)
    return _choose(lex.concepts, entries) if entries else None


def _longest_from(lex: Lexicon, node: dict, keys: list[str], j: int, end: int, breaks: frozenset[int],
                  skip: frozenset[str]) -> tuple[int, Concept] | None:
    """(end token, concept) of the longest term that ``node`` continues with ``keys[j:end]`` through at least one
    word, or None."""
    best = None
    first = j
    while j < end:
        nxt = node.get(keys[j])
        if nxt is None:
            if keys[j] in skip and j > first:
                j += 1
                if j in breaks:
                    break
                continue
            break
        node = nxt
        j += 1
        concept = _node_concept(lex, node) if ENTRIES in node else None
        if concept is not None:
            best = (j, concept)
        if j in breaks:
            break
    return best


def _gapped(lex: Lexicon, tokens: Tokens, gaps: list, nodes: list, i1: int) -> list[Match]:
    """Terms written across a coordination whose other conjunct shares their words: "enlarged and dysmorphic
    lateral ventricles" (Enlarged lateral ventricles, read over "and dysmorphic"), "dilatation of the third and
    lateral ventricles" (Dilated third ventricle over "and lateral", Lateral ventricle dilatation over "third
    and"). ``gaps``: where a term's walk stopped at "and" or "or" (``longest_matches``). The term is read on over
    the conjunction and the right conjunct's first word, or over the left conjunct's last word and the
    conjunction, when both conjuncts' words may follow the words before them in some term (they are parallel:
    "short metacarpals and a slight leg length" is no "short leg"), the skipped word is not a site of its own
    ("long bones and broad ribs") and the term goes on with no skipped word right after the gap. The match spans
    the whole phrase."""
    keys, starts, ends, breaks, root = tokens.keys, tokens.starts, tokens.ends, tokens.breaks, lex.trie
    skip = skippable()
    out: list[Match] = []
    for s, c, left in gaps:
        if c + 2 >= i1 or c + 1 in breaks or c - s > MAX_GAP_LEAD:
            continue
        b = keys[c + 1]
        if c - 1 == s:
            before = root
        else:
            before = _follow(nodes[s], keys[s + 1:c - 1], skip) if breaks.isdisjoint(range(s + 1, c - 1)) else None
            if before is None or keys[c - 1] not in before:
                continue
        if b not in before:
            continue
        if keys[c + 2] in left and c + 2 not in breaks and not _names_site(lex, left):
            hit = _longest_from(lex, left, keys, c + 2, i1, breaks, skip)
            if hit is not None:
                out.append(Match(starts[s], ends[hit[0] - 1], hit[1], s, hit[0], distributed=True))
        if before is not root:
            hit = _longest_from(lex, before, keys, c + 1, i1, breaks, skip)
            if hit is not None:
                out.append(Match(starts[s], ends[hit[0] - 1], hit[1], s, hit[0], distributed=True))
    return out


def _names_site(lex: Lexicon, node: dict) -> bool:
    """Whether a trie node ends a term for an anatomical site ("bones" in "long bones and broad ribs": a noun
    phrase of its own, not a modifier shared with the next conjunct)."""
    concept = _node_concept(lex, node)
    return concept is not None and concept.type == "AnatomicalSite"


def _add_gapped(kept: list[Match], gapped: list[Match]) -> list[Match]:
    """``kept`` with the ``gapped`` matches whose concept no overlapping kept match has, in text order."""
    new = []
    seen = set()
    for g in gapped:
        key = (g.start, g.end, g.concept.curie)
        if key in seen:
            continue
        seen.add(key)
        if any(k.concept.curie == g.concept.curie and k.start < g.end and g.start < k.end for k in kept):
            continue
        new.append(g)
    if not new:
        return kept
    return sorted(kept + new, key=lambda m: (m.start, m.start - m.end))


def _shared_head(lex: Lexicon, node: dict | None, rest: list[str], skip: frozenset[str]) -> Concept | None:
    """The concept of the term that trie ``node`` (a conjunct's words) continues with ``rest`` (the words after the
    coordinated one), stepping over ``skip`` words the term lacks; None when there is none."""
    return _node_concept(lex, _follow(node, rest, skip))


def _coordinated_of(lex: Lexicon, tokens: Tokens, matches: list[Match], i1: int) -> list[Match]:
    """Terms whose "of" or "in" phrase is coordinated: "hypopigmentation of skin or hair", "aplasia of the radius
    and ulna", "pain in the elbow, fingers and toes". For a match that contains "of" or "in" and is followed by
    "and", "or" or commas, the match's words up to the preposition are tried with each following conjunct (the
    longest term wins); a hit is a match on the conjunct's words. Conjuncts joined by commas count only when the
    list goes on to one joined by "and" or "or" ("pain in the elbow, fingers and toes", not "pain in the elbow,
    finger swelling")."""
    text, starts, ends, all_keys, trie = tokens.text, tokens.starts, tokens.ends, tokens.keys, lex.trie
    breaks = tokens.breaks
    skip = skippable()
    out: list[Match] = []
    for m in matches:
        if m.distributed or m.last_token >= i1 or m.last_token - m.first_token < 3:
            continue
        keys = all_keys[m.first_token:m.last_token]
        inner = keys[1:-1]
        preposition = "of" if "of" in inner else "in" if "in" in inner else ""
        if not preposition:
            continue
        node = trie
        for k in keys[:keys.index(preposition) + 1]:
            nxt = node.get(k)
            if nxt is None and k in skip:
                continue
            node = nxt
            if node is None:
                break
        if node is None:
            continue
        pos = m.last_token
        pending: list[Match] = []  # comma-joined hits, kept once a conjunction-joined hit closes the list
        for _ in range(MAX_CONJUNCTS - 1):
            if pos >= i1:
                break
            gap = text[ends[pos - 1]:starts[pos]]
            joined = all_keys[pos] in CONJUNCTIONS and pos not in breaks and gap.strip() in ("", ",")
            if joined:
                pos += 1
            elif gap.strip() != ",":
                break
            while pos < i1 and all_keys[pos] in skip:
                pos += 1
            best = _longest_from(lex, node, all_keys, pos, i1, breaks, frozenset())
            if best is None:
                break
            pending.append(Match(starts[pos], ends[best[0] - 1], best[1], pos, best[0], distributed=True))
            if joined:
                out.extend(pending)
                pending = []
            pos = best[0]
    return out


def _opening_site(concepts: dict[str, Concept], text: str, starts: list[int], ends: list[int], keys: list[str],
                  node: dict, i: int, j: int) -> Match | None:
    """The anatomical site that opens a longer finding, condition or test term (tokens ``i`` to ``j``, ``node``
    the trie node of token ``i``): "abdominal" in "abdominal pain", "chest" in "chest X-ray", "left lower lobe"
    in "left lower lobe consolidation". The longest match keeps only the whole term at its first token, so the
    longest run of the term's first words (not all of them) that names an anatomical site becomes a match of its
    own (the graph reads a site inside a finding as its body site; ``_resolve`` keeps it only where the term
    names the site as a separate part, ``_names_own_site``). Sites later in a term are matches of their own
    already ("pain in the chest")."""
    best = None
    q = i
    last = j - 1
    while node is not None:
        entries = node.get(ENTRIES)
        if entries:
            cased = CASED in node
            for e in entries:
                if cased and e.case_form and e.case_form != text[starts[i]:ends[q]]:
                    continue
                c = concepts.get(e.curie)
                if c is not None and c.type == "AnatomicalSite":
                    best = (q + 1, c)
                    break
        q += 1
        node = node.get(keys[q]) if q < last else None
    if best is None:
        return None
    return _new_tuple(Match, (starts[i], ends[best[0] - 1], best[1], i, best[0], False))


_NO_NESTED_SITE = frozenset({"AnatomicalSite", "LabTest", "Drug"})
_SITE_PREPOSITIONS = frozenset({"of", "in", "on", "at"})


def _names_own_site(lex: Lexicon, keys: list[str], outer: Match, site: Match) -> bool:
    """Whether a term names the anatomical site nested in it as a separate part: its other words (articles and
    "of", "in", "on", "at" aside) name a concept of their own that is not anatomy ("abdominal pain": pain, "chest
    X-ray": radiography, "lung biopsy": biopsy, "esophageal mass": mass), not a bare fragment of a lexicalised
    whole ("heart failure", "atrial fibrillation", "coronary artery disease"). A lab test or drug names no site:
    its organ word qualifies the analyte or the agent ("liver enzymes", "heart rate", "oral iron")."""
    if outer.concept.type in _NO_NESTED_SITE:
        return False
    i, j = outer.first_token, outer.last_token
    rest = tuple(k for k in keys[i:site.first_token] + keys[site.last_token:j]
                 if k not in ARTICLES and k not in _SITE_PREPOSITIONS)
    memo = _NAMES_CONCEPT.get(lex)
    if memo is None:
        memo = _NAMES_CONCEPT[lex] = {}
    named = memo.get(rest)
    if named is None:
        named = bool(rest) and any(c.type != "AnatomicalSite" for c in lex.lookup_keys(rest))
        if len(memo) < 50_000:
            memo[rest] = named
    return named


# per lexicon: whether the words (token keys) name a concept that is not anatomy (``_names_own_site``)
_NAMES_CONCEPT: WeakKeyDictionary = WeakKeyDictionary()


# a value with a unit or "%" right after a quality or its entity, maybe after "at", "to", "of" or a bracket
_MEASURED = re.compile(
    r"\s*(?:\(\s*|(?:at|to|of|up to)\s+)?[<>≤≥~]?\s*\d[\d.,]*\s*(?:%|[^\W\d_]|[×*·])")
MAX_ENTITY_WORDS = 5
MAX_QUALITY_ADVERBS = 2


class QualityTable(NamedTuple):
    """The quality words, compiled (``_quality_table``)."""

    phrases: dict  # quality phrase keys -> (class, entity word, plus sign)
    last: frozenset[str]  # the last keys of the phrases other than grades
    copulas: frozenset[str]
    adverbs: frozenset[str]
    quantity: frozenset[str]
    closing: frozenset[str]
    pair_starts: frozenset[str]  # first and last words of the two-word phrases
    pair_ends: frozenset[str]


@lru_cache(maxsize=1)
def _quality_table() -> QualityTable:
    """The quality table from kg/resources/qualities.tsv, term_modifiers.tsv and the English function words of
    language_stopwords.tsv. A closing word ends the noun phrase of a quality's entity ("reduced reflexes in the
    legs"); "of" does not ("reduced concentration of receptors")."""
    rows = quality_words()
    phrases = {k: v for k, v in rows.items() if v[0] not in QUALITY_ROLES}
    copulas = frozenset(k[0] for k, v in rows.items() if v[0] == "copula")
    own_adverbs = frozenset(k[0] for k, v in rows.items() if v[0] == "adverb")
    closing = (english_function_words() | own_adverbs | copulas
               | frozenset(k[0] for k, v in rows.items() if v[0] == "closing")) - {"of"}
    return QualityTable(phrases=phrases, last=frozenset(k[-1] for k, v in phrases.items() if not v[2]),
                        copulas=copulas, adverbs=own_adverbs | skippable(),
                        quantity=frozenset(stem(w) for w in term_modifiers("quantity")), closing=closing,
                        pair_starts=frozenset(k[0] for k in phrases if len(k) == 2),
                        pair_ends=frozenset(k[1] for k in phrases if len(k) == 2))


def _qualified(lex: Lexicon, tokens: Tokens, raw: list[Match], positions: list[int], i0: int, i1: int
               ) -> list[Match]:
    """Phenotypes written as an entity and a quality word (kg/resources/qualities.tsv) that HPO names "<quality>
    <entity>": in predicate position, "<entity> <copula> [adverb] <quality>" ("reflexes were absent": Areflexia,
    "CK was markedly elevated"), and before the entity with any word of the quality's class ("hyperactive
    reflexes", "raised liver enzymes"), also over coordinated entities ("reduced patellar tendon reflex and ankle
    reflex"). The entity is the longest run of words that names an entity of such a term or a test whose words
    do (``Lexicon.qualities``); where the entity has no term of the class, its last words may ("tendon reflexes
    were brisk": Brisk reflexes). Not where the lexicon already reads a problem starting at the quality word.
    Before the entity, the quality counts only where the entity's noun phrase ends (``closed``: not "increased fat
    cells", "elevated lysine and cystine excretion"). A quality written with its measured value ("lactate was
    elevated at 3.8 mmol/L", "elevated bilirubin (2.2 mg/dL)", ``_MEASURED``) is left to the laboratory stage,
    which reads the value against its reference interval."""
    candidates = _quality_candidates(lex, tokens, positions, i0, i1)
    if not candidates:
        return []
    table = _quality_table()
    adverbs, quantity, closing = table.adverbs, table.quantity, table.closing
    by_keys, by_concept, _ = lex.qualities
    keys, starts, ends, text, breaks = tokens.keys, tokens.starts, tokens.ends, tokens.text, tokens.breaks
    concepts = lex.concepts
    problem_starts: set[int] = set()
    entity_from: dict[int, Match] = {}
    entity_to: dict[int, Match] = {}
    longest_from: dict[int, int] = {}
    longest_to: dict[int, int] = {}

    def read_matches() -> None:
        """Where the sentence's matches start and end, once a quality has a copula or an entity beside it."""
        for m in raw:
            if GROUPS.get(m.concept.type) == "problem":
                problem_starts.add(m.first_token)
            if m.last_token > longest_from.get(m.first_token, 0):
                longest_from[m.first_token] = m.last_token
            if m.first_token < longest_to.get(m.last_token, m.last_token):
                longest_to[m.last_token] = m.first_token
            if m.concept.curie in by_concept and not m.distributed:
                old = entity_from.get(m.first_token)
                if old is None or old.last_token < m.last_token:
                    entity_from[m.first_token] = m
                old = entity_to.get(m.last_token)
                if old is None or old.first_token > m.first_token:
                    entity_to[m.last_token] = m

    def term(first: int, end: int, quality: tuple[str, str, str], concept: str) -> Concept | None:
        """The term of the entity keys[first:end] (or of ``concept``) with ``quality`` (word, class, entity word):
        the term of that word if HPO has one, else of its class."""
        word, cls, scope = quality
        ent = tuple(keys[first:end])
        if scope and scope not in ent:
            return None
        own, other = by_keys.get(ent), by_concept.get(concept) if concept else None
        if not own and not other:
            return None
        curie = None
        for classes in (own, other):
            if classes:
                curie = classes.get(word) or classes.get(cls)
                if curie:
                    break
        k = 1
        while curie is None and k < len(ent):
            classes = by_keys.get(ent[k:])
            curie = (classes.get(word) or classes.get(cls)) if classes else None
            k += 1
        return concepts.get(curie) if curie else None

    def joined(first: int, end: int) -> bool:
        return breaks.isdisjoint(range(first + 1, end))

    def closed(end: int) -> bool:
        """Whether the noun phrase ends before token ``end`` (over a quantity word: "raised CK levels")."""
        while end < i1 and keys[end] in quantity and end not in breaks:
            end += 1
        return end >= i1 or end in breaks or keys[end] in closing

    def after(a: int, quality: tuple[str, str, str]) -> tuple[int, Concept, bool] | None:
        """(end, term, whether its noun phrase ends there) of the entity that starts at token ``a``."""
        while a < i1 and keys[a] in adverbs and a + 1 not in breaks:
            a += 1
        bound = longest_from.get(a, 0)
        m = entity_from.get(a)
        for end in range(min(i1, a + MAX_ENTITY_WORDS), a, -1):
            if end < bound:
                break
            concept = m.concept.curie if m is not None and m.last_token == end else ""
            if (concept or tuple(keys[a:end]) in by_keys) and joined(a - 1, end):
                found = term(a, end, quality, concept)
                if found is not None:
                    return end, found, closed(end)
        return None

    def before(e: int, quality: tuple[str, str, str]) -> tuple[int, Concept] | None:
        """(first, term) of the entity that ends before token ``e`` (over a quantity word: "CK levels")."""
        for end in (e, e - 1) if e - 1 > i0 and keys[e - 1] in quantity else (e,):
            m = entity_to.get(end)
            bound = longest_to.get(end, end)
            for first in range(max(i0, end - MAX_ENTITY_WORDS), end):
                if first > bound:
                    break
                concept = m.concept.curie if m is not None and m.first_token == first else ""
                if (concept or tuple(keys[first:end]) in by_keys) and joined(first, end + 1):
                    found = term(first, end, quality, concept)
                    if found is not None:
                        return first, found
        return None

    out: list[Match] = []
    read = False
    for q, end, stop, quality, p, attributive in candidates:
        if p >= 0:
            if not read:
                read_matches()
                read = True
            found = before(p, quality)
            if found is not None:
                if _MEASURED.match(text, stop):
                    continue
                first, concept = found
                out.append(_new_tuple(Match, (starts[first], stop, concept, first, end, False)))
                continue
        if not attributive:
            continue
        if not read:
            read_matches()
            read = True
        if q in problem_starts:
            continue
        found = after(end, quality)
        if found is None or not found[2] or _MEASURED.match(text, ends[found[0] - 1]):
            continue
        last, concept, _ = found
        chain = [_new_tuple(Match, (starts[q], ends[last - 1], concept, q, last, False))]
        for _ in range(MAX_CONJUNCTS - 1):
            if last + 1 >= i1 or keys[last] not in CONJUNCTIONS or last in breaks or last + 1 in breaks:
                break
            found = after(last + 1, quality)
            if found is None:
                break
            if not found[2]:
                chain = []
                break
            first, (last, concept, _) = last + 1, found
            chain.append(Match(starts[first], ends[last - 1], concept, first, last, distributed=True))
        out.extend(chain)
    return out


def _quality_candidates(lex: Lexicon, tokens: Tokens, positions: list[int], i0: int, i1: int) -> list[tuple]:
    """The quality phrases ending at ``positions`` that may qualify an entity, as (first token, end token, end
    offset, ("=" and the words, class, entity word), copula token or -1, whether a word that may begin an entity
    follows): a copula before the quality (over adverbs), or after it an adverb or a word that begins an entity or
    a test of ``Lexicon.qualities`` where no lexicon term goes on from the quality with that word ("short
    stature", read by the lexicon)."""
    table = _quality_table()
    phrases, copulas, adverbs = table.phrases, table.copulas, table.adverbs
    pair_starts, pair_ends = table.pair_starts, table.pair_ends
    keys, ends, text, breaks = tokens.keys, tokens.ends, tokens.text, tokens.breaks
    entity_starts, nodes = lex.qualities[2], tokens._scan[2]
    out = []
    for t in positions:
        key = keys[t]
        phrase = (keys[t - 1], key) if t > i0 and key in pair_ends else (key,)
        quality = phrases.get(phrase)
        if quality is None:
            if t + 1 < i1 and key in pair_starts and (key, keys[t + 1]) in phrases:
                continue  # the first word of a longer phrase ("low-set"), read at its last word
            phrase = (key,)
            quality = phrases.get(phrase)
            if quality is None:
                continue
        cls, scope, plus = quality
        end = t + 1
        q = end - len(phrase)
        stop = ends[end - 1] + plus
        if plus and text[stop - 1] != "+":
            continue
        p = q - 1
        while p > i0 and keys[p] in adverbs and p not in breaks and q - p <= MAX_QUALITY_ADVERBS:
            p -= 1
        if not (p > i0 and keys[p] in copulas and breaks.isdisjoint(range(p, q + 1))):
            p = -1
        attributive = end < i1 and end not in breaks and (keys[end] in entity_starts or keys[end] in adverbs) \
            and (nodes[q] is None or keys[end] not in nodes[q])
        if p >= 0 or attributive:
            out.append((q, end, stop, ("=" + " ".join(phrase), cls, scope), p, attributive))
    return out


def _choose(concepts: dict[str, Concept], entries) -> Concept | None:
    best_priority = entries[0].priority
    for e in entries:
        if e.priority < best_priority:
            break
        c = concepts.get(e.curie)
        if c is not None:
            return c
    return None


MAX_SHORT_FORM_MODIFIERS = 2


def _short_form_uses(lex: Lexicon, tokens: Tokens, matches: list[Match], lo: int, hi: int, i0: int) -> list[Match]:
    """Matches for the uses ``lo:hi`` of ``Tokens._short_hits`` (a short form defined earlier in the text, which
    the lexicon does not read: "holoprosencephaly (HPE)", then "HPE"), where no match of the same span is there
    already (a short form the lexicon reads is read as defined by ``recognize`` itself). Up to
    ``MAX_SHORT_FORM_MODIFIERS`` words before the short form (from token ``i0``, the sentence's first) that make a
    term with the words of its long form make that term: "semilobar HPE" is Semilobar holoprosencephaly."""
    starts = tokens.starts
    have = {(m.start, m.end) for m in matches}
    out = []
    for a, b, concept, long in tokens._short_hits[lo:hi]:
        if (a, b) in have:
            continue
        k = bisect_left(starts, a)
        first, concept = _modified(lex, tokens, k, long, concept, i0)
        out.append(Match(starts[first], b, concept, first, bisect_left(starts, b, k)))
    return out


def _modified(lex: Lexicon, tokens: Tokens, k: int, long: tuple[str, ...], concept: Concept, i0: int
              ) -> tuple[int, Concept]:
    """(first token, concept) of the short form at token ``k`` (defined as ``concept``, its long form's keys
    ``long``) with the words before it, up to ``MAX_SHORT_FORM_MODIFIERS`` from token ``i0`` on and no break
    between, that make a term of the same group with its long form ("semilobar HPE", "secundum ASD"); else (k,
    concept)."""
    if long:
        keys, breaks = tokens.keys, tokens.breaks
        for j in range(max(i0, k - MAX_SHORT_FORM_MODIFIERS), k):
            if breaks.isdisjoint(range(j + 1, k + 1)):
                found = lex.lookup_keys(tuple(keys[j:k]) + long)
                if found and GROUPS.get(found[0].type) == GROUPS.get(concept.type):
                    return j, found[0]
    return k, concept


def _defined_readings(tokens: Tokens, matches: list[Match], new: list[tuple[str, int]], end: int) -> list[Match]:
    """The matches of a sentence that defines short forms (``new``: each with its bracket's offset; ``end``: the
    sentence's end), read with the short forms the text has defined so far (``_define``): a one-word match of a
    short form the lexicon reads ("IBD" inflammatory bowel disease, "MR" magnetic resonance) takes the concept of
    its long form ("mitral regurgitation (MR)"), or is dropped when the long form names none ("identity by
    descent (IBD)"); a short form the lexicon does not read takes its long form's concept in the rest of the
    sentence, and its uses in the rest of the text are recorded (``Tokens._short_hits``) for the later sentences,
    unless it names a drug: a short form defined as a drug is most often a gene's or a protein's ("presenilin 2
    (PSEN2)", "green fluorescent protein (GFP)"), which the drug stage sets aside at a cost for every sentence
    that names it. ``recognize`` reads the matches of later sentences so as it finds them."""
    text, defined = tokens.text, tokens._abbreviations
    starts = tokens.starts
    have = {(m.start, m.end) for m in matches}
    hits = tokens._short_hits
    recorded = len(hits)
    for short, bracket in new:
        concept = defined[short]
        if concept is None:
            continue
        at = text.find(short, bracket)
        carried = (at, at + len(short)) not in have and concept.type != "Drug"  # the lexicon does not read it
        while at >= 0:
            e = at + len(short)
            if not (text[at - 1:at].isalnum() or text[e:e + 1].isalnum()):
                if at < end:
                    if (at, e) not in have:
                        k = bisect_left(starts, at)
                        matches.append(Match(at, e, concept, k, bisect_left(starts, e, k)))
                elif not carried:
                    break
                else:
                    hits.append((at, e, concept, tokens._long_forms.get(short, ())))
            at = text.find(short, e)
    if len(hits) > recorded:
        hits.sort(key=_START)
        tokens._short_starts = [hit[0] for hit in hits]
    kept = []
    for m in matches:
        if m.last_token - m.first_token == 1 and text[m.start].isupper():
            short = text[m.start:m.end]
            if short in defined and m.concept is not defined[short]:
                if defined[short] is not None:
                    kept.append(m._replace(concept=defined[short]))
                continue
        kept.append(m)
    return kept


def _define(tokens: Tokens, matches: list[Match], s0: int, brackets: list[int]) -> list[tuple[str, int]]:
    """Records the short forms (two capitals at least; see ``_defined_readings``) written in the ``brackets`` of a
    sentence that starts at ``s0``: those right after a match or holding one, the only ones that can change what
    the lexicon reads. Returns those it found, each with its bracket's offset. The short form
    stands for the concept of the shortest match that ends at its bracket and spells it (``_spells``: in
    "moderately dilated left ventricle (LV)", LV is the left ventricle, not the dilatation). When none does and
    the lexicon reads the short form itself, the long form that Schwartz and Hearst's alignment finds decides:
    one that holds no match at all ("identity by descent (IBD)", "Child-Pugh (CP)") defines a short form that
    names no concept here; one that holds a match ("segment elevation myocardial infarction (STEMI)", a variant
    wording) defines nothing, and the lexicon's reading stands. The first definition of a short form holds to
    the end of the text."""
    text = tokens.text
    defined = tokens._abbreviations
    found = []
    for bracket in sorted(set(brackets)):
        d = _SHORT_FORM.match(text, bracket)
        if d is None:
            continue
        short, short_start = d.group(1), d.start(1)
        if short in defined or sum(map(str.isupper, short)) < 2:
            continue
        lf_end = bracket
        while lf_end > s0 and text[lf_end - 1] in " [":
            lf_end -= 1
        concept, first, long = None, -1, None
        for m in matches:
            if m.end == lf_end and m.start > first and not m.distributed and _spells(text, short, m.start, lf_end):
                concept, first, long = m.concept, m.start, m
        if concept is None:
            short_end = short_start + len(short)
            if not any(m.start == short_start and m.end == short_end for m in matches):
                continue  # the lexicon does not read it: nothing to correct
            lf_start = _long_form(text, short, lf_end, s0)
            if lf_start < 0 or any(lf_start < m.end and m.start < lf_end for m in matches):
                continue
        defined[short] = concept
        if long is not None:
            tokens._long_forms[short] = tuple(tokens.keys[long.first_token:long.last_token])
        found.append((short, bracket))
    return found


def _spells(text: str, short: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a long form of ``short`` as Schwartz and Hearst align them: it begins with the
    short form's first letter, and holds its other letters and digits in order."""
    words = text[start:end].lower()
    short = short.lower()
    if words[:1] != short[0]:
        return False
    at = 0
    for c in short[1:]:
        if c.isalnum():
            at = words.find(c, at + 1)
            if at < 0:
                return False
    return True


def _long_form(text: str, short: str, end: int, floor: int) -> int:
    """Start of the long form that the words before ``end`` (not before ``floor``) give ``short`` (Schwartz and
    Hearst 2003): its letters and digits found in order, right to left, within min(len + 5, 2 * len) words, the
    first at the start of a word; -1 when they do not spell it."""
    lo = end
    for _ in range(min(len(short) + 5, 2 * len(short))):
        lo = text.rfind(" ", floor, lo - 1) + 1
        if lo <= floor:
            lo = floor
            break
    i = end
    for k in range(len(short) - 1, -1, -1):
        c = short[k]
        if not c.isalnum():
            continue
        lower, upper = c.lower(), c.upper()
        while True:
            i = max(text.rfind(lower, lo, i), text.rfind(upper, lo, i))
            if i < 0:
                return -1
            if k or i == lo or not text[i - 1].isalnum():
                break
    return i


def _resolve(matches: list[Match], lex: Lexicon, keys: list[str]) -> list[Match]:
    """Matches in text order without overlaps inside a type group (longest first at one start), and without the
    anatomical sites inside a longer term that does not name them as a part of their own (``_names_own_site``;
    ``keys``: the text's token keys) nor the shorter sites inside such a refused one ("artery" in "coronary
    artery disease"). Equal matches count once: two matches with the same start, end, kind and CURIE are equal
    (their tokens follow from the offsets, their concept from the CURIE). Matches that already follow one another
    without overlap (most sentences' matches, tested by C-level passes) are returned as they are; a match that
    starts where every kept one has ended is kept without comparing."""
    if len(matches) == 1 or all(map(le, map(_END, matches), map(_START, islice(matches, 1, None)))):
        return matches
    unique: dict[tuple, Match] = {}
    for m in matches:
        unique.setdefault((m.start, m.start - m.end, not m.distributed, m.concept.curie), m)
    kept: list[Match] = []
    refused: list[Match] = []  # sites inside a term that does not name them
    reach = 0  # the end of the kept matches
    for key in sorted(unique):
        m = unique[key]
        if m.start >= reach:
            kept.append(m)
            reach = m.end
            continue
        group = GROUPS.get(m.concept.type, m.concept.type)
        clash = False
        for k in kept[-12:]:
            if k.end <= m.start or k.start >= m.end:
                continue
            k_group = GROUPS.get(k.concept.type, k.concept.type)
            if k_group == group and group == "problem" and not (k.start == m.start and k.end == m.end) \
                    and _disease_holds_phenotype(k.concept.curie, m.concept.curie):
                continue
            if k_group == group or (k.start == m.start and k.end == m.end) \
                    or (group == "problem" and k_group == "test" and k.start < m.start and m.end <= k.end):
                clash = True
                break
            if group == "anatomy" and k.start <= m.start and m.end <= k.end and not _names_own_site(lex, keys, k, m):
                clash = True
                refused.append(m)
                break
        if not clash and refused and group == "anatomy":
            clash = any(r.start <= m.start and m.end <= r.end for r in refused[-4:])
        if not clash:
            kept.append(m)
            if m.end > reach:
                reach = m.end
    return kept
