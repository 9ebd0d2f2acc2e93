"""ConText (Chapman et al.): negation, uncertainty, history, hypothetical and family attributes from trigger
phrases and their scopes within a sentence (a CONFIRMATION cue such as "confirmed" anywhere in the sentence
cancels uncertainty: "suspected ..., confirmed later by biological examinations"), plus who a sentence is about (patient, literature, family, other).

Triggers and cues are data: kg/resources/context_rules_<lang>.tsv and kg/resources/subject_cues.tsv.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.extract.lexicon import keys_of
from kg.errors import ResourceError
from kg.resources import load_tsv, resource_path

CATEGORIES = {"NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "FAMILY", "HYPOTHETICAL", "PSEUDO", "TERMINATE",
              "CONFIRMATION"}
DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"}
MAX_SCOPE = 12  # tokens a trigger reaches: lists such as "no history of A, B, C or D" (NegEx uses 5-6 words; 12 scored best on MACCROBAT dev)
SUBJECTS = {"patient", "literature", "family", "other"}


@dataclass(frozen=True)
class Trigger:
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


def _trie_from(rows: list[tuple]) -> dict:
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
    return _trie_from(rows)


@lru_cache(maxsize=1)
def subject_cues() -> dict:
    rows = load_tsv(resource_path("subject_cues.tsv"), ("phrase", "subject", "strength"),
                    allowed={"subject": SUBJECTS, "strength": {"strong", "weak"}})
    return _trie_from([(keys_of(r["phrase"]), r["subject"], r["strength"]) for r in rows if keys_of(r["phrase"])])


def _scan(trie: dict, keys: list[str]) -> list[tuple[int, int, tuple[str, str]]]:
    """Longest non-overlapping phrase matches of a trie over token keys."""
    out = []
    i, n = 0, len(keys)
    while i < n:
        node = trie.get(keys[i])
        best = None
        j = i
        while node is not None:
            if "" in node:
                best = (i, j + 1, node[""])
            j += 1
            if j >= n:
                break
            node = node.get(keys[j])
        if best:
            out.append(best)
            i = best[1]
        else:
            i += 1
    return out


def find_triggers(keys: list[str]) -> list[Trigger]:
    return [Trigger(i, j, cat, direction, scope) for i, j, (cat, direction, scope) in _scan(context_rules(), keys)]


def attributes_for(first: int, last: int, triggers: list[Trigger]) -> Attributes:
    """Attributes of a span of tokens [first, last) of a sentence, given that sentence's triggers.

    A trigger reaches at most MAX_SCOPE tokens and stops at a terminator; a backward trigger also stops at another
    trigger of its own category (in "… calcification and no neurological signs, surgery was not done", the final
    negation belongs to what follows "no", not to the calcification before it)."""
    terminators = [t for t in triggers if t.direction == "TERMINATE"]
    confirmed = any(t.category == "CONFIRMATION" for t in triggers)
    flags = {c: False for c in CATEGORIES}
    for t in triggers:
        if t.direction in ("TERMINATE", "PSEUDO") or t.category == "CONFIRMATION":
            continue
        if t.first < last and first < t.last:
            continue
        if t.last <= first and t.direction in ("FORWARD", "BIDIRECTIONAL"):
            lo, hi = t.last, first
        elif t.first >= last and t.direction in ("BACKWARD", "BIDIRECTIONAL"):
            lo, hi = last, t.first
        else:
            continue
        if hi - lo > (t.max_scope or MAX_SCOPE):
            continue
        if any(lo <= x.first and x.last <= hi for x in terminators):
            continue
        if t.direction == "BACKWARD" and any(x is not t and x.category == t.category and lo <= x.first and x.last <= hi
                                             for x in triggers):
            continue
        flags[t.category] = True
    return Attributes(negated=flags["NEGATED_EXISTENCE"], uncertain=flags["POSSIBLE_EXISTENCE"] and not confirmed,
                      historical=flags["HISTORICAL"], hypothetical=flags["HYPOTHETICAL"], family=flags["FAMILY"])


# Default subject of a sentence by section kind, when no strong cue decides.
SECTION_DEFAULT = {"case": "patient", "figure": "patient", "title": "patient", "abstract": "patient",
                   "results": "patient", "front": "other", "keywords": "other", "introduction": "other",
                   "discussion": "other", "conclusion": "other", "methods": "other", "references": "literature",
                   "other": "patient"}


def sentence_subject(keys: list[str], section_kind: str, has_marker: bool) -> str:
    """Who a sentence is about. A citation marker or a strong literature cue makes it literature; a strong
    patient cue makes it the patient's, else a strong family cue ("her mother had ...") the family's; otherwise the section decides (case -> patient, discussion -> other),
    weak cues tipping background sections (abstract) one way or the other."""
    strong: set[str] = set()
    weak: set[str] = set()
    for _, _, (subject, strength) in _scan(subject_cues(), keys):
        (strong if strength == "strong" else weak).add(subject)
    default = SECTION_DEFAULT.get(section_kind, "other")
    if "patient" in strong and not has_marker:
        return "patient"
    if "family" in strong and not has_marker:
        return "family"
    if has_marker or "literature" in strong:
        return "literature"
    if "other" in strong:
        return "other"
    if default == "patient":
        if section_kind == "abstract" and "other" in weak and "patient" not in weak:
            return "other"
        return "patient"
    return default
