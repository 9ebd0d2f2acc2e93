"""Age and sex mentions in English and Persian text, and the choice of the patient's age and sex among them.

Cue words are data (``kg/resources/demographics_cues.tsv``: language, kind, phrase, value, cue). Ages are
"66-year-old", "23 year old", "5-month-old", "36-yr-old", "65 years of age", "aged 45", "age of 19 years",
"in her forties" (value None), "newborn"; Persian "۴۴ ساله", "۳ ماهه", "سن ۴۴ سال", "۴۴ سالگی". Sex cues are
singular nouns (woman, male, lady; خانم، زن، مرد، آقای), titles (Mrs, Mr: case-sensitive, so "MR imaging" is no
cue) and, weaker, pronouns. "patient" says nothing, nor do plurals ("three women for a man" is about a population:
callers pass the case and abstract spans, where the first cue is the patient's).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional, Sequence

from kg.errors import ResourceError
from kg.extract.normalize import normalize_for_matching, parse_number

CUES_FILE = "demographics_cues.tsv"
_KINDS = {"Sex", "AgeUnit", "AgeWord"}
_CUES = {"Sex": {"noun", "title", "pronoun"}, "AgeUnit": {"unit", "adjective", "ordinal"}, "AgeWord": {"word", "decade"}}


@dataclass(frozen=True)
class DemographicMention:
    """An age or sex cue. ``value``: years (float, None for "in her forties") for Age; "female"/"male" for Sex.

    ``cue`` says how strong it is: "noun", "title", "pronoun" (weakest) for Sex; "number", "word", "decade" for Age.
    """

    start: int
    end: int
    text: str
    kind: str
    value: float | str | None
    cue: str
    language: str = "en"


@dataclass(frozen=True)
class _Cue:
    language: str
    kind: str
    phrase: str
    value: str
    cue: str


def _fraction(text: str, where: str) -> float:
    parts = text.split("/")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise ResourceError(f"{where}: value {text!r} is not a number or fraction") from None
    if len(numbers) == 1:
        return numbers[0]
    if len(numbers) == 2 and numbers[1] != 0:
        return numbers[0] / numbers[1]
    raise ResourceError(f"{where}: value {text!r} is not a number or fraction")


@lru_cache(maxsize=1)
def cues() -> tuple[_Cue, ...]:
    """The rows of the cue table; a malformed row raises ResourceError naming the file and line."""
    path = resources.files("kg.resources").joinpath(CUES_FILE)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ResourceError(f"{CUES_FILE}: cannot read ({exc})") from exc
    if not lines or lines[0].split("\t") != ["language", "kind", "phrase", "value", "cue"]:
        raise ResourceError(f"{CUES_FILE}:1: header must be language, kind, phrase, value, cue (tab-separated)")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        where = f"{CUES_FILE}:{number}"
        cols = line.split("\t")
        if len(cols) != 5:
            raise ResourceError(f"{where}: expected 5 tab-separated columns, found {len(cols)}")
        language, kind, phrase, value, cue = cols
        if kind not in _KINDS or cue not in _CUES[kind] or not phrase.strip() or not re.fullmatch(r"[a-z]{2,3}", language):
            raise ResourceError(f"{where}: bad row {cols!r}")
        if kind == "Sex" and value not in ("female", "male"):
            raise ResourceError(f"{where}: sex must be 'female' or 'male', not {value!r}")
        if kind != "Sex" and value:
            _fraction(value, where)
        rows.append(_Cue(language, kind, phrase, value, cue))
    return tuple(rows)


_B = r"(?<![^\W_])"
_E = r"(?![^\W_])"
_NUM = r"(\d+(?:[./]\d+)?)"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class _Patterns:
    age: tuple[tuple[re.Pattern, str, str], ...]  # pattern, cue, language
    units: dict[str, float]
    words: dict[str, Optional[float]]
    sex_words: dict[str, tuple[str, str, str]]  # normalised phrase -> (sex, cue, language)
    sex: re.Pattern
    titles: re.Pattern
    titles_map: dict[str, str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    rows = cues()
    units: dict[str, float] = {}
    unit_kind: dict[tuple[str, str], list[str]] = {}
    words: dict[str, Optional[float]] = {}
    decades: list[str] = []
    sex_words: dict[str, tuple[str, str, str]] = {}
    titles_map: dict[str, str] = {}
    for row in rows:
        key = normalize_for_matching(row.phrase)
        if row.kind == "AgeUnit":
            units[key] = _fraction(row.value, CUES_FILE)
            unit_kind.setdefault((row.language, row.cue), []).append(key)
        elif row.kind == "AgeWord" and row.cue == "decade":
            decades.append(key)
        elif row.kind == "AgeWord":
            words[key] = _fraction(row.value, CUES_FILE) if row.value else None
        elif row.cue == "title":
            titles_map[row.phrase] = row.value
        else:
            sex_words[key] = (row.value, row.cue, row.language)
    en_unit = _alternation(unit_kind.get(("en", "unit"), ["year"]))
    fa_adj = _alternation(unit_kind.get(("fa", "adjective"), ["ساله"]))
    fa_ord = _alternation(unit_kind.get(("fa", "ordinal"), ["سالگی"]))
    fa_unit = _alternation(unit_kind.get(("fa", "unit"), ["سال"]) + unit_kind.get(("fa", "ordinal"), []))
    age = [
        (re.compile(rf"{_B}{_NUM}\s*-?\s*({en_unit})\.?\s*-?\s*old{_E}"), "number", "en"),
        (re.compile(rf"{_B}{_NUM}\s*-?\s*(y/o|y\.o\.|yo){_E}"), "number", "en"),
        (re.compile(rf"{_B}{_NUM}\s*-?\s*({en_unit})\s+of\s+age{_E}"), "number", "en"),
        (re.compile(rf"{_B}aged?\s+(?:of\s+)?{_NUM}(?:\s*-?\s*({en_unit}))?{_E}(?!\s*-)"), "number", "en"),
        (re.compile(rf"{_B}{_NUM}\s*-?\s*({fa_adj}){_E}"), "number", "fa"),
        (re.compile(rf"{_B}{_NUM}\s*-?\s*({fa_ord}){_E}"), "number", "fa"),
        (re.compile(rf"{_B}سن\s+{_NUM}\s*({fa_unit})?{_E}"), "number", "fa"),
    ]
    if words:
        age.append((re.compile(rf"{_B}({_alternation(words)}){_E}"), "word", "en"))
    if decades:
        age.append((re.compile(rf"{_B}in\s+(?:his|her|their)\s+(?:(?:early|mid|late)\s*-?\s*)?({_alternation(decades)}|\d0'?s){_E}"), "decade", "en"))
    sex = re.compile(rf"{_B}({_alternation(sex_words)}){_E}")
    titles = re.compile(rf"(?<![\w.])({_alternation(titles_map)})\.?(?=\s+[A-Z])")
    return _Patterns(tuple(age), units, words, sex_words, sex, titles, titles_map)


def _age_value(m: re.Match, cue: str, p: _Patterns) -> Optional[float]:
    if cue == "decade":
        return None
    if cue == "word":
        return p.words.get(m.group(1))
    number = parse_number(m.group(1))
    if number is None:
        return None
    unit = m.group(2) if m.lastindex and m.lastindex >= 2 else None
    if unit in ("y/o", "y.o.", "yo") or not unit:
        return number
    return round(number * p.units.get(unit, 1.0), 4)


def find_demographics(text: str, start: int = 0, end: int | None = None) -> tuple[DemographicMention, ...]:
    """Age and sex mentions in ``text[start:end]``, in text order, with offsets into ``text``.

    Overlapping age matches keep the longest; a sex word inside an age span ("newborn boy" keeps both) is kept.
    """
    end = len(text) if end is None else end
    region = text[start:end]
    norm = normalize_for_matching(region)
    p = _patterns()
    ages: list[DemographicMention] = []
    for pattern, cue, language in p.age:
        for m in pattern.finditer(norm):
            ages.append(DemographicMention(start + m.start(), start + m.end(), region[m.start():m.end()], "Age",
                                           _age_value(m, cue, p), cue, language))
    ages.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DemographicMention] = []
    for mention in ages:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    found = list(kept)
    for m in p.sex.finditer(norm):
        sex, cue, language = p.sex_words[m.group(1)]
        found.append(DemographicMention(start + m.start(), start + m.end(), region[m.start():m.end()], "Sex",
                                        sex, cue, language))
    for m in p.titles.finditer(region):
        found.append(DemographicMention(start + m.start(1), start + m.end(1), m.group(1), "Sex",
                                        p.titles_map[m.group(1)], "title", "en"))
    found = [m for m in found if not (m.cue == "pronoun" and any(a.start <= m.start < a.end for a in kept))]
    found.sort(key=lambda m: (m.start, m.end, m.kind))
    return tuple(found)


def patient_demographics(
    mentions: Sequence[DemographicMention],
) -> tuple[Optional[float], Optional[str], Optional[DemographicMention], Optional[DemographicMention]]:
    """``(age, sex, age_mention, sex_mention)`` of the patient from the mentions of the case and abstract spans.

    Age: the first age with a value, else the first age phrase (value None). Sex: the first noun or title cue;
    only when there is none, the sex most pronouns agree on (None on a tie), with its first pronoun.
    """
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    ages = [m for m in ordered if m.kind == "Age"]
    age_mention = next((m for m in ages if m.value is not None), ages[0] if ages else None)
    age = float(age_mention.value) if age_mention is not None and age_mention.value is not None else None
    sexes = [m for m in ordered if m.kind == "Sex"]
    sex_mention = next((m for m in sexes if m.cue != "pronoun"), None)
    if sex_mention is None and sexes:
        female = sum(1 for m in sexes if m.value == "female")
        male = len(sexes) - female
        if female != male:
            chosen = "female" if female > male else "male"
            sex_mention = next(m for m in sexes if m.value == chosen)
    sex = str(sex_mention.value) if sex_mention is not None else None
    return age, sex, age_mention, sex_mention
