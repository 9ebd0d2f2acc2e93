"""ConText (Chapman et al.): negation, uncertainty, history, hypothetical and family attributes from trigger
phrases and their scopes within a sentence (a CONFIRMATION cue such as "confirmed" anywhere in the sentence
cancels uncertainty: "suspected ..., confirmed later by biological examinations"), plus who a sentence is about (patient, literature, family, other).

Triggers and cues are data: kg/resources/context_rules_<lang>.tsv and kg/resources/subject_cues.tsv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from typing import NamedTuple, Sequence

from kg.extract.lexicon import keys_of
from kg.errors import ResourceError
from kg.resources import load_tsv, resource_path

CATEGORIES = {"NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "FAMILY", "HYPOTHETICAL", "PSEUDO", "TERMINATE",
              "CONFIRMATION"}
DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO", "QUANTIFIER"}
MAX_SCOPE = 12  # tokens a trigger reaches: lists such as "no history of A, B, C or D" (NegEx uses 5-6 words; 12 scored best on MACCROBAT dev)
SUBJECTS = {"patient", "literature", "family", "other"}


class Trigger(NamedTuple):
    """A trigger phrase found in a sentence (a named tuple: immutable and cheap to create)."""

    first: int  # token index
    last: int  # exclusive
    category: str
    direction: str
    max_scope: int = 0  # 0: MAX_SCOPE


@dataclass(frozen=True)
class Attributes:
    negated: bool = False
    uncertain: bool = False
    historical: bool = False
    hypothetical: bool = False
    family: bool = False


def phrase_trie(rows: list[tuple]) -> dict:
    """A token trie from rows ``(keys, *values)``: the values of a phrase stored under its last token."""
    trie: dict = {}
    for keys, *values in rows:
        node = trie
        for k in keys:
            node = node.setdefault(k, {})
        node[""] = tuple(values)
    return trie


@lru_cache(maxsize=1)
def context_rules() -> dict:
    """Trigger trie built from every context_rules_<lang>.tsv bundled."""
    rows = []
    for path in sorted(resource_path(".").glob("context_rules_*.tsv")):
        for r in load_tsv(path, ("phrase", "category", "direction", "max_scope"), min_columns=3,
                          allowed={"category": CATEGORIES, "direction": DIRECTIONS}):
            if r["max_scope"] and not r["max_scope"].isdigit():
                raise ResourceError(f"{path}: max_scope of {r['phrase']!r} must be a whole number")
            keys = keys_of(r["phrase"])
            if keys:
                rows.append((keys, r["category"], r["direction"], int(r["max_scope"] or 0)))
    return phrase_trie(rows)


@lru_cache(maxsize=1)
def subject_cues() -> dict:
    rows = load_tsv(resource_path("subject_cues.tsv"), ("phrase", "subject", "strength"),
                    allowed={"subject": SUBJECTS, "strength": {"strong", "weak"}})
    return phrase_trie([(keys_of(r["phrase"]), r["subject"], r["strength"]) for r in rows if keys_of(r["phrase"])])


def scan_phrases(trie: dict, keys: list[str], starts: list[int] | None = None) -> list[tuple[int, int, tuple]]:
    """Longest non-overlapping phrase matches of a trie over token keys, left to right. Only the tokens that
    begin a phrase (keys of the trie's root) are walked from: those of ``starts`` (ascending token indices that
    include them all, as ``cue_starts`` gives), else those picked out by a C-level pass."""
    out = []
    n = len(keys)
    after = 0
    for i in compress(count(), map(trie.__contains__, keys)) if starts is None else starts:
        if i < after:
            continue
        node = trie.get(keys[i])
        if node is None:
            continue
        values = node.get("")
        end = j = i + 1
        while j < n:
            node = node.get(keys[j])
            if node is None:
                break
            j += 1
            if "" in node:
                values, end = node[""], j
        if values is not None:
            out.append((i, end, values))
            after = end
    return out


@lru_cache(maxsize=1)
def _sentence_cue_trie() -> dict:
    """``context_rules`` and ``subject_cues`` as one trie, for ``sentence_cues``: a node's "" holds the pair (its
    trigger values or None, its subject cue values or None)."""
    merged: dict = {}

    def add(node: dict, into: dict, slot: int) -> None:
        for key, child in node.items():
            if key == "":
                pair = list(into.get("", (None, None)))
                pair[slot] = child
                into[""] = tuple(pair)
            else:
                add(child, into.setdefault(key, {}), slot)

    add(context_rules(), merged, 0)
    add(subject_cues(), merged, 1)
    return merged


def sentence_cues(keys: list[str], starts: list[int]) -> tuple[list[tuple], list[tuple]]:
    """The triggers ``(first, last, category, direction, max_scope)`` and the subject cues ``(first, last, subject,
    strength)`` of a sentence's keys (``starts``: its ``cue_starts``): ``scan_phrases`` of ``context_rules`` and
    of ``subject_cues``, read by one walk of the merged trie from each start instead of one walk per trie. Each
    trie keeps its own longest non-overlapping matches: a start inside a match of one is still read for the
    other."""
    trie = _sentence_cue_trie()
    triggers: list[tuple] = []
    cues: list[tuple] = []
    n = len(keys)
    t_after = c_after = 0
    for i in starts:
        if i < t_after and i < c_after:
            continue
        node = trie.get(keys[i])
        if node is None:
            continue
        t_values, c_values = node.get("", _NOTHING)
        t_end = c_end = j = i + 1
        while j < n:
            node = node.get(keys[j])
            if node is None:
                break
            j += 1
            pair = node.get("")
            if pair is not None:
                if pair[0] is not None:
                    t_values, t_end = pair[0], j
                if pair[1] is not None:
                    c_values, c_end = pair[1], j
        if t_values is not None and i >= t_after:
            triggers.append((i, t_end) + t_values)
            t_after = t_end
        if c_values is not None and i >= c_after:
            cues.append((i, c_end) + c_values)
            c_after = c_end
    return triggers, cues


_NOTHING = (None, None)


def find_triggers(keys: list[str]) -> list[Trigger]:
    return [Trigger(i, j, cat, direction, scope) for i, j, (cat, direction, scope) in scan_phrases(context_rules(), keys)]


@lru_cache(maxsize=1)
def _predicates() -> frozenset[str]:
    """Keys of the verbs that end the subject of a quantified negation, from kg/resources/predicate_verbs.tsv."""
    return frozenset(k for r in load_tsv(resource_path("predicate_verbs.tsv"), ("verb",)) for k in keys_of(r["verb"]))


def _quantified(triggers: list[tuple], keys: list[str]) -> list[tuple]:
    """The triggers with each QUANTIFIER ("none of", "neither of") read as a forward trigger whose span runs to the
    end of the verb of its clause (``_predicates``): "None of the subjects with thrombocytopenia showed bleeding"
    negates what the subjects showed, not the thrombocytopenia they have. Without such a verb within MAX_SCOPE
    tokens it negates nothing."""
    out = []
    predicates = _predicates()
    for t in triggers:
        if t[3] != "QUANTIFIER":
            out.append(t)
            continue
        verb = next((k for k in range(t[1], min(len(keys), t[1] + MAX_SCOPE)) if keys[k] in predicates), None)
        if verb is not None:
            out.append((t[0], verb + 1, t[2], "FORWARD", t[4]))
    return out


def attributes_for(first: int, last: int, triggers: list[Trigger]) -> Attributes:
    """Attributes of a span of tokens [first, last) of a sentence, given that sentence's triggers.

    A trigger reaches at most MAX_SCOPE tokens and stops at a terminator; a backward trigger also stops at another
    trigger of its own category (in "… calcification and no neurological signs, surgery was not done", the final
    negation belongs to what follows "no", not to the calcification before it), also one inside the span ("the
    corpus callosum was absent and speech was absent": each finding holds its own "absent")."""
    return Scopes(triggers).attributes(first, last)


_ATTRIBUTES: dict[tuple[bool, ...], Attributes] = {}


class Scopes:
    """``attributes_for`` over one sentence's triggers, the per-sentence work (terminators, confirmation, the
    triggers that set a flag) done once for all the spans of the sentence. Triggers are read as plain tuples
    (first, last, category, direction, max_scope), the fields of Trigger in order."""

    __slots__ = ("triggers", "terminators", "confirmed", "active")

    def __init__(self, triggers: list[tuple], keys: list[str] | None = None):
        """``keys``: the sentence's token keys, which a QUANTIFIER trigger needs (``_quantified``); without them
        such a trigger sets nothing."""
        if not self._read(triggers) and keys is not None:
            self._read(_quantified(triggers, keys))

    def _read(self, triggers: list[tuple]) -> bool:
        """Sorts the triggers into terminators, confirmation and the active ones; False when a QUANTIFIER trigger
        was set aside."""
        self.triggers = triggers
        self.terminators = []
        self.confirmed = False
        self.active = []
        plain = True
        for t in triggers:
            category, direction = t[2], t[3]
            if category == "CONFIRMATION":
                self.confirmed = True
            if direction == "TERMINATE":
                self.terminators.append((t[0], t[1]))
            elif direction == "QUANTIFIER":
                plain = False
            elif direction != "PSEUDO" and category != "CONFIRMATION":
                self.active.append(t)
        return plain

    @classmethod
    def of_keys(cls, keys: list[str], starts: list[int] | None = None) -> "Scopes":
        """The scopes of the triggers in a sentence's token keys (``find_triggers`` without building Triggers);
        a sentence without triggers shares one empty Scopes. ``starts``: the sentence's ``cue_starts``."""
        found = scan_phrases(context_rules(), keys, starts)
        if not found:
            return _NO_SCOPES
        return cls([(i, j) + values for i, j, values in found], keys)

    @classmethod
    def of_triggers(cls, triggers: list[tuple], keys: list[str] | None = None) -> "Scopes":
        """The scopes of a sentence's triggers as ``sentence_cues`` gives them (``keys``: the sentence's token keys,
        for a QUANTIFIER trigger); one shared empty Scopes for none."""
        return cls(triggers, keys) if triggers else _NO_SCOPES

    def attributes(self, first: int, last: int, listed: Sequence[int] | None = None) -> Attributes:
        """``listed``: running counts of the sentence's tokens that lie in a concept match (``listed[k]``: of the
        tokens before ``k``). A trigger of the default reach then counts only the other words between it and the
        span: the concepts of a list it governs do not use up its reach ("None showed ... such as neurological
        abnormalities, deafness, renal or ocular disease")."""
        if not self.active:
            return _NONE
        flags: set[str] = set()
        for t in self.active:
            t_first, t_last, category, direction, max_scope = t
            if category in flags or (t_first < last and first < t_last):
                continue
            if t_last <= first and (direction == "FORWARD" or direction == "BIDIRECTIONAL"):
                lo, hi = t_last, first
            elif t_first >= last and (direction == "BACKWARD" or direction == "BIDIRECTIONAL"):
                lo, hi = last, t_first
            else:
                continue
            reach = max_scope or MAX_SCOPE
            if hi - lo > reach and (listed is None or hi - lo - (listed[hi] - listed[lo]) > reach):
                continue
            if self.terminators and any(lo <= a < hi for a, _ in self.terminators):
                continue
            if direction == "BACKWARD" and any(x is not t and x[2] == category and first <= x[0] and x[1] <= hi
                                               for x in self.triggers):
                continue
            flags.add(category)
        if not flags:
            return _NONE
        key = ("NEGATED_EXISTENCE" in flags, "POSSIBLE_EXISTENCE" in flags and not self.confirmed,
               "HISTORICAL" in flags, "HYPOTHETICAL" in flags, "FAMILY" in flags)
        found = _ATTRIBUTES.get(key)
        if found is None:
            found = _ATTRIBUTES[key] = Attributes(*key)
        return found


_NONE = Attributes()
_NO_SCOPES = Scopes([])


# Default subject of a sentence by section kind, when no strong cue decides.
SECTION_DEFAULT = {"case": "patient", "figure": "patient", "title": "patient", "abstract": "patient",
                   "results": "patient", "front": "other", "keywords": "other", "introduction": "other",
                   "discussion": "other", "conclusion": "other", "methods": "other", "references": "literature",
                   "other": "patient"}
POSSESSIVES = {"her", "his", "their", "s", "our", "the", "a", "an", "one", "both", "two", "whose"}
FAMILY_LEAD = 4  # a family noun within the first tokens of a sentence makes the relative its grammatical subject


def _cues(keys: list[str], starts: list[int] | None = None) -> list[tuple[int, int, str, str]]:
    return [(i, j, subject, strength) for i, j, (subject, strength) in scan_phrases(subject_cues(), keys, starts)]


def sentence_subject(keys: list[str], section_kind: str, has_marker: bool, previous: str | None = None,
                     starts: list[int] | None = None, cues: list[tuple] | None = None) -> str:
    """Who a sentence is about (``starts``: the sentence's ``cue_starts``, and ``cues``: its subject cues as
    ``sentence_cues`` gives them, when the caller has them).

    A relative named at the head of the sentence ("Her mother had ...", "The patient's father reported ...") makes
    it the family's, and a definition ("X is a rare disorder ...") before any word about the patient or the family
    makes it other. Otherwise a strong patient cue makes it the patient's ("the proband's sister" names the sister,
    not the proband), else a strong family cue the family's,
    a citation marker or a strong literature cue the literature's, and a strong "other" cue (a generic statement:
    "X is caused by ...", a differential diagnosis) other. Without a strong cue the section decides (case ->
    patient, discussion -> other) and weak cues tip it: in a patient section, a generic wording ("usually",
    "patients with") with no word about the patient makes it other; in a background section, a sentence that opens with a
    pronoun ("Her MRI showed ...") continuing a sentence about the patient (``previous``, the subject of the
    sentence before in the same section) is the patient's."""
    strong: set[str] = set()
    weak: set[str] = set()
    family_lead = False
    first_cue = -1  # where the first word about the patient or the family is (cues come in text order)
    patients = 0  # strong patient cues that name the patient ("the proband's sister" names the sister)
    after_patient = -1
    for i, j, subject, strength in _cues(keys, starts) if cues is None else cues:
        if subject == "patient":
            if first_cue < 0:
                first_cue = i
            if strength == "strong":
                patients += 1
                after_patient = j
        elif subject == "family":
            if first_cue < 0:
                first_cue = i
            if strength == "strong" and i == after_patient + 1 and keys[after_patient] == "s":
                patients -= 1
                if not patients:
                    strong.discard("patient")
        (strong if strength == "strong" else weak).add(subject)
        if subject == "family" and strength == "strong" and i < FAMILY_LEAD \
                and all(k in POSSESSIVES or k == "patient" or k == "proband" for k in keys[:i]):
            family_lead = True
    default = SECTION_DEFAULT.get(section_kind, "other")
    if family_lead and not has_marker:
        return "family"
    if not has_marker and first_cue != 0 and first_cue != 1:
        copula = _definition(keys)
        if copula and (copula < first_cue or first_cue < 0):
            return "other"
    if "patient" in strong and not has_marker:
        return "patient"
    if "family" in strong and not has_marker:
        return "family"
    if has_marker or "literature" in strong:
        return "literature"
    if "other" in strong:
        return "other"
    if default == "patient":
        if "other" in weak and "patient" not in weak:
            return "other"
        return "patient"
    if previous == "patient" and keys and keys[0] in PRONOUNS and "other" not in weak and section_kind in BACKGROUND:
        return "patient"
    return default


BACKGROUND = {"introduction", "discussion", "conclusion"}
PRONOUNS = {"she", "he", "her", "his"}


@lru_cache(maxsize=1)
def _cue_roots() -> frozenset[str]:
    return frozenset(context_rules()).union(subject_cues(), PRONOUNS)


def cue_starts(keys: list[str]) -> list[int]:
    """Indices of a sentence's keys that begin a trigger or a subject cue or are a pronoun: one C-level pass for
    ``Scopes.of_keys``, ``sentence_subject`` and the pronoun check of a sentence."""
    return list(compress(count(), map(_cue_roots().__contains__, keys)))
RELATIVE_PRONOUNS = {"which", "that", "who"}  # "X, which is a sign of ..., was found in our patient": no definition
DEFINITION_LEAD = 8  # "Holoprosencephaly (HPE) is a severe congenital brain malformation ...": copula near the start


def _definition(keys: list[str]) -> int:
    """Where the copula of a definition is: "<term> is a/an ..." or "<terms> are a/an ..." within the first tokens of
    the sentence; 0 when the sentence is none."""
    head = keys[:DEFINITION_LEAD + 1]
    if "is" not in head and "are" not in head:
        return 0
    for i in range(1, min(len(keys) - 1, DEFINITION_LEAD)):
        if keys[i] in ("is", "are") and keys[i + 1] in ("a", "an") and keys[i - 1] not in RELATIVE_PRONOUNS:
            return i
    return 0


@lru_cache(maxsize=1)
def table_values() -> dict[str, str]:
    """Cell value -> negative | neutral, from kg/resources/table_values.tsv."""
    rows = load_tsv(resource_path("table_values.tsv"), ("value", "meaning"),
                    allowed={"meaning": {"negative", "neutral"}})
    return {"".join(r["value"].casefold().split()): r["meaning"] for r in rows}


def table_row_negated(row: str, offset: int) -> bool:
    """Whether the finding at character ``offset`` of a table row (cells separated by tabs) is absent in every
    patient of the table: it lies in the row's first filled cell and every other filled cell is a negative or
    neutral value ("No", "-", "N.D."), at least one negative. A row with one free-text or positive cell ("Y",
    "+", "mild") says some patient has it."""
    cells = row.split("\t")
    if len(cells) < 2:
        return False
    pos = 0
    first = None
    values = []
    for cell in cells:
        text = cell.strip()
        if text:
            if first is None:
                first = (pos, pos + len(cell))
            else:
                values.append("".join(text.casefold().split()))
        pos += len(cell) + 1
    if first is None or not values or not first[0] <= offset < first[1]:
        return False
    meanings = table_values()
    kinds = [meanings.get(v) or _count_meaning(v) for v in values]
    return None not in kinds and "negative" in kinds


_NONE_OF = re.compile(r"0(?:/|\\|of)[0-9]+(?:\(0(?:\.0+)?%\))?")


def _count_meaning(value: str) -> str | None:
    """"negative" for a count cell that says none of the patients has the finding ("0/5", "0\\1", "0 of 3"; the
    value case-folded, spaces removed), else None."""
    return "negative" if _NONE_OF.fullmatch(value) else None


INDEX_HEADER_WORDS = 6  # a header cell longer than this is a description, not a column name


@lru_cache(maxsize=1)
def _index_headers() -> tuple[dict, re.Pattern]:
    """Header phrases naming the index patient's column, from kg/resources/table_index_headers.tsv, as a
    ``phrase_trie``, and a pattern of their last words (a header row without one names no such column)."""
    phrases = [keys_of(r["phrase"]) for r in load_tsv(resource_path("table_index_headers.tsv"), ("phrase",))]
    words = sorted({p[-1] for p in phrases if p})
    return (phrase_trie([(p, True) for p in phrases if p]),
            re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE))


def index_column(header: str) -> int | None:
    """The column of a table whose header row (cells separated by tabs) names the report's own patient
    ("Index case", "Present patient"), when exactly one column does; else None."""
    trie, gate = _index_headers()
    if "\t" not in header or not gate.search(header):
        return None
    found = []
    for k, cell in enumerate(header.split("\t")):
        keys = keys_of(cell)
        if 0 < len(keys) <= INDEX_HEADER_WORDS and scan_phrases(trie, list(keys)):
            found.append(k)
    return found[0] if len(found) == 1 else None


def index_cell_reading(row: str, offset: int, header_cells: int, column: int) -> tuple[bool, str] | None:
    """(negated, subject) of the finding at character ``offset`` of a table row, read from the index patient's
    column ``column`` of a table whose header has ``header_cells`` cells; None when the row's cells do not line up
    with the header. A finding named in the first cell takes the index patient's cell: a negative value ("No",
    "-", a count of none: "0/1") negates it, a neutral one ("?", "N.D.", "Unknown (shaved)") says nothing of the
    patient (subject "other"), any other value affirms it for the patient. A finding written in another cell belongs to the
    patient only in the index column."""
    cells = row.split("\t")
    if len(cells) != header_cells or column == 0:
        return None
    pos = 0
    at = None
    for k, cell in enumerate(cells):
        if pos <= offset < pos + len(cell):
            at = k
            break
        pos += len(cell) + 1
    if at is None:
        return None
    if at != 0:
        return False, "patient" if at == column else "other"
    value = cells[column].strip()
    if not value:
        return False, "other"
    meanings = table_values()
    folded = "".join(value.casefold().split())
    meaning = meanings.get(folded) or _count_meaning(folded)
    if meaning is None:
        first = value.split()[0].casefold()
        meaning = meanings.get(first) if len(first) < len(value) else None
    if meaning == "negative":
        return True, "patient"
    if meaning == "neutral":
        return False, "other"
    return False, "patient"


TABLE_CELL = 40  # characters: a short line between table rows ("Facial anomalies", "+") is a cell, not a caption


def table_caption(text: str, row_start: int, known: dict[int, tuple[int, int]] | None = None) -> tuple[int, int]:
    """Span of the caption of the table whose row starts at ``row_start``: the nearest line above that is neither a
    row (tab-separated cells) nor a short cell line; (0, 0) when the table opens the text. ``known``: the captions
    found before in the same text, by line start, filled in with the lines this search passes (they have the same
    caption): the rows of a table are then not walked again for each row."""
    start = row_start
    passed = []
    caption = (0, 0)
    while start > 0:
        if known is not None and start in known:
            caption = known[start]
            break
        passed.append(start)
        above = text.rfind("\n", 0, start - 1) + 1
        line = text[above:start - 1]
        if "\t" not in line and len(line.strip()) >= TABLE_CELL:
            caption = (above, start - 1)
            break
        start = above
    if known is not None:
        known.update(dict.fromkeys(passed, caption))
    return caption


def line_subject(line: str, section_kind: str, keys: Sequence[str] | None = None) -> str:
    """Who a line of text (a table row) is about, read on its own. A reference number glued to a word ("Lionel et
    al10", "Smith et al.5") is dropped from it, so that the row's citation is read. ``keys``: the line's token
    keys (``keys_of(line)``) when the caller has them (the tokens of the text the line is in)."""
    return sentence_subject([_unglued(k) for k in (keys_of(line) if keys is None else keys)], section_kind, False)


def _unglued(key: str) -> str:
    """A token without the citation number glued to its end: "al10" -> "al"; numbers and codes are kept."""
    if key[-1:].isdigit() and key[:1].isalpha():
        stem = key.rstrip("0123456789")
        if stem.isalpha():
            return stem
    return key


def caption_subject(caption: str, keys: Sequence[str] | None = None) -> str | None:
    """Whom a table belongs to, read from its caption: "literature" for a summary of reported cases ("clinical
    features of all reported cases"), else None (its rows are read like any sentence). ``keys``: the caption's
    token keys (``keys_of(caption)``) when the caller has them."""
    subjects = {subject for _, _, subject, strength in _cues(list(keys_of(caption) if keys is None else keys))
                if strength == "strong"}
    if "literature" in subjects and "patient" not in subjects:
        return "literature"
    return None
