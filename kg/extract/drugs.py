"""Drug roles: whether a drug name recognised in a sentence names something given to the patient.

Drug lists (MeSH, DrugBank) name enzymes, receptors, hormones and other molecules that case reports mostly measure,
stain or sequence, and a drug named in a report is not always taken by the patient: it may be an antibiotic an
isolate was tested against, a contrast agent or tracer of an imaging study, or "drugs" as a behaviour ("illicit
drug use"). ``drug_roles`` reads the words around each Drug match of one sentence and

* drops a distributed conjunct that is only a route word or a letter ("topical and oral corticosteroids");
* drops a generic drug word used for drug taking or as a cause ("no history of drug use", "drug-induced");
* drops a drug tested against an isolate ("sensitive to penicillin ... and vancomycin", "rifampicin-susceptible");
* turns a contrast agent or tracer in a sentence about imaging ("late gadolinium enhancement") and a biological
  molecule that is not given ("acid phosphatase activity", "VEGF (+)") into the LabTest or Procedure concept the
  lexicon has for the same words, or drops it when there is none (a CURIE keeps one type everywhere); a measured
  drug ("valproate levels") takes such a concept where there is one and otherwise stays a drug (its level is
  measured because the patient takes it);
* turns an analyte (a LabTest match: carnitine, folate, growth hormone, calcium) into the Drug concept of the same
  words where the words say it was given ("started on oral carnitine 1 g", "calcium tablets", "transfusion of
  platelets").
* adds a drug name misspelt by one typing slip where it is listed with a drug or given ("azathioprine,
  corticosteroiods and ...", "initiation of cetixumab").

"Given" means a dose right after the name, a route word next to it, a treatment noun right after it ("GH therapy",
"calcium tablets") or an administration phrase shortly before or after it in the same clause ("treated with",
"were supplemented"). The cue words are data: kg/resources/drug_context.tsv. Only sentences with a Drug match, or a
LabTest match whose words also name a drug, are read.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Iterator, NamedTuple
from weakref import WeakKeyDictionary

from kg.errors import ResourceError
from kg.extract.concepts import GROUPS, Match, Tokens
from kg.extract.context import phrase_trie, scan_phrases
from kg.extract.lexicon import DRUG_OWN_PREFIX, ENTRIES, Lexicon, keys_of
from kg.model import Concept
from kg.resources import load_tsv, resource_path

KINDS = {"administer_before", "administer_after", "administer_next", "administer_hyphen", "route", "dose_unit",
         "dose_before", "dose_follow", "conc_unit", "value_link", "measure_before", "measure_after", "level_before",
         "level_after", "biology", "biology_suffix", "drug_head",
         "susceptibility", "microbiology", "tested_after", "imaging_agent", "imaging", "tracer_after", "radionuclide",
         "agent_link", "generic", "use_before", "use_after", "clause_break", "substance"}
ADMIN_REACH = 4  # words between an administration phrase and the drug it governs, besides other drug names, doses
# and "and"/"or" (lists: "A, B, C and D were given")
ROUTE_REACH = 3
MEASURE_REACH = 2  # "X levels", "X and Y levels"
TEST_TYPES = ("LabTest", "Procedure")
MISSPELT_MIN = 8  # letters of a word tried as a misspelt drug name (shorter words are too often other words)
HYPHENS = ("-", "\u2010", "\u2011", "\u2013")
_NUMBER = r"\d+(?:[.,]\d+)?"
_JOINERS = frozenset({"and", "or"})


class Cues(NamedTuple):
    phrases: dict  # phrase trie over token keys; values: (frozenset of kinds,)
    words: dict[str, frozenset[str]]  # kind -> its one-word cues
    suffixes: tuple[str, ...]
    dose_after: re.Pattern
    dose_before: re.Pattern
    value_after: re.Pattern
    number_after: re.Pattern
    substances: dict[tuple[str, ...], str]


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The cue table, compiled: one phrase trie, the one-word cues by kind and the dose / value patterns."""
    path = resource_path("drug_context.tsv")
    rows = load_tsv(path, ("kind", "cue", "curie"), min_columns=2, allowed={"kind": KINDS})
    by_keys: dict[tuple[str, ...], set[str]] = {}
    words: dict[str, set[str]] = {k: set() for k in KINDS}
    raw: dict[str, list[str]] = {k: [] for k in KINDS}
    substances: dict[tuple[str, ...], str] = {}
    for r in rows:
        kind, cue = r["kind"], r["cue"]
        raw[kind].append(cue)
        if kind == "substance":
            if not r["curie"]:
                raise ResourceError(f"{path}: substance {cue!r} has no curie")
            substances[keys_of(cue)] = r["curie"]
            continue
        if kind in ("dose_unit", "dose_follow"):
            words[kind].update(keys_of(cue))
        if kind in ("dose_unit", "dose_follow", "conc_unit", "dose_before", "value_link", "biology_suffix"):
            continue
        keys = keys_of(cue)
        if not keys:
            raise ResourceError(f"{path}: cue {cue!r} has no words")
        by_keys.setdefault(keys, set()).add(kind)
        if len(keys) == 1:
            words[kind].add(keys[0])

    def alternation(forms: list[str]) -> str:
        return "|".join(re.escape(f) for f in sorted(set(forms), key=lambda f: (-len(f), f)))

    dose, conc = alternation(raw["dose_unit"]), alternation(raw["conc_unit"])
    between, link = alternation(raw["dose_before"]), alternation(raw["value_link"])
    amount = rf"{_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?\s*"
    return Cues(
        phrases=phrase_trie([(k, frozenset(v)) for k, v in sorted(by_keys.items())]),
        words={k: frozenset(v) for k, v in words.items()},
        suffixes=tuple(raw["biology_suffix"]),
        dose_after=re.compile(rf"\s*[(\[,:]?\s*{amount}(?:{dose})(?![^\W\d_]|/)", re.IGNORECASE),
        dose_before=re.compile(rf"\d\s*(?:{dose})\s+(?:(?:{between})\s+)?$", re.IGNORECASE),
        value_after=re.compile(rf"\s*[(\[,]?\s*(?:(?:{link})\s*)?{amount}(?:{conc})(?![^\W\d_])", re.IGNORECASE),
        number_after=re.compile(rf"\s*(?:(?:{link})\s*)?[<>≤≥~]?\s*\d", re.IGNORECASE),
        substances=substances)


@lru_cache(maxsize=4096)
def _label_keys(label: str) -> tuple[str, ...]:
    return keys_of(label)


_ALTERNATIVES: "WeakKeyDictionary[Lexicon, dict]" = WeakKeyDictionary()


def _drug_for(lex: Lexicon, keys: tuple[str, ...], analyte: Concept) -> Concept | None:
    """The Drug concept named by the words of an analyte match or by the analyte's label ("GH" -> growth hormone),
    or listed for those words as a substance in drug_context.tsv; None if there is none (memoised per lexicon)."""
    memo = _ALTERNATIVES.get(lex)
    if memo is None:
        memo = _ALTERNATIVES[lex] = {}
    key = (keys, analyte.curie)
    if key not in memo:
        found = None
        for words in (keys, _label_keys(analyte.label)):
            found = next((c for c in lex.lookup_keys(words) if c.type == "Drug"), None)
            if found is None:
                curie = cues().substances.get(words)
                found = lex.concepts.get(curie) if curie else None
                if found is not None and found.type != "Drug":
                    found = None
            if found is not None:
                break
        memo[key] = found
    return memo[key]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits(word: str) -> Iterator[str]:
    """Spellings one typing slip away from ``word``, its first letter kept: a letter deleted, inserted, replaced or
    swapped with the next, and two letters one apart swapped or three letters rotated ("cetixumab" -> cetuximab,
    "cathecol" -> "catechol")."""
    n = len(word)
    for i in range(1, n):
        yield word[:i] + word[i + 1:]
        for c in _LETTERS:
            yield word[:i] + c + word[i + 1:]
            yield word[:i] + c + word[i:]
        if i + 1 < n:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if i + 2 < n:
            a, b, c = word[i], word[i + 1], word[i + 2]
            yield word[:i] + c + b + a + word[i + 3:]
            yield word[:i] + b + c + a + word[i + 3:]
            yield word[:i] + c + a + b + word[i + 3:]
    for c in _LETTERS:
        yield word + c


_MISSPELT: "WeakKeyDictionary[Lexicon, dict]" = WeakKeyDictionary()


def _misspelt_drug(lex: Lexicon, key: str) -> Concept | None:
    """The drug a word not in the lexicon would name with one typing slip corrected (see ``_edits``), when exactly
    one drug is that close (memoised per lexicon). Only DrugBank and curated drugs count: MeSH's chemical list
    (the dictionary's drugs without a DrugBank id, under MESH: or their own ``DRUG_OWN_PREFIX`` ids) names
    molecules and odd variants ("informatin") that ordinary words are one slip away from."""
    memo = _MISSPELT.get(lex)
    if memo is None:
        memo = _MISSPELT[lex] = {}
    if key not in memo:
        trie, concepts = lex.trie, lex.concepts
        found: set[Concept] = set()
        for variant in _edits(key):
            node = trie.get(variant)
            if node is not None:
                for e in node.get(ENTRIES, ()):
                    c = concepts.get(e.curie)
                    if c is not None and c.type == "Drug" and not c.curie.startswith(("MESH:", DRUG_OWN_PREFIX)):
                        found.add(c)
                        break
        memo[key] = found.pop() if len(found) == 1 else None
    return memo[key]


def _test_for(lex: Lexicon, keys: tuple[str, ...]) -> Concept | None:
    return next((c for c in lex.lookup_keys(keys) if c.type in TEST_TYPES), None)


def _english(text: str, m: Match) -> bool:
    """The name is written in Latin (or Greek) letters: the cues are English, a name in another script
    ("ایمونوگلوبولین وریدی") is left as recognised."""
    surface = text[m.start:m.end]
    return surface.isascii() or all(ch < "\u0250" or "\u0370" <= ch < "\u0400" for ch in surface if ch.isalpha())


def drug_roles(lex: Lexicon, tokens: Tokens, matches: list[Match], start: int, end: int) -> list[Match]:
    """The matches of the sentence ``tokens.text[start:end]`` with drug roles applied (see the module docstring):
    a new list, or ``matches`` itself when no match is a drug or an analyte that could be one."""
    keys = tokens.keys
    for m in matches:
        t = m.concept.type
        if t == "Drug" or (t == "LabTest" and not m.distributed
                           and _drug_for(lex, tuple(keys[m.first_token:m.last_token]), m.concept) is not None):
            return _Sentence(lex, tokens, matches, start, end).resolve()
    return matches


class _Sentence:
    """The cues of one sentence and the decisions for its matches."""

    def __init__(self, lex: Lexicon, tokens: Tokens, matches: list[Match], start: int, end: int):
        self.lex, self.tokens, self.matches = lex, tokens, matches
        self.cues = c = cues()
        starts = tokens.starts
        self.i0, self.i1 = bisect_left(starts, start), bisect_left(starts, end)
        self.found = [(self.i0 + i, self.i0 + j, kinds)
                      for i, j, (kinds,) in scan_phrases(c.phrases, tokens.keys[self.i0:self.i1])]
        self.kinds = frozenset().union(*(kinds for _, _, kinds in self.found))
        self.named = {k for m in matches if m.concept.type in ("Drug", "LabTest")
                      for k in range(m.first_token, m.last_token)}

    # ------------------------------------------------------------------ cue positions
    def _before(self, m: Match, kind: str, reach: int, clean: bool = False) -> int | None:
        """End token of the nearest ``kind`` cue that ends at most ``reach`` tokens before ``m`` (with ``clean``: no
        comma, bracket or other break in between), or None."""
        if kind not in self.kinds:
            return None
        best = None
        for i, j, kinds in self.found:
            if j > m.first_token:
                break
            if kind in kinds and m.first_token - j <= reach:
                best = j
        if best is not None and clean and not self.tokens.breaks.isdisjoint(range(best, m.first_token + 1)):
            return None
        return best

    def _after(self, m: Match, kind: str, reach: int, clean: bool = False, at: int | None = None) -> int | None:
        """Start token of the nearest ``kind`` cue that starts at most ``reach`` tokens after ``m`` (or after token
        ``at``; with ``clean``: no break in between), or None."""
        if kind not in self.kinds:
            return None
        end = m.last_token if at is None else at
        for i, _, kinds in self.found:
            if i >= end and kind in kinds:
                if i - end > reach or (clean and not self.tokens.breaks.isdisjoint(range(end, i + 1))):
                    return None
                return i
        return None

    def _anywhere(self, kind: str, m: Match) -> bool:
        """A ``kind`` cue somewhere in the sentence outside ``m``."""
        return kind in self.kinds and any(kind in kinds and (j <= m.first_token or i >= m.last_token)
                                          for i, j, kinds in self.found)

    def _governs(self, a: int, b: int) -> bool:
        """An administration phrase ending at token ``a`` reaches a name starting at ``b`` (or one ending at ``a``
        reaches a phrase starting at ``b``): no semicolon or clause word between, and at most ``ADMIN_REACH`` words
        that are not drug or analyte names, numbers, units, "and" or "or"."""
        if a >= b:
            return True
        t = self.tokens
        if ";" in t.text[t.ends[a - 1]:t.starts[b]]:
            return False
        if any("clause_break" in kinds and a <= i < b for i, _, kinds in self.found):
            return False
        listed = self.cues.words["dose_unit"]
        free = 0
        for k in range(a, b):
            key = t.keys[k]
            if k not in self.named and key not in _JOINERS and key not in listed and not key[:1].isdigit():
                free += 1
        return free <= ADMIN_REACH

    def _head_after(self, m: Match) -> int:
        """The token after ``m``, a bracketed short form that may follow it ("factor (G-CSF) support") and the
        words of other names it heads ("coagulation factor IX replacement")."""
        t = self.tokens
        k = m.last_token
        if k < self.i1 and t.text[t.ends[k - 1]:t.starts[k]].strip() == "(":
            for q in range(k + 1, min(k + 4, self.i1)):
                if t.text[t.ends[q - 1]:t.starts[q]].strip() == ")":
                    return q
        while k < self.i1 and k in self.named and k not in t.breaks:
            k += 1
        return k

    def _match_kinds(self, m: Match) -> set[str]:
        """Kinds of the cues inside the match's words and its concept's label."""
        out: set[str] = set()
        phrases = self.cues.phrases
        for keys in (self.tokens.keys[m.first_token:m.last_token], list(_label_keys(m.concept.label))):
            for _, _, (kinds,) in scan_phrases(phrases, keys):
                out |= kinds
        return out

    # ------------------------------------------------------------------ roles
    def administered(self, m: Match) -> bool:
        t, c = self.tokens, self.cues
        text = t.text
        dose = c.dose_after.match(text, m.end)
        if dose and self._dose_of_name(dose.end()):
            return True
        if c.dose_before.search(text, max(0, m.start - 30), m.start):
            return True
        if "route" in self.kinds and "route" in self._match_kinds(m):  # "intravenous immunoglobulin (IVIG)"
            return True
        if self._before(m, "route", ROUTE_REACH, clean=True) is not None or \
                self._after(m, "route", ROUTE_REACH, clean=True) is not None:
            return True
        if self._after(m, "administer_next", 0, at=self._head_after(m)) is not None:
            return True
        hyphen = self._after(m, "administer_hyphen", 0)
        if hyphen is not None and text[t.ends[hyphen - 1]:t.starts[hyphen]] in HYPHENS:
            return True
        j = self._before(m, "administer_before", self.i1)
        if j is not None and self._governs(j, m.first_token):
            return True
        i = self._after(m, "administer_after", self.i1)
        return i is not None and self._governs(m.last_token, i)

    def measured(self, m: Match) -> int:
        """2: the name is a measured analyte (a value in a concentration unit, "serum X", "X activity"); 1: it is
        measured, as a drug's level may be ("X levels", "level of X"); 0: neither."""
        t, c = self.tokens, self.cues
        if c.value_after.match(t.text, m.end) or self._before(m, "measure_before", 0, clean=True) is not None:
            return 2
        level = 0
        for kind, strength in (("measure_after", 2), ("level_after", 1)):
            i = self._after(m, kind, MEASURE_REACH, clean=True)
            if i is not None and (i == m.last_token or t.keys[m.last_token] in ("and", "or")):
                return strength
        if self._before(m, "level_before", 0, clean=True) is not None:
            level = 1
        return level

    def _dose_of_name(self, end: int) -> bool:
        """A dose ending at offset ``end`` is of the name before it, not of a word after it ("(0.5 g/kg arginine)")."""
        t = self.tokens
        k = bisect_left(t.starts, end)
        if k >= self.i1 or k in t.breaks:
            return True
        key = t.keys[k]
        return key in self.cues.words["dose_follow"] or key in self.cues.words["route"] or key[:1].isdigit()

    def valued(self, m: Match) -> bool:
        """A number right after the name, or after "was", ":" and the like, that is not a dose ("potassium was
        3.1")."""
        text = self.tokens.text
        return bool(self.cues.number_after.match(text, m.end)) and not self.cues.dose_after.match(text, m.end)

    def tested(self, m: Match) -> bool:
        if self._after(m, "tested_after", 0, clean=True) is not None:
            return True
        if "susceptibility" not in self.kinds:
            return False
        trigger = next((j for _, j, kinds in self.found if "susceptibility" in kinds and j <= m.first_token), None)
        if trigger is None or not self._anywhere("microbiology", m):
            return False
        return not self.administered(m) and \
            not any("administer_before" in kinds and trigger <= i < m.first_token for i, _, kinds in self.found)

    def imaging_agent(self, m: Match) -> bool:
        if self._anywhere("imaging", m) and "imaging_agent" in self._match_kinds(m):
            return True
        if self._before(m, "radionuclide", 0, clean=True) is not None or \
                self._after(m, "tracer_after", 0, clean=True) is not None:
            return True
        link = self._before(m, "agent_link", 0, clean=True)
        return link is not None and any("imaging" in kinds and j == link - 1 for _, j, kinds in self.found)

    def drug_use(self, m: Match) -> bool:
        """A generic drug word for drug taking, as a cause or for a level ("drug use", "concentrations of drug")."""
        if not set(self.tokens.keys[m.first_token:m.last_token]) <= self.cues.words["generic"]:
            return False
        return self._after(m, "use_after", 0, clean=True) is not None or \
            self._before(m, "use_before", 2, clean=True) is not None or self.measured(m) > 0

    def biological(self, m: Match) -> bool:
        """The name (or, failing that, its concept's label) is a biological molecule's: a biology word or an
        enzyme ending in a name of two or more words, unless its head word makes it a drug ("ACE inhibitor")."""
        heads, biology, suffixes = self.cues.words["drug_head"], self.cues.words["biology"], self.cues.suffixes
        for keys in (self.tokens.keys[m.first_token:m.last_token], _label_keys(m.concept.label)):
            if not keys or keys[-1] in heads:
                return False
            if not biology.isdisjoint(keys) or \
                    (len(keys) > 1 and any(k.endswith(suffixes) and len(k) > 5 for k in keys)):
                return True
        return False

    def _retyped(self, m: Match, kept: list[Match]) -> Match | None:
        """The match as the test concept of the same words, or None (no such concept, or a test already there)."""
        test = _test_for(self.lex, tuple(self.tokens.keys[m.first_token:m.last_token]))
        if test is None:
            return None
        group = GROUPS[test.type]
        if any(GROUPS.get(o.concept.type) == group and o.start < m.end and m.start < o.end
               for o in self.matches + kept if o is not m):
            return None
        return m._replace(concept=test)

    def resolve(self) -> list[Match]:
        out: list[Match] = []
        route = self.cues.words["route"]
        keys = self.tokens.keys
        for m in self.matches:
            t = m.concept.type
            if t == "LabTest":
                drug = None
                if not m.distributed and _english(self.tokens.text, m):
                    drug = _drug_for(self.lex, tuple(keys[m.first_token:m.last_token]), m.concept)
                if drug is not None and self.administered(m) and not self.measured(m) and not self.valued(m):
                    m = m._replace(concept=drug)
                out.append(m)
                continue
            if t != "Drug" or not _english(self.tokens.text, m):
                out.append(m)
                continue
            if m.distributed and (m.end - m.start <= 2 or set(keys[m.first_token:m.last_token]) <= route):
                continue
            if self.drug_use(m) or self.tested(m):
                continue
            measured = self.measured(m)
            if measured == 2 or self.imaging_agent(m) or \
                    (self.biological(m) and (measured or not self.administered(m))):
                retyped = self._retyped(m, out)
                if retyped is not None:
                    out.append(retyped)
                continue
            if measured:
                m = self._retyped(m, out) or m
            out.append(m)
        misspelt = self._misspelt(out)
        return sorted(out + misspelt, key=lambda m: m.start) if misspelt else out

    def _misspelt(self, kept: list[Match]) -> list[Match]:
        """Drug names misspelt by one slip ("corticosteroiods", "sevofluorane"): a word of ``MISSPELT_MIN`` letters
        or more that the lexicon does not know, in a list with a drug ("azathioprine, corticosteroiods and ...") or
        right after or before an administration phrase ("initiation of cetixumab")."""
        t, lex = self.tokens, self.lex
        drugs_at = {k for m in kept if m.concept.type == "Drug" for k in (m.first_token, m.last_token - 1)}
        governed = set()
        if "administer_before" in self.kinds or "administer_after" in self.kinds:
            governed = {j for _, j, kinds in self.found if "administer_before" in kinds} | \
                {i - 1 for i, _, kinds in self.found if "administer_after" in kinds}
        near = governed | {k + d for k in drugs_at for d in (-2, -1, 1, 2)}
        keys, trie = t.keys, lex.trie
        candidates = [k for k in near if self.i0 <= k < self.i1 and len(keys[k]) >= MISSPELT_MIN]
        if not candidates:
            return []
        covered = None
        out = []
        for k in sorted(candidates):
            key = keys[k]
            if not key.isalpha() or key in trie or not t.text[t.starts[k]:t.ends[k]].isalpha():
                continue
            if covered is None:
                covered = {q for m in self.matches for q in range(m.first_token, m.last_token)}
            if k in covered or not (k in governed or self._listed_with(k, drugs_at)):
                continue
            drug = _misspelt_drug(lex, key)
            if drug is not None:
                out.append(Match(t.starts[k], t.ends[k], drug, k, k + 1))
        return out

    def _listed_with(self, k: int, drugs_at: set[int]) -> bool:
        """Token ``k`` and a drug name next to it are items of one list (a comma, "and" or "or" between)."""
        t = self.tokens
        for other, gap in ((k - 1, (k - 1, k)), (k + 1, (k, k + 1))):
            if other in drugs_at and t.text[t.ends[gap[0]]:t.starts[gap[1]]].strip() in (",", "/"):
                return True
        for other, joiner in ((k - 2, k - 1), (k + 2, k + 1)):
            if other in drugs_at and t.keys[joiner] in _JOINERS:
                return True
        return False
